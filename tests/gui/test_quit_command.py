"""`hivemind-desktop --quit`: how the Windows uninstaller and upgrades end the running app.

Instead of killing it (tasks orphaned, results lost), the command asks the app over its
single-instance channel to stop its tasks, hand their results back and exit, and waits.
The app runs as its own process, as a volunteer starts it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kit import REPO, free_port, wait_for
from tests.kit.desktop import VOLUNTEER, WORKER_HOST
from tests.kit.docker_images import container_of

pytestmark = [pytest.mark.gui, pytest.mark.docker]


def quit_command(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hivemind_desktop", "--quit"],
        env=env, capture_output=True, text=True, timeout=150, cwd=REPO,
    )  # fmt: skip


def test_quit_command_stops_tasks_and_the_app_cleanly(pool, submit, tmp_path, task_image):
    # The instance name comes from the user name: a private one keeps this test away from
    # a HiveMind Desktop the developer may be running.
    user = f"hmquit{os.getpid()}"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", USER=user, LOGNAME=user)
    assert "not running" in quit_command(env).stdout  # nothing to quit: says so, exit 0
    port = free_port(WORKER_HOST)
    log = open(tmp_path / "app.log", "w")  # noqa: SIM115 - closed in finally
    app = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("xvfb_app.py")), pool.address, WORKER_HOST,
         str(port), str(tmp_path), *VOLUNTEER, f"hivemind-desktop-{user}"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
    )  # fmt: skip
    try:
        wait_for(lambda: any(n.node_id == VOLUNTEER[0] for n in pool.nodes()), "registration", 60)
        task_id = submit("quit", {"run.sh": "while true; do echo tick; sleep 0.3; done\n"})
        wait_for(lambda: (c := container_of(task_id)) and c.status == "running", "the task", 60)

        done = quit_command(env)
        assert done.returncode == 0, done.stderr
        assert "stopped its tasks and quit" in done.stdout
        assert app.wait(30) == 0  # it exited by itself, cleanly
        assert container_of(task_id) is None  # no container left behind
        view = pool.task(task_id)
        assert view is not None and view.status in ("COMPLETED", "STOPPED")
        assert view.has_result  # the partial result went back before the app left
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
        log.close()
