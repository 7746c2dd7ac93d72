"""Cold start of the frozen app to its tray icon shown, against baselines run side by side.

Under a fresh Xvfb with trayer as the tray host, each run starts the frozen binary with a
scratch HOME/config/data dir and times until the app's icon window ("HiveMind Desktop")
has been docked into trayer's panel (XEmbed: it becomes a descendant of the panel), which
is the moment a volunteer sees it. Baselines, same machine, same moment:
  - the frozen binary's `--version` (bootloader + interpreter start, no Qt, no app),
  - `python -c "import PySide6.QtWidgets"` in the dev venv (Qt's own load time).
Prints medians, ratios, and the bundle and .deb sizes. Targets: start < 3 s (issue 5);
bundle <= 150 MB and .deb <= 50 MB (issue 8).

Usage: python bench/bench_frozen_start.py [--binary dist/hivemind-desktop/hivemind-desktop]
       [--runs 5] [--drop-caches]   (--drop-caches: root only, truly cold file cache)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP_NAME = "HiveMind Desktop"
TIMEOUT_S = 60.0
BUNDLE_TARGET_MB = 150  # issue 8 (footprint): the one-folder bundle
DEB_TARGET_MB = 50  # and the .deb built from it


def need(tool: str) -> None:
    if not shutil.which(tool):
        sys.exit(
            f"bench_frozen_start: {tool} not found: apt-get install xvfb trayer xdotool x11-utils"
        )


def start_x() -> tuple[subprocess.Popen, subprocess.Popen, dict[str, str], str]:
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = ":" + pipe.readline().strip()
    env = dict(os.environ, DISPLAY=display, DBUS_SESSION_BUS_ADDRESS="disabled:")
    env.pop("QT_QPA_PLATFORM", None)
    trayer = subprocess.Popen(
        ["trayer", "--edge", "bottom", "--align", "right", "--widthtype", "pixel",
         "--width", "200", "--height", "32", "--SetDockType", "true", "--transparent", "false"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["xdotool", "search", "--name", "^panel$"], env=env, capture_output=True, text=True
        ).stdout.split()
        if found:
            return xvfb, trayer, env, found[0]
        time.sleep(0.1)
    sys.exit("bench_frozen_start: trayer's panel did not appear")


def icon_docked(env: dict[str, str], panel: str) -> bool:
    tree = subprocess.run(
        ["xwininfo", "-tree", "-id", panel], env=env, capture_output=True, text=True
    ).stdout
    return f'"{APP_NAME}"' in tree


def app_env(base: dict[str, str], scratch: Path) -> dict[str, str]:
    runtime = scratch / "run"
    runtime.mkdir(mode=0o700)
    # A configured install (the daily start, e.g. at login): with no config file at all
    # the first-run wizard would come before the tray.
    (scratch / "config.toml").write_text('master_address = "127.0.0.1:9"\nstatus_port = 0\n')
    return dict(
        base,
        HOME=str(scratch / "home"),
        XDG_CONFIG_HOME=str(scratch / "config"),
        XDG_DATA_HOME=str(scratch / "data"),
        XDG_CACHE_HOME=str(scratch / "cache"),
        XDG_RUNTIME_DIR=str(runtime),
        HIVEMIND_CONFIG_FILE=str(scratch / "config.toml"),
        HIVEMIND_DATA_DIR=str(scratch / "appdata"),
        HIVEMIND_LOG_DIR=str(scratch / "logs"),
        MASTER_ADDRESS="127.0.0.1:9",  # nothing there: the start must not wait for a pool
        FLASK_PORT="0",
        NODE_PORT=str(40000 + os.getpid() % 20000),
    )


def time_to_tray(cmd: list[str], env: dict[str, str], panel: str) -> float:
    with tempfile.TemporaryDirectory(prefix="hivemind-bench-") as tmp:
        run_env = app_env(env, Path(tmp))
        log = Path(tmp) / "app.log"
        started = time.perf_counter()
        with log.open("wb") as out:
            proc = subprocess.Popen(cmd, env=run_env, stdout=out, stderr=subprocess.STDOUT)
        try:
            while not icon_docked(env, panel):
                if proc.poll() is not None:
                    tail = log.read_text(errors="replace").strip().splitlines()[-3:]
                    sys.exit(
                        f"bench_frozen_start: {cmd[0]} exited ({proc.returncode}) before its "
                        f"tray icon showed: {' | '.join(tail)}"
                    )
                if time.perf_counter() - started > TIMEOUT_S:
                    sys.exit(f"bench_frozen_start: no tray icon within {TIMEOUT_S:.0f} s")
                time.sleep(0.02)
            return time.perf_counter() - started
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            # The icon must be gone before the next run measures anything.
            deadline = time.monotonic() + 10
            while icon_docked(env, panel) and time.monotonic() < deadline:
                time.sleep(0.05)


def time_command(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def drop_caches() -> None:
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def verdict(size: float, target: int) -> str:
    return f"target <= {target} MB: {'met' if size <= target else 'NOT met'}"


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return (
        sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--binary", type=Path, default=REPO / "dist/hivemind-desktop/hivemind-desktop"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--drop-caches", action="store_true")
    parser.add_argument(
        "--source-command",
        help="the unfrozen app to compare (default: venv python -m hivemind_desktop)",
    )
    args = parser.parse_args()
    if not args.binary.is_file():
        sys.exit(
            f"bench_frozen_start: {args.binary} not found: run scripts/build_linux_package first"
        )
    for tool in ("Xvfb", "trayer", "xdotool", "xwininfo"):
        need(tool)
    venv_python = REPO / ".venv/bin/python"
    python = str(venv_python if venv_python.exists() else sys.executable)

    xvfb, trayer, env, panel = start_x()
    source_cmd = (
        args.source_command.split() if args.source_command else [python, "-m", "hivemind_desktop"]
    )
    tray, source, version, qt_import = [], [], [], []
    try:
        for _ in range(args.runs):  # interleaved, so load changes hit all alike
            if args.drop_caches:
                drop_caches()
            tray.append(time_to_tray([str(args.binary)], env, panel))
            if args.drop_caches:
                drop_caches()
            source.append(time_to_tray(source_cmd, dict(env, PYTHONPATH=str(REPO)), panel))
            if args.drop_caches:
                drop_caches()
            version.append(time_command([str(args.binary), "--version"], env))
            qt_env = dict(env, QT_QPA_PLATFORM="offscreen")
            qt_import.append(time_command([python, "-c", "import PySide6.QtWidgets"], qt_env))
    finally:
        for proc in (trayer, xvfb):
            proc.terminate()
            proc.wait(10)

    med = statistics.median
    bundle = args.binary.resolve().parent
    debs = sorted((REPO / "dist").glob("hivemind-desktop_*.deb"))
    print(
        f"frozen start to tray icon ({args.runs} runs{', cold cache' if args.drop_caches else ''}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})"
    )
    print(
        f"  frozen app -> tray icon       median {med(tray):6.2f} s  min {min(tray):5.2f}  "
        f"max {max(tray):5.2f}"
    )
    print(f"  unfrozen app (venv) -> tray   median {med(source):6.2f} s  min {min(source):5.2f}")
    print(f"  baseline frozen --version     median {med(version):6.2f} s  min {min(version):5.2f}")
    print(
        f"  baseline import QtWidgets     median {med(qt_import):6.2f} s  min {min(qt_import):5.2f}"
    )
    print(f"  ratio frozen / unfrozen        {med(tray) / med(source):6.1f}x")
    print(f"  ratio tray / --version         {med(tray) / med(version):6.1f}x")
    print(f"  ratio tray / import QtWidgets  {med(tray) / med(qt_import):6.1f}x")
    print(f"  target < 3 s: {'met' if med(tray) < 3 else 'NOT met'}")
    size = size_mb(bundle)
    print(f"bundle {bundle}: {size:.0f} MB ({verdict(size, BUNDLE_TARGET_MB)})")
    for deb in debs:
        size = size_mb(deb)
        print(f".deb {deb.name}: {size:.0f} MB ({verdict(size, DEB_TARGET_MB)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
