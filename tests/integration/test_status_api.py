"""The local status API over real HTTP on 127.0.0.1, on a real worker signed in to a real
local node pool."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path

import docker
import psutil
import pytest

from hivemind_desktop.core.models import TaskState
from hivemind_desktop.core.worker import Worker
from hivemind_desktop.nodepool import NodePool
from tests.kit import free_port, make_zip, wait_for
from tests.kit.pools import PoolClient, start_pool
from tests.kit.worker import SUBMITTER, USERS, running_worker, signed_in, worker_settings

pytestmark = pytest.mark.docker

CHECKS = {
    "docker", "isolation", "node_pool", "resources", "vpn", "address", "status_api", "disk",
    "sensors",
}  # fmt: skip


def http(port: int, method: str, path: str, secret: str | None = None) -> tuple[int, dict | list]:
    headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
    request = urllib.request.Request(  # noqa: S310 (loopback URL built here)
        f"http://127.0.0.1:{port}{path}", method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


@pytest.fixture(scope="module")
def pool() -> Iterator[NodePool]:
    pool = start_pool(USERS)
    yield pool
    pool.stop(grace=0)


@pytest.fixture(scope="module")
def worker(
    tmp_path_factory: pytest.TempPathFactory,
    pool: NodePool,
    task_images: None,
    docker_client: docker.DockerClient,
) -> Iterator[Worker]:
    root = tmp_path_factory.mktemp("status-api")
    settings = signed_in(worker_settings(root, pool.address, status_port=free_port()))
    with running_worker(settings, docker_client) as w:
        wait_for(lambda: pool.node("worker1") is not None, "the worker to register")
        yield w


def test_health_is_200_with_every_check_ok(worker: Worker) -> None:
    status, body = http(worker.settings.status_port, "GET", "/health")
    assert status == 200, body
    assert body["ok"] is True
    assert set(body["checks"]) == CHECKS
    assert all(check["ok"] is True for check in body["checks"].values())


def test_status_shape(worker: Worker) -> None:
    status, body = http(worker.settings.status_port, "GET", "/api/status")
    assert status == 200
    assert body["node_id"] == "worker1"
    assert body["signed_in"] is True
    assert body["node_pool"]["state"] == "connected"
    assert body["advertise_address"] == "127.0.0.2"
    assert body["docker"]["available"] is True
    # what new tasks run in: gVisor, which this engine has (default auto)
    assert body["docker"]["runtime"] == "runsc"
    assert body["docker"]["isolation"].startswith("gVisor (runsc)")
    assert body["paused"] is False
    assert isinstance(body["trust"]["score"], int) and body["trust"]["group"] in {
        "high",
        "medium",
        "low",
    }
    assert set(body["counts"]) == {s.value for s in TaskState}
    assert {"state", "detail", "balance"} <= set(body)
    # the status API never hands out secrets
    assert worker.api_secret not in json.dumps(body)


def test_resources_shape(worker: Worker) -> None:
    wait_for(lambda: worker.latest_sample() is not None, "a first monitor sample")
    status, body = http(worker.settings.status_port, "GET", "/api/resources")
    assert status == 200
    parts = {"cpu_score", "memory_gb", "gpus", "gpu_memory_gb"}
    for key in ("total", "available", "allocated"):
        assert set(body[key]) == parts
    assert body["total"] == {"cpu_score": 200, "memory_gb": 2, "gpus": 0, "gpu_memory_gb": 0}
    assert {"cpu_percent", "memory_percent", "disk_free_gb"} <= set(body["sample"])
    assert isinstance(body["gpu"], str)


def test_stop_task_needs_the_secret_and_a_known_task(worker: Worker) -> None:
    port = worker.settings.status_port
    status, body = http(port, "POST", "/api/stop_task/anything")
    assert status == 401 and "secret" in body["error"]
    status, body = http(port, "POST", "/api/stop_task/anything", secret="wrong-secret")
    assert status == 401
    status, body = http(port, "POST", "/api/stop_task/no-such-task", secret=worker.api_secret)
    assert status == 404 and "no-such-task" in body["error"]


def test_stop_task_stops_a_running_task(worker: Worker, pool: NodePool) -> None:
    port = worker.settings.status_port
    submitter = PoolClient(pool.address, SUBMITTER)
    task = make_zip({"main.py": "import time\nprint('started', flush=True)\ntime.sleep(120)\n"})
    assert submitter.upload("api-stop", task, cpu_score=50).success

    def state() -> str:
        tasks = {t["task_id"]: t for t in http(port, "GET", "/api/tasks")[1]}
        return tasks.get("api-stop", {}).get("state", "")

    wait_for(lambda: state() == "running", "api-stop to run")
    wait_for(lambda: "started" in worker.task_output("api-stop"), "api-stop's first output")
    # a wrong secret changes nothing
    assert http(port, "POST", "/api/stop_task/api-stop", secret="nope")[0] == 401
    assert state() == "running"

    status, body = http(port, "POST", "/api/stop_task/api-stop", secret=worker.api_secret)
    assert status == 200 and "stopping" in body["message"]
    wait_for(lambda: state() == "stopped", "api-stop to end stopped", timeout=60)

    tasks = {t["task_id"]: t for t in http(port, "GET", "/api/tasks")[1]}
    entry = tasks["api-stop"]
    assert {"elapsed_s", "exit_code", "message", "request", "usage", "paused", "progress"} <= set(
        entry
    )
    assert entry["request"]["cpu_score"] == 50
    assert entry["runtime"] == "runsc"  # the default (auto) where the engine has gVisor
    files = submitter.result_files("api-stop")
    assert "task_stopped.txt" in files
    assert "started" in files["task_logs.txt"]
    submitter.close()


def get_with_host(port: int, path: str, host: str) -> tuple[int, dict | list]:
    """A real request whose Host header is what a DNS-rebinding page's browser sends."""
    conn = HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        reply = conn.getresponse()
        return reply.status, json.loads(reply.read())
    finally:
        conn.close()


