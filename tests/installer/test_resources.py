"""The package's resources are built from resources/ (the sources designers and translators
edit) by scripts/build_resources.py and committed; these tests keep the two from drifting
and check that the package holds what the app loads."""

import importlib.util
import shutil
import subprocess
import sys

from hivemind_desktop.gui import resources
from hivemind_desktop.gui.state import ICONS
from tests.kit import REPO

SCRIPT = REPO / "scripts/build_resources.py"


def load_script():
    spec = importlib.util.spec_from_file_location("build_resources", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_package_resources_are_up_to_date_with_the_sources():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr  # names each file that differs


def test_the_check_names_missing_stale_and_changed_files(tmp_path):
    script = load_script()
    built = tmp_path / "built"
    script.build(built)
    committed = tmp_path / "committed"
    shutil.copytree(built, committed)
    assert script.differences(built, committed) == []
    (committed / "icons/idle-16.png").unlink()
    (committed / "icons/old-16.png").write_bytes(b"")
    qm = committed / "translations/hivemind_zh_TW.qm"
    qm.write_bytes(qm.read_bytes() + b"\0")
    assert script.differences(built, committed) == [
        "missing: icons/idle-16.png",
        "not built from resources/ (stale?): icons/old-16.png",
        "differs: translations/hivemind_zh_TW.qm",
    ]


def test_the_package_holds_every_icon_and_translation_the_app_loads():
    assert resources.RESOURCES == REPO / "hivemind_desktop/resources"
    for name in (*ICONS, "app"):
        for size in resources.ICON_SIZES:
            assert (resources.ICONS / f"{name}-{size}.png").is_file(), (name, size)
    for language in resources.LANGUAGES:
        if language != "en":
            assert (resources.TRANSLATIONS / f"hivemind_{language}.qm").is_file()
            assert (REPO / f"resources/translations/hivemind_{language}.ts").is_file()
    # Only built files ship: the sources stay out of the package.
    assert not list(resources.RESOURCES.rglob("*.ts"))
