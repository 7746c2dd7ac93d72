"""The tray on a real X server (Xvfb) with a real tray host (trayer), driven by xdotool.

The app runs as its own process (Qt's platform is fixed per process, and this suite's
process is offscreen). Screenshots go to artifacts/: the main window with live charts
and the open tray menu.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from hivemind_desktop.core.logs import LOG_FILE_NAME
from tests.kit import REPO, free_port, wait_for
from tests.kit.desktop import VOLUNTEER, WORKER_HOST
from tests.kit.docker_images import container_of
from tests.kit.xvfb import start_xvfb

pytestmark = [pytest.mark.xvfb, pytest.mark.gui, pytest.mark.docker]

ARTIFACTS = REPO / "artifacts"
APP_NAME = "HiveMind Desktop"


@pytest.fixture
def xserver(bare_xserver: dict[str, str]) -> Iterator[dict[str, str]]:
    """Xvfb plus trayer as tray host."""
    trayer = start_trayer(bare_xserver)
    try:
        yield bare_xserver
    finally:
        trayer.terminate()
        trayer.wait(10)


def start_trayer(env: dict[str, str]) -> subprocess.Popen:
    trayer = subprocess.Popen(
        ["trayer", "--edge", "bottom", "--align", "right", "--widthtype", "pixel",
         "--width", "200", "--height", "32", "--SetDockType", "true", "--transparent", "false"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for(lambda: xdotool(env, "search", "--name", "^panel$"), "trayer's panel", 20)
    return trayer


@pytest.fixture
def bare_xserver(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Xvfb on a display number it picks itself (-displayfd), with no tray host yet."""
    xvfb, display = start_xvfb()
    env = dict(os.environ, DISPLAY=display, DBUS_SESSION_BUS_ADDRESS="disabled:")
    env.pop("QT_QPA_PLATFORM", None)
    try:
        yield env
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def xdotool(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=20)
    return done.stdout.strip() if done.returncode == 0 else ""


def geometry(env: dict[str, str], window: str) -> tuple[int, int, int, int]:
    values = {}
    for line in xdotool(env, "getwindowgeometry", "--shell", window).splitlines():
        key, _, value = line.partition("=")
        values[key] = int(value) if value.lstrip("-").isdigit() else 0
    return values["X"], values["Y"], values["WIDTH"], values["HEIGHT"]


def app_windows(env: dict[str, str]) -> list[str]:
    """Visible windows named after the app (xdotool's --name search misses the embedded
    tray icon, so compare each visible window's name)."""
    return [w for w in visible_windows(env) if xdotool(env, "getwindowname", w) == APP_NAME]


def tray_icon(env: dict[str, str]) -> tuple[int, int] | None:
    """Centre of the app's icon in the tray: a small window named after the app."""
    for window in app_windows(env):
        x, y, w, h = geometry(env, window)
        if w <= 64 and h <= 64 and y > 700:
            return x + w // 2, y + h // 2
    return None


def main_window(env: dict[str, str]) -> str | None:
    for window in app_windows(env):
        if geometry(env, window)[2] > 400:
            return window
    return None


def visible_windows(env: dict[str, str]) -> set[str]:
    return set(xdotool(env, "search", "--onlyvisible", "--name", ".*").split())


