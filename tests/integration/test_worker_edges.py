"""The worker's own edges, as a volunteer meets them: real headless worker processes, a
real port taken by another program, real host names for the node pool, a real local node
pool and real Docker."""

from __future__ import annotations

import http.server
import json
import re
import signal
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.kit import free_port, make_zip, wait_for
from tests.kit.pools import PoolClient, start_pool
from tests.kit.worker import SCRIPT, SUBMITTER, USERS, WORKER_USER, Headless, clean_env

pytestmark = pytest.mark.docker


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A headless worker on 127.0.0.2 with no node pool: it stays signed out."""
    env = clean_env(tmp_path)
    env.update(
        FLASK_PORT=str(free_port()),
        NODE_PORT=str(free_port("127.0.0.2")),
        MASTER_ADDRESS=f"127.0.0.1:{free_port()}",
        HIVEMIND_ADVERTISE_ADDRESS="127.0.0.2",
        HIVEMIND_BUSY_CPU_PERCENT="0",
        HIVEMIND_ALLOWED_PEERS="127.0.0.1",
        MAX_CPU_CORES="1",
        MAX_MEMORY_GB="1",
    )
    return env


@pytest.fixture
def headless() -> Iterator[list[Headless]]:
    """Start workers with `headless.append(Headless(env))`; any still running is killed."""
    started: list[Headless] = []
    yield started
    for worker in started:
        if worker.proc.poll() is None:
            worker.stop(signal.SIGKILL)


def cli(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


# -- one worker per data folder ------------------------------------------------------------


def test_a_second_worker_on_the_same_data_folder_refuses_until_the_first_is_gone(
    env: dict[str, str], headless: list[Headless], task_images: None
) -> None:
    first = Headless(env)
    headless.append(first)
    first.wait_serving()

    # Other ports, so only the data folder is shared.
    second_env = {**env, "FLASK_PORT": str(free_port()), "NODE_PORT": str(free_port("127.0.0.2"))}
    done = cli("--headless", env=second_env, timeout=30)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == [
        f"hivemind-desktop: another HiveMind worker (process {first.proc.pid}) is already "
        f"using the data folder {env['HIVEMIND_DATA_DIR']}: quit it first, or give this one "
        "its own folder (HIVEMIND_DATA_DIR)"
    ], done.stderr
    assert done.stdout == ""

    # kill -9 leaves no stale lock: the kernel drops it with the process
    assert first.stop(signal.SIGKILL) == -signal.SIGKILL
    again = Headless(second_env)
    headless.append(again)
    again.wait_serving()
    assert again.stop() == 0


# -- the status API's port is taken --------------------------------------------------------


class _OtherProgram(http.server.BaseHTTPRequestHandler):
    """What holds the port instead (macOS's AirPlay Receiver answers 403 on port 5000)."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.send_error(403, "Forbidden")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def taken_port() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OtherProgram)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_taken_status_api_port_falls_back_to_a_free_one_that_status_finds(
    env: dict[str, str], headless: list[Headless], taken_port: int, task_images: None
) -> None:
    env["FLASK_PORT"] = str(taken_port)
    worker = Headless(env)
    headless.append(worker)
    worker.wait_serving()
    wait_for(lambda: "so the status API uses port" in worker.output, "the worker to say so")
    match = re.search(
        rf"hivemind-desktop: port {taken_port} is in use by another program \(on macOS often "
        r"the AirPlay Receiver\), so the status API uses port (\d+); `hivemind-desktop status` "
        r"finds it\n",
        worker.output,
    )
    assert match, worker.output
    used = int(match.group(1))
    assert used != taken_port
    assert "status API is off" not in worker.output and "Traceback" not in worker.output

    # The API answers on the fallback port; the other program keeps its own.
    with urllib.request.urlopen(f"http://127.0.0.1:{used}/api/status", timeout=10) as reply:
        assert json.load(reply)["advertise_address"] == "127.0.0.2"
    with pytest.raises(urllib.error.HTTPError) as other:
        urllib.request.urlopen(f"http://127.0.0.1:{taken_port}/api/status", timeout=10)
    assert other.value.code == 403

    # `status` with the same settings finds the worker and says which port it used.
    done = cli("status", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["advertise_address"] == "127.0.0.2"
    assert done.stderr.strip() == (
        f"hivemind-desktop: the status API is on port {used} "
        f"(port {taken_port} is taken by another program)"
    )
    log = (Path(env["HIVEMIND_LOG_DIR"]) / "hivemind-desktop.log").read_text()
    assert f"so the status API uses port {used}" in log
    assert worker.stop() == 0

    # The next start keeps the same fallback port, so a script that learnt it still works.
    again = Headless(env)
    headless.append(again)
    again.wait_serving()
    wait_for(lambda: "so the status API uses port" in again.output, "the worker to say so")
    assert f"so the status API uses port {used};" in again.output
    assert again.stop() == 0

    # With no worker, `status` asks FLASK_PORT, finds a stranger there and says so.
    done = cli("status", env=env)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"hivemind-desktop: no worker answers on http://127.0.0.1:{taken_port}: is it running "
        "(hivemind-desktop --headless) with this FLASK_PORT?"
    )


