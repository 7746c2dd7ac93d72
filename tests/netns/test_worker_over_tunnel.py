"""The headless worker and the local node pool over a real WireGuard tunnel.

Namespaces (a Lab of this module's own): the pool at 10.0.0.1, the worker at 10.0.0.2,
a stranger at 10.0.0.3 (a peer of the pool, which routes between its peers). The worker
is given no advertised address: it must find 10.0.0.2 on the tunnel itself. Its task
containers run on the host's Docker engine through /var/run/docker.sock, a unix socket
that every network namespace can reach.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.kit import wait_for
from tests.kit.netns_lab import (
    PYTHON,
    Lab,
    LabError,
    Pool,
    Worker,
    add_worker,
    enable_forwarding,
    http_get_json,
    python_env,
    run_in,
    sh,
    start_pool,
    start_worker_tunnel,
    wait_for_port,
)

pytestmark = [pytest.mark.netns, pytest.mark.e2e]

POOL = "10.0.0.1:50051"
WORKER_IP = "10.0.0.2"
NODE_PORT = 50053
FLASK_PORT = 5077
TASK_IMAGE = "hivemind/task-busybox:latest"
POOL_ARGS = (
    f"--listen {POOL} --user vol:pw --user sci:pw2:100 --user late:pw3 --dispatch-interval 1"
)


@dataclass
class World:
    lab: Lab
    pool: Pool
    worker: Worker
    stranger: Worker
    tmp: Path
    worker_proc: subprocess.Popen

    @property
    def pool_db(self) -> Path:
        return self.tmp / "pool" / "nodepool.sqlite3"

    @property
    def worker_db(self) -> Path:
        return self.tmp / "worker" / "data" / "worker.sqlite3"

    def logs(self) -> str:
        parts = []
        for name in ("pool.log", "worker.log", "late.log"):
            path = self.tmp / name
            text = path.read_text(errors="replace") if path.exists() else ""
            parts.append(f"--- {name} (tail) ---\n{text[-3000:]}")
        return "\n".join(parts)


def _query(db: Path, sql: str, *args: object) -> list[tuple]:
    """Read the pool's or the worker's own SQLite store (read-only, while they run)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        return conn.execute(sql, args).fetchall()


def node_row(world: World, node_id: str = "vol") -> tuple | None:
    if not world.pool_db.exists():
        return None
    rows = _query(
        world.pool_db, "SELECT hostname, port, last_seen FROM nodes WHERE node_id=?", node_id
    )
    return rows[0] if rows else None