READ_PATHS = ["/api/status", "/api/tasks", "/api/resources", "/health"]


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example",
        "127.0.0.2:{port}",
        "[::2]:{port}",
        "localhost:{other}",  # a loopback name for some other local service's port
        "",
    ],
)
def test_requests_for_other_hosts_are_refused(worker: Worker, host: str) -> None:
    port = worker.settings.status_port
    forged = host.format(port=port, other=port + 1)
    for path in READ_PATHS:
        status, body = get_with_host(port, path, forged)
        assert status == 403, (path, forged, body)
        assert "DNS rebinding" in body["error"], body
        assert set(body) == {"error"}  # nothing of the worker's state leaks


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.0.0.1:{port}", "localhost", "LocalHost:{port}", "[::1]", "[::1]:{port}"],
)
def test_requests_for_loopback_hosts_are_served(worker: Worker, host: str) -> None:
    port = worker.settings.status_port
    status, body = get_with_host(port, "/api/status", host.format(port=port))
    assert status == 200, body
    assert body["node_id"] == "worker1"


def test_api_listens_on_127_0_0_1_only(worker: Worker) -> None:
    port = worker.settings.status_port
    listening = [
        c.laddr
        for c in psutil.Process().net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN and c.laddr.port == port
    ]
    assert [a.ip for a in listening] == ["127.0.0.1"]

    others = ["127.0.0.2"] + [
        a.address
        for addrs in psutil.net_if_addrs().values()
        for a in addrs
        if a.family == socket.AF_INET and not a.address.startswith("127.")
    ]
    for address in others:
        with socket.socket() as sock, pytest.raises(OSError):
            sock.settimeout(5)
            sock.connect((address, port))
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass


def test_health_is_503_when_the_pool_is_unreachable(
    tmp_path: Path, task_images: None, docker_client: docker.DockerClient
) -> None:
    nobody = f"127.0.0.1:{free_port()}"
    settings = signed_in(worker_settings(tmp_path, nobody, status_port=free_port()))
    with running_worker(settings, docker_client) as worker:
        wait_for(
            lambda: worker.snapshot().pool_state == "disconnected", "the pool to be unreachable"
        )
        status, body = http(settings.status_port, "GET", "/health")
        assert status == 503
        assert body["ok"] is False
        assert body["checks"]["node_pool"]["ok"] is False
        assert "does not answer" in body["checks"]["node_pool"]["detail"]
        assert body["checks"]["docker"]["ok"] is True  # only the failing part is blamed


def test_unknown_paths_and_wrong_methods_answer_json(worker: Worker) -> None:
    port = worker.settings.status_port
    status, body = http(port, "GET", "/api/nothing-here")
    assert status == 404 and "no such path" in body["error"]
    status, body = http(port, "POST", "/api/status")
    assert status == 405 and "not allowed" in body["error"]
    status, body = http(port, "GET", "/api/stop_task/anything")
    assert status == 405
    status, body = http(port, "GET", "/api/status?pretty=1")  # a query string changes nothing
    assert status == 200 and body["node_id"] == "worker1"
