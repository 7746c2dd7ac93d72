"""Which container engine runs the tasks, as the volunteer sees it: the Monitor page names
the engine and where it was found, and the wizard's Docker step offers rootless Podman
when the account may not use the rootful engine.

Every status shown comes from the real worker code against a real engine: the rootful
Docker engine here, and for the refusals a throwaway non-root user's rootless Podman
(tests/kit/rootless.py): its "permission denied" on the default socket, and its refusal
to run tasks on this cgroup v1 machine. Screenshots go to artifacts/ (English, zh_TW,
the default size and 800x600, a dark palette, and QT_SCALE_FACTOR=2).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from hivemind_desktop.core.docker_runner import DockerRunner, DockerStatus
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.core.worker import docker_check
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.state import AppState
from hivemind_desktop.gui.wizard.checks import DockerCheck
from hivemind_desktop.gui.wizard.docker_page import WizardDockerPage
from tests.kit import REPO
from tests.kit.docker_images import docker_client, task_images  # noqa: F401 (fixtures)
from tests.kit.palette import dark_palette
from tests.kit.rootless import RootlessUser, rootless_user  # noqa: F401 (fixture)

pytestmark = [pytest.mark.gui, pytest.mark.docker]

ARTIFACTS = REPO / "artifacts"


@pytest.fixture(scope="module")
def podman(rootless_user: RootlessUser) -> dict[str, DockerStatus]:  # noqa: F811
    """What the worker's runner reports as the rootless user: refused (its Podman cannot
    hold limits here) and denied (no Podman running: only root's engine is left)."""
    empty = rootless_user.runtime / "empty"
    rootless_user.run(["mkdir", "-p", str(empty)]).check_returncode()
    refused = rootless_user.probe("status", "gui-podman")["status"]
    denied = rootless_user.probe(
        "status", "gui-denied", env=rootless_user.env(XDG_RUNTIME_DIR=str(empty))
    )["status"]
    return {"refused": DockerStatus(**refused), "denied": DockerStatus(**denied)}


def shot(widget, name: str, size: tuple[int, int] | None = None) -> Path:
    if size:
        widget.resize(*size)
    ARTIFACTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    path = ARTIFACTS / name
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 5_000
    return path


def monitor_window(qtbot, status: DockerStatus) -> MainWindow:
    state = AppState()
    window = MainWindow(state, Settings())
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.monitor)
    state.on_health({"ok": status.available, "checks": {"docker": docker_check(status)}})
    return window


def fully_shown(label) -> bool:
    """The label's wrapped text fits the height it was given (nothing cut)."""
    QApplication.processEvents()
    return label.height() >= label.heightForWidth(label.width())


def test_monitor_names_the_rootful_engine_and_its_socket(qtbot, translations, task_images):  # noqa: F811
    status = DockerRunner("gui-engine").status()
    assert status.available, status.reason
    assert translations.install("en")
    window = monitor_window(qtbot, status)
    label = window.monitor.docker
    assert label.text() == (
        f"running: Docker {status.version}, at unix:///var/run/docker.sock (default socket)"
    )
    shot(window, "monitor_engine.png")
    shot(window, "monitor_engine_800x600.png", (800, 600))
    assert fully_shown(label)
    assert translations.install("zh_TW")
    window_zh = monitor_window(qtbot, status)
    assert window_zh.monitor.docker.text() == (
        f"執行中：Docker {status.version}，位於 unix:///var/run/docker.sock (default socket)"
    )
    shot(window_zh, "monitor_engine_zh_TW.png")


def test_monitor_shows_why_rootless_podman_runs_no_task(qtbot, translations, podman):
    status = podman["refused"]
    assert not status.available and status.engine.startswith("rootless Podman")
    assert translations.install("en")
    window = monitor_window(qtbot, status)
    label = window.monitor.docker
    first, second = label.text().split("\n")
    assert first == f"not available: {status.reason}"
    assert first.startswith("not available: rootless Podman cannot limit a task's memory")
    assert second == f"Engine found: {status.engine}, at {status.endpoint}"
    assert "(Podman socket)" in second
    shot(window, "monitor_podman_refused.png")
    shot(window, "monitor_podman_refused_800x600.png", (800, 600))
    assert fully_shown(label)
    assert translations.install("zh_TW")
    window_zh = monitor_window(qtbot, status)
    assert window_zh.monitor.docker.text().startswith("無法使用：rootless Podman")
    assert f"找到的引擎：{status.engine}，位於 {status.endpoint}" in window_zh.monitor.docker.text()
    shot(window_zh, "monitor_podman_refused_zh_TW.png")