def screenshot(env: dict[str, str], name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    subprocess.run(["import", "-window", "root", str(path)], env=env, check=True, timeout=30)
    assert path.stat().st_size > 10_000
    return path


def open_menu(env: dict[str, str]) -> str | None:
    """The tray menu: a visible popup over the bottom-right corner (not trayer's panel)."""
    for window in visible_windows(env):
        x, y, w, h = geometry(env, window)
        if x > 900 and 500 < y < 780 and w > 60 and h > 60:
            return window
    return None


def pick_from_tray_menu(
    env: dict[str, str], icon: tuple[int, int], name: str, entry: int = 1
) -> None:
    """Right-click the icon, wait for the menu, then take its `entry`-th enabled entry
    (the status line is disabled, so 1 is Pause/Resume, 2 the first snooze or Resume now)."""
    wait_for(lambda: open_menu(env) is None, "the previous menu to close", 20)
    for _attempt in range(4):  # a click right after the last menu closed can be swallowed
        xdotool(env, "mousemove", str(icon[0]), str(icon[1]), "click", "3")
        try:
            wait_for(lambda: open_menu(env), "the tray menu to open", 8)
            break
        except AssertionError:
            continue
    else:
        screenshot(env, f"failed-{name}")  # what the screen showed instead
        raise AssertionError("the tray menu did not open on a right click")
    screenshot(env, name)
    xdotool(env, "key", *["Down"] * entry, "Return")


def test_tray_icon_menu_pause_resume_and_window_screenshot(
    xserver, pool, submit, tmp_path, task_image
):
    env = dict(xserver, QT_QPA_PLATFORM="xcb")
    port = free_port(WORKER_HOST)
    log = open(tmp_path / "app.log", "w")  # noqa: SIM115 - closed in finally
    app = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("xvfb_app.py")), pool.address, WORKER_HOST,
         str(port), str(tmp_path), *VOLUNTEER, f"hivemind-xvfb-{os.getpid()}"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
    )  # fmt: skip
    try:
        icon = wait_for(lambda: tray_icon(env), "the tray icon", 60)
        wait_for(lambda: any(n.node_id == VOLUNTEER[0] for n in pool.nodes()), "registration", 60)
        task_id = submit("tray", {"run.sh": "while true; do echo tick; sleep 0.3; done\n"})
        wait_for(lambda: (c := container_of(task_id)) and c.status == "running", "the task", 60)

        xdotool(env, "mousemove", str(icon[0]), str(icon[1]), "click", "1")  # left click
        wait_for(lambda: main_window(env), "the main window after a left click", 30)
        time.sleep(4)  # a few SAMPLE events so the charts have lines in the screenshot
        screenshot(env, "main_window_xvfb.png")

        def frozen() -> bool:
            return container_of(task_id).attrs["State"]["Paused"]

        def pick_until(picture: str, entry: int, want_frozen: bool, what: str) -> None:
            """A key press sent the moment a menu opens is sometimes lost under load:
            pick again (the same entry) only when nothing happened."""
            for _attempt in range(2):
                pick_from_tray_menu(env, icon, picture, entry=entry)
                with contextlib.suppress(AssertionError):
                    wait_for(lambda: frozen() == want_frozen, what, 15)
                    return
            raise AssertionError(f"the tray menu's entry {entry} did not {what}")

        pick_until("tray_menu_xvfb.png", 1, True, "pause (docker pause)")
        pick_until("tray_menu_paused_xvfb.png", 1, False, "resume (unpause)")
        assert container_of(task_id).status == "running"
        # Snooze for 1 hour freezes the task; the menu then offers Resume now.
        pick_until("tray_menu_snooze_xvfb.png", 2, True, "snooze (freeze)")
        worker_log = tmp_path / "logs" / LOG_FILE_NAME
        assert "snoozed until" in worker_log.read_text(errors="replace"), "not a snooze"
        assert "paused: no new tasks" not in worker_log.read_text(errors="replace").split(
            "resumed"
        )[-1], "the entry taken was Pause, not Snooze"
        pick_until("tray_menu_snoozed_xvfb.png", 2, False, "resume now (thaw)")
        assert container_of(task_id).status == "running"

        app.send_signal(signal.SIGTERM)  # the app stops its task cleanly and leaves
        assert app.wait(90) == 0
        assert container_of(task_id) is None
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
        log.close()
        client = docker.from_env()
        ours = f"hivemind.task=guitest-tray-{os.getpid()}"
        for c in client.containers.list(all=True, sparse=True, filters={"label": ours}):
            try:
                c.remove(force=True)
            except docker.errors.NotFound:
                pass
        client.close()


def test_app_started_before_the_tray_moves_into_it_when_it_appears(bare_xserver, pool, tmp_path):
    """Start at login: the app may start before the panel. It shows its window first,
    then takes its place in the tray once one appears."""
    env = dict(bare_xserver, QT_QPA_PLATFORM="xcb")
    log = open(tmp_path / "app.log", "w")  # noqa: SIM115 - closed in finally
    app = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("xvfb_app.py")), pool.address, WORKER_HOST,
         str(free_port(WORKER_HOST)), str(tmp_path), *VOLUNTEER, f"hivemind-late-{os.getpid()}"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
    )  # fmt: skip
    trayer = None
    try:
        wait_for(lambda: main_window(env), "the window (no tray yet)", 60)
        assert tray_icon(env) is None
        trayer = start_trayer(env)
        wait_for(lambda: tray_icon(env), "the icon once the tray appeared", 30)
        assert app.poll() is None
        app.send_signal(signal.SIGTERM)
        assert app.wait(60) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
        if trayer is not None:
            trayer.terminate()
            trayer.wait(10)
        log.close()