def wait_until(what: str, check, world: World, timeout: float = 30):
    """wait_for, failing with the lab's logs."""
    try:
        return wait_for(check, what, timeout, interval=0.25)
    except AssertionError as exc:
        pytest.fail(f"{exc}\n{world.logs()}", pytrace=False)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("tunnel")
    try:
        lab = Lab()
    except LabError as exc:
        pytest.fail(str(exc), pytrace=False)
    with lab:  # tears everything down, also when the setup below fails
        pool = start_pool(lab)
        worker = add_worker(pool, "wkr", 2)
        stranger = add_worker(pool, "str", 3)
        enable_forwarding(pool.ns)
        env = python_env()
        with (tmp / "pool.log").open("wb") as out:
            lab.start(
                pool.ns,
                [
                    PYTHON,
                    "-m",
                    "hivemind_desktop",
                    "nodepool",
                    *POOL_ARGS.split(),
                    "--data",
                    str(tmp / "pool"),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        wait_for_port(pool.ns, "10.0.0.1", 50051)
        proc = start_headless_worker(lab, worker.ns, tmp / "worker", "vol:pw")
        yield World(lab, pool, worker, stranger, tmp, proc)


def start_headless_worker(lab: Lab, ns: str, home: Path, login: str) -> subprocess.Popen:
    """`hivemind-desktop --headless` in `ns`, everything of its own under `home`, and no
    advertised address: it must find its tunnel address itself."""
    username, password = login.split(":")
    env = dict(
        python_env(),
        MASTER_ADDRESS=POOL,
        HIVEMIND_USERNAME=username,
        HIVEMIND_PASSWORD=password,
        HIVEMIND_DATA_DIR=str(home / "data"),
        HIVEMIND_LOG_DIR=str(home / "logs"),
        HIVEMIND_CONFIG_FILE=str(home / "config.toml"),
        HIVEMIND_TASK_IMAGE=TASK_IMAGE,
        FLASK_PORT=str(FLASK_PORT),
        NODE_PORT=str(NODE_PORT),
        MAX_CPU_CORES="1",
        MAX_MEMORY_GB="1",
        MAX_CONCURRENT_TASKS="1",
        HIVEMIND_BUSY_CPU_PERCENT="0",
        DBUS_SESSION_BUS_ADDRESS="disabled:",
    )
    env.pop("HIVEMIND_ADVERTISE_ADDRESS", None)
    home.mkdir(parents=True, exist_ok=True)
    with (home.parent / f"{home.name}.log").open("wb") as out:
        return lab.start(
            ns,
            [PYTHON, "-m", "hivemind_desktop", "--headless"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )


def submit(world: World, name: str) -> subprocess.CompletedProcess:
    folder = world.tmp / name
    folder.mkdir()
    (folder / "run.sh").write_text(f"echo {name} > out.txt\necho ran {name}\n")
    return run_in(
        world.pool.ns,
        [
            PYTHON,
            "-m",
            "hivemind_desktop",
            "submit",
            str(folder),
            "--pool",
            POOL,
            "--user",
            "sci:pw2",
            "--task-id",
            f"{name}-{world.lab.tag}",
            "--cpu-score",
            "50",
            "--out",
            str(world.tmp / f"{name}-result"),
            "--timeout",
            "45",
        ],
        timeout=60,
        env=python_env(),
    )


def test_worker_registers_its_tunnel_address(world: World) -> None:
    row = wait_until("the worker registered", lambda: node_row(world), world)
    assert row[:2] == (WORKER_IP, NODE_PORT)
    status, health = http_get_json(world.worker.ns, f"http://127.0.0.1:{FLASK_PORT}/health")
    checks = health["checks"]
    assert checks["vpn"]["ok"] is True, checks
    assert checks["vpn"]["address"] == WORKER_IP
    assert checks["address"] == {"ok": True, "detail": WORKER_IP}


def test_task_dispatched_across_the_tunnel(world: World) -> None:
    wait_until("the worker registered", lambda: node_row(world), world)
    done = submit(world, "across")
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}\n{world.logs()}"
    assert f"COMPLETED on {WORKER_IP}" in done.stdout
    assert "status: Success" in done.stdout
    out = world.tmp / "across-result" / "out.txt"
    assert out.read_text().strip() == "across"


EXECUTE = textwrap.dedent(
    """
    import io, json, sys, zipfile, grpc
    from hivemind_desktop.rpc import pb, pb_grpc
    target, task_id = sys.argv[1], sys.argv[2]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("run.sh", "echo intruder > out.txt\\n")
    channel = grpc.insecure_channel(target, options=[("grpc.enable_http_proxy", 0)])
    try:
        reply = pb_grpc.WorkerNodeServiceStub(channel).ExecuteTask(
            pb.ExecuteTaskRequest(task_id=task_id, task_zip=buf.getvalue(), cpu_usage=50,
                                  memory_gb=1),
            timeout=5,
        )
        print(json.dumps({"code": "OK", "success": reply.success, "message": reply.message}))
    except grpc.RpcError as exc:
        print(json.dumps({"code": exc.code().name, "details": exc.details()}))
    """
)


def execute_from(ns: str, target: str, task_id: str) -> dict:
    done = run_in(ns, [PYTHON, "-c", EXECUTE, target, task_id], timeout=30, env=python_env())
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_direct_execute_task_is_refused(world: World) -> None:
    wait_until("the worker registered", lambda: node_row(world), world)
    # A stranger on the tunnel network: packets arrive, the peer check says no.
    tunnel_id = f"intruder-tunnel-{world.lab.tag}"
    answer = execute_from(world.stranger.ns, f"{WORKER_IP}:{NODE_PORT}", tunnel_id)
    assert answer["code"] == "PERMISSION_DENIED", answer
    # The veth underlay address: the worker serves on its tunnel address only.
    underlay_id = f"intruder-underlay-{world.lab.tag}"
    answer = execute_from(world.pool.ns, f"{world.worker.underlay_ip}:{NODE_PORT}", underlay_id)
    assert answer["code"] == "UNAVAILABLE", answer
    received = {r[0] for r in _query(world.worker_db, "SELECT task_id FROM tasks")}
    assert tunnel_id not in received and underlay_id not in received
    found = sh(
        "docker",
        "ps",
        "-aq",
        "--filter",
        f"label=hivemind.task={tunnel_id}",
        "--filter",
        f"label=hivemind.task={underlay_id}",
    ).stdout.strip()
    assert found == ""


def test_tunnel_down_shows_in_health_and_worker_comes_back(world: World) -> None:
    wait_until("the worker registered", lambda: node_row(world), world)
    wg = world.worker.wg
    assert wg is not None
    url = f"http://127.0.0.1:{FLASK_PORT}/health"
    sh("ip", "-n", world.worker.ns, "link", "set", wg.name, "down")
    try:
        status, health = http_get_json(world.worker.ns, url)
        assert status == 503
        vpn = health["checks"]["vpn"]
        assert vpn["ok"] is False
        assert vpn["detail"] == f"WireGuard tunnel {wg.name} is down: activate it in WireGuard"
        wait_until(
            "the worker noticed the pool is unreachable",
            lambda: http_get_json(world.worker.ns, url)[1]["checks"]["node_pool"]["ok"] is False,
            world,
        )
    finally:
        sh("ip", "-n", world.worker.ns, "link", "set", wg.name, "up")
    back_at = time.time()
    wait_until(
        "the worker re-registered after the tunnel came back",
        lambda: (row := node_row(world)) and row[2] > back_at,
        world,
        timeout=45,
    )
    status, health = http_get_json(world.worker.ns, url)
    assert health["checks"]["vpn"]["ok"] is True, health
    done = submit(world, "again")
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}\n{world.logs()}"
    assert f"COMPLETED on {WORKER_IP}" in done.stdout
    assert "status: Success" in done.stdout


def test_worker_started_before_its_tunnel_binds_when_it_appears(world: World) -> None:
    late = add_worker(world.pool, "late", 4, tunnel=False)
    start_headless_worker(world.lab, late.ns, world.tmp / "late", "late:pw3")
    url = f"http://127.0.0.1:{FLASK_PORT}/health"
    wait_for_port(late.ns, "127.0.0.1", FLASK_PORT)
    status, health = http_get_json(late.ns, url)
    assert status == 503
    checks = health["checks"]
    assert checks["vpn"]["ok"] is False
    assert checks["address"]["ok"] is False
    assert "node pool will not be able to reach this machine" in checks["address"]["detail"]
    assert node_row(world, "late") is None  # nothing to register without an address
    start_worker_tunnel(world.pool, late, 4)
    row = wait_until("the late worker registered", lambda: node_row(world, "late"), world)
    assert row[:2] == ("10.0.0.4", NODE_PORT)
    wait_for_port(late.ns, "10.0.0.4", NODE_PORT)
    status, health = http_get_json(late.ns, url)
    assert health["checks"]["address"] == {"ok": True, "detail": "10.0.0.4"}, health