def test_the_refusal_reads_on_a_dark_palette(qtbot, qapp, translations, podman):
    old = qapp.palette()
    dark = dark_palette(disabled_text=True)
    qapp.setPalette(dark)
    try:
        assert translations.install("en")
        window = monitor_window(qtbot, podman["refused"])
        shot(window, "monitor_podman_refused_dark.png", (800, 600))
        # As drawn: the label's background is dark and its text clearly lighter.
        image = window.monitor.docker.grab().toImage()
        shades = sorted(
            QColor(image.pixel(x, y)).lightness()
            for x in range(0, image.width(), 3)
            for y in range(0, image.height(), 3)
        )
        background, brightest = shades[len(shades) // 2], shades[-1]
        assert background < 80 and brightest - background > 100
    finally:
        qapp.setPalette(old)


def test_wizard_offers_rootless_podman_when_docker_is_denied(qtbot, translations, podman):
    status = podman["denied"]
    assert status.reason.startswith("Permission denied on the Docker socket")
    assert translations.install("en")
    page = WizardDockerPage()
    qtbot.addWidget(page)
    page.show()
    page._done(DockerCheck(status, "linux", False))  # what its background check delivers
    assert page.status.text() == f"Docker is not available: {status.reason}"
    guidance = page.guidance.text()
    assert "sudo usermod -aG docker $USER" in guidance
    assert "systemctl --user enable --now podman.socket" in guidance
    assert "the power of root that the docker group brings" in guidance
    assert not page.isComplete() and not page.skip.isHidden()
    shot(page, "wizard_docker_denied_podman_offered.png", (800, 600))
    assert translations.install("zh_TW")
    page.retranslate()
    assert "systemctl --user enable --now podman.socket" in page.guidance.text()
    assert "不讓您的帳號取得 docker 群組所帶來的 root 權限" in page.guidance.text()
    shot(page, "wizard_docker_denied_podman_offered_zh_TW.png", (800, 600))


def test_wizard_shows_the_podman_refusal(qtbot, translations, podman):
    status = podman["refused"]
    assert translations.install("en")
    page = WizardDockerPage()
    qtbot.addWidget(page)
    page.show()
    page._done(DockerCheck(status, "linux", False))
    assert page.status.text() == f"Docker is not available: {status.reason}"
    assert "cgroup v2" in page.status.text()
    assert not page.isComplete()
    shot(page, "wizard_docker_podman_refused.png", (800, 600))


HIDPI = """
import json, sys
from PySide6.QtWidgets import QApplication
from hivemind_desktop.core.docker_runner import DockerStatus
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.core.worker import docker_check
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.state import AppState
app = QApplication([])
status = DockerStatus(**json.loads(sys.argv[1]))
state = AppState()
window = MainWindow(state, Settings())
window.show()
window.tabs.setCurrentWidget(window.monitor)
state.on_health({"ok": False, "checks": {"docker": docker_check(status)}})
app.processEvents()
label = window.monitor.docker
window.grab().save(sys.argv[2])
print(json.dumps({"ratio": window.devicePixelRatio(), "text": label.text(),
                  "fits": label.height() >= label.heightForWidth(label.width())}))
"""


def test_the_refusal_at_double_scale(podman, tmp_path):
    status = podman["refused"]
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "monitor_podman_refused_hidpi.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2",
               HIVEMIND_LANGUAGE="en", DBUS_SESSION_BUS_ADDRESS="disabled:")  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", HIDPI, json.dumps(status.__dict__), str(target)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["ratio"] == 2.0
    assert answer["text"].startswith("not available: rootless Podman cannot limit")
    assert answer["fits"] is True
    assert target.stat().st_size > 5_000


def test_wizard_on_windows_names_the_docker_users_group(qtbot, translations):
    """Windows, not in docker-users: the named pipe's "Access is denied" (pywintypes.error
    5, rebuilt with its shape by tests/kit/winpipe.py: no pipe exists here) through the
    real classification, shown by the real page."""
    from hivemind_desktop.core import engine_endpoint as ep
    from hivemind_desktop.core.engine_errors import unreachable_reason
    from tests.kit.winpipe import ACCESS_DENIED, error

    pipe = ep.discover({}, Path("C:/Users/ann"), "win32")
    reason = unreachable_reason(error(*ACCESS_DENIED), pipe, platform="win32")
    status = DockerStatus(False, "", reason, endpoint=pipe.describe())
    assert translations.install("en")
    page = WizardDockerPage()
    qtbot.addWidget(page)
    page.show()
    page._done(DockerCheck(status, "win32", None))
    assert page.status.text().startswith(
        "Docker is not available: Windows refused access to Docker Desktop at "
        "npipe:////./pipe/docker_engine (Docker Desktop's named pipe)"
    )
    guidance = page.guidance.text()
    assert "net localgroup docker-users YOUR-NAME /add" in guidance
    assert "usermod" not in guidance and "podman" not in guidance
    shot(page, "wizard_docker_windows_docker_users.png", (800, 600))
    assert translations.install("zh_TW")
    page.retranslate()
    assert "docker-users" in page.guidance.text() and "系統管理員" in page.guidance.text()
    shot(page, "wizard_docker_windows_docker_users_zh_TW.png", (800, 600))