# -- the node pool named by host name ------------------------------------------------------


def test_master_address_by_host_name_registers_and_takes_tasks(
    env: dict[str, str], headless: list[Headless], task_images: None
) -> None:
    pool = start_pool(USERS)
    try:
        port = pool.address.rpartition(":")[2]
        env.pop("HIVEMIND_ALLOWED_PEERS")  # the default: the pool's host, here by name
        env.update(
            MASTER_ADDRESS=f"localhost:{port}",
            HIVEMIND_USERNAME=WORKER_USER.name,
            HIVEMIND_PASSWORD=WORKER_USER.password,
        )
        worker = Headless(env)
        headless.append(worker)
        worker.wait_serving()
        wait_for(lambda: pool.node(WORKER_USER.name) is not None, "the worker to register")

        # The pool's calls (from 127.0.0.1, which localhost resolves to) are allowed.
        submitter = PoolClient(pool.address, SUBMITTER)
        task = make_zip({"main.py": "print('reached by name')\n"})
        assert submitter.upload("by-name", task, cpu_score=50).success
        files = wait_for(lambda: submitter.result_files("by-name"), "the task's result", 90)
        assert "reached by name" in files["task_logs.txt"]
        submitter.close()
        assert "Traceback" not in worker.output
        assert worker.stop() == 0
    finally:
        pool.stop(grace=0)


def test_an_unresolvable_pool_host_name_is_one_line_and_the_worker_keeps_running(
    env: dict[str, str], headless: list[Headless], task_images: None
) -> None:
    env.pop("HIVEMIND_ALLOWED_PEERS")
    env["MASTER_ADDRESS"] = "no-such-pool.invalid:50051"  # .invalid never resolves (RFC 6761)
    worker = Headless(env)
    headless.append(worker)
    worker.wait_serving()
    wait_for(lambda: "cannot be resolved" in worker.output, "the worker to say why")
    problems = [line for line in worker.output.splitlines() if "cannot be resolved" in line]
    assert len(problems) == 1, worker.output
    assert problems[0].startswith(
        "hivemind-desktop: no task can be accepted: the node pool's host name "
        "'no-such-pool.invalid' (MASTER_ADDRESS) cannot be resolved ("
    )
    assert problems[0].endswith("): check the name and the network, or set HIVEMIND_ALLOWED_PEERS")
    assert "Traceback" not in worker.output

    # It keeps running (the network may come up later) and `status` shows why it idles.
    done = cli("status", env=env)
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert status["state"] == "error"
    assert "'no-such-pool.invalid' (MASTER_ADDRESS) cannot be resolved" in status["detail"]
    assert worker.proc.poll() is None
    assert worker.stop() == 0
