"""Build the app's resources into the package: resources/ (sources) -> hivemind_desktop/resources/.

Run: .venv/bin/python scripts/build_resources.py           (rebuild the package copy)
     .venv/bin/python scripts/build_resources.py --check   (exit 1, naming what differs)

The sources live at the top of the repository, where designers and translators find them:
  resources/icons/<state>-<size>.png        copied as they are (scripts/make_icons.py draws them)
  resources/translations/hivemind_<lang>.ts compiled to .qm by pyside6-lrelease
What the app loads is the generated copy in hivemind_desktop/resources/. It is committed, so
`pip install .`, an editable install, the wheel, PyInstaller and the .deb need no build step
(and no Qt tools at install time); tests/installer/test_resources.py runs --check so the
copy cannot drift from its sources. Other sources (resources/linux/: the desktop entry) go
to the installers, not into the package.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "resources"
PACKAGE = REPO / "hivemind_desktop" / "resources"
BIN = Path(sys.executable).parent


def lrelease() -> str:
    """pyside6-lrelease beside this interpreter (the venv), else on PATH."""
    local = BIN / "pyside6-lrelease"
    found = str(local) if local.exists() else shutil.which("pyside6-lrelease")
    if not found:
        raise SystemExit("pyside6-lrelease not found: install PySide6 (pip install -e '.[dev]')")
    return found


def build(dest: Path) -> list[Path]:
    """Write the package's resources under dest (emptied first); returns the files written."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "icons").mkdir(parents=True)
    (dest / "translations").mkdir(parents=True)
    for icon in sorted((SOURCES / "icons").glob("*.png")):
        shutil.copyfile(icon, dest / "icons" / icon.name)
    for ts in sorted((SOURCES / "translations").glob("*.ts")):
        qm = dest / "translations" / f"{ts.stem}.qm"
        subprocess.run([lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True)
    return sorted(p for p in dest.rglob("*") if p.is_file())


def differences(built: Path, committed: Path) -> list[str]:
    """Relative paths that are missing, extra or different in committed compared to built."""

    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    want, have = files(built), files(committed) if committed.exists() else set()
    out = [f"missing: {name}" for name in sorted(want - have)]
    out += [f"not built from resources/ (stale?): {name}" for name in sorted(have - want)]
    out += [
        f"differs: {name}"
        for name in sorted(want & have)
        if not filecmp.cmp(built / name, committed / name, shallow=False)
    ]
    return out


def check() -> list[str]:
    """What the committed package copy lacks or holds beyond a fresh build of resources/."""
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "resources"
        build(built)
        return differences(built, PACKAGE)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--check"]:
        problems = check()
        if problems:
            print(
                "hivemind_desktop/resources/ is out of date with resources/ "
                "(run scripts/build_resources.py and commit the result):",
                *problems,
                sep="\n  ",
                file=sys.stderr,
            )
            return 1
        print("hivemind_desktop/resources/ is up to date with resources/")
        return 0
    if args:
        print("usage: build_resources.py [--check]", file=sys.stderr)
        return 2
    written = build(PACKAGE)
    print(f"wrote {len(written)} files to {PACKAGE.relative_to(REPO)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
