"""Suspend while the computer is in use, on the real parts: a headless worker process on
a private Xvfb display, real input through xdotool, a real container frozen and thawed,
and the node pool hearing that the worker waits."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import docker
import pytest

from tests.kit import wait_for
from tests.kit.e2e import VOLUNTEER, headless_worker, make_task
from tests.kit.xvfb import start_xvfb

pytestmark = [pytest.mark.e2e, pytest.mark.docker, pytest.mark.xvfb]

SLEEPER = "import time\nprint('working', flush=True)\ntime.sleep(300)\n"


def _container_status(client: docker.DockerClient, task_id: str) -> str:
    found = client.containers.list(all=True, filters={"label": [f"hivemind.task={task_id}"]})
    return found[0].status if found else ""


def test_real_input_freezes_a_running_task_and_idle_time_thaws_it(
    tmp_path: Path,
    make_pool,
    worker_settings,
    scientist_factory,
    docker_client: docker.DockerClient,
    task_images: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    xvfb, display = start_xvfb()
    monkeypatch.setenv("DISPLAY", display)
    monkeypatch.setenv("HIVEMIND_SUSPEND_WHEN_IN_USE", "true")
    monkeypatch.setenv("HIVEMIND_IDLE_MINUTES", "0.1")  # idle after 6 s without input
    pool = make_pool()
    process = headless_worker(worker_settings(pool), tmp_path / "worker.log")
    try:
        wait_for(lambda: pool.node(VOLUNTEER), "registration", 30)
        time.sleep(6.5)  # no input since the display started: idle, so it contributes
        scientist = scientist_factory(pool)
        scientist.upload_folder(make_task(tmp_path, "desk", SLEEPER), "desk")
        wait_for(lambda: _container_status(docker_client, "desk") == "running", "the task", 60)

        # Someone uses the computer: the task freezes and the pool hears it.
        deadline = time.monotonic() + 20
        x = 100
        while time.monotonic() < deadline:
            x = 300 if x == 100 else 100
            subprocess.run(["xdotool", "mousemove", str(x), "200"], check=True, env=os.environ)
            if (
                _container_status(docker_client, "desk") == "paused"
                and pool.node(VOLUNTEER).status == "Waiting"
            ):
                break
            time.sleep(0.5)
        assert _container_status(docker_client, "desk") == "paused"
        assert pool.node(VOLUNTEER).status == "Waiting"

        # Hands off: after the idle time the task runs on.
        wait_for(lambda: _container_status(docker_client, "desk") == "running", "thawed", 20)
        logged = "".join(p.read_text(errors="replace") for p in (tmp_path / "logs").glob("*.log*"))
        assert "contribution policy: waiting: computer in use" in logged
        assert "contribution policy: contributing again" in logged
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        xvfb.terminate()
        xvfb.wait(10)
