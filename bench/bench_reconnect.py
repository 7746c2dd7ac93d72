#!/usr/bin/env python3
"""How soon a worker's node-pool client is back after a pool outage: time from the pool
answering again to (a) the node registered again and (b) a result that waited in the
outbox acknowledged. Measured for this checkout and, in the same run, for a baseline
revision (default: the commit before the reconnect fix), each in its own process.

Each measurement: a real `NodePool` on 127.0.0.1 (with a data dir, so it keeps its tasks
across the restart), the real `NodePoolClient` signed in and registered, then the pool is
stopped; a result enters the outbox while it is down; after `--outage` seconds the pool
starts again on the same port. No Docker needed: the client is what is measured.

    .venv/bin/python bench/bench_reconnect.py [--outage 60] [--baseline-rev REV]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE_REV = "21f7e82"  # before the channel backoff cap and the retry on reconnect
VOLUNTEER = "bench-volunteer"
TASK_ID = "waiting-result"
GIVE_UP_S = 240.0


def measure(outage_s: float) -> dict[str, float]:
    """Runs with whatever `hivemind_desktop` is importable (this checkout or a baseline)."""
    from hivemind_desktop.core.events import EventBus
    from hivemind_desktop.core.models import Resources
    from hivemind_desktop.core.store import Store

    try:
        from hivemind_desktop.core.pool.client import NodePoolClient, NodeReport
    except ImportError:  # a baseline from before the client was split into core/pool/
        from hivemind_desktop.core.pool_client import (  # type: ignore[no-redef]
            NodePoolClient,
            NodeReport,
        )
    from hivemind_desktop.nodepool import NodePool, UserSpec

    scratch = Path(tempfile.mkdtemp(prefix="hivemind-bench-reconnect-"))
    password = secrets.token_urlsafe(12)

    def start_pool(listen: str) -> NodePool:
        return NodePool(
            listen=listen,
            users=[UserSpec(VOLUNTEER, password)],
            data_dir=scratch / "pool",
            dispatch_interval_s=3600,  # nothing is dispatched: the task is placed by hand
        ).start()

    pool = start_pool("127.0.0.1:0")
    address = pool.address
    store = Store(scratch / "worker.sqlite3")
    acked = threading.Event()

    def on_ack(task_id: str) -> None:
        store.remove_outbox(task_id)
        acked.set()

    report = NodeReport(
        hostname="127.0.0.2", port=50999, totals=Resources(100, 1, 0, 0), gpu_name="",
        docker_status="available", status="Idle", running_tasks=0, cpu_usage=0.0,
        memory_usage=0.0, gpu_usage=0.0, gpu_memory_usage=0.0, location="",
    )  # fmt: skip
    client = NodePoolClient(
        address, events=EventBus(), store=store, report=lambda: report,
        on_result_acknowledged=on_ack,
    )  # fmt: skip
    client.sign_in(VOLUNTEER, password)
    client.start()
    try:
        _wait(lambda: pool.node(VOLUNTEER) is not None, 30, "first registration")
        pool._live_store.add_task(
            {"task_id": TASK_ID, "owner": VOLUNTEER, "memory_gb": 1, "cpu_score": 100,
             "gpu_score": 0, "gpu_memory_gb": 0, "gpu_name": "", "location": ""},
            b"PK\x05\x06" + bytes(18), time.time(),
        )  # fmt: skip
        pool._live_store.begin_dispatch(TASK_ID, VOLUNTEER, "127.0.0.2")
        pool._live_store.mark_running(TASK_ID, time.time())
        pool.stop(grace=0)
        time.sleep(2)  # the task ends while the pool is away
        result = scratch / "result.zip"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("execution_log.txt", "status: Success\n")
        result.write_bytes(buf.getvalue())
        store.add_outbox(TASK_ID, result)
        client.result_ready()
        time.sleep(max(0.0, outage_s - 2))
        pool = start_pool(address)
        back = time.monotonic()
        started = time.time()
        _wait(lambda: (n := pool.node(VOLUNTEER)) and n.last_seen >= started, GIVE_UP_S, "reg")
        registered = time.monotonic() - back
        if not acked.wait(GIVE_UP_S):
            raise RuntimeError("the waiting result was never acknowledged")
        uploaded = time.monotonic() - back
        return {"register_s": registered, "upload_s": uploaded}
    finally:
        client.stop(flush_timeout=0)
        pool.stop(grace=0)
        store.close()


def _wait(condition, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


def run_child(code_root: Path, outage_s: float) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure", "--outage", str(outage_s)],
        cwd=code_root, env=env, capture_output=True, text=True, timeout=outage_s + 2 * GIVE_UP_S,
    )  # fmt: skip
    if out.returncode != 0:
        raise RuntimeError(f"measurement in {code_root} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def export_revision(rev: str, dest: Path) -> Path:
    """The package as it was at `rev`, without touching the working tree or git state."""
    data = subprocess.run(
        ["git", "archive", rev, "hivemind_desktop"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=60.0, help="seconds the pool is down")
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.outage)))
        return 0
    with tempfile.TemporaryDirectory(prefix="hivemind-bench-baseline-") as tmp:
        base = run_child(export_revision(args.baseline_rev, Path(tmp)), args.outage)
        now = run_child(ROOT, args.outage)
    print(f"pool down {args.outage:g} s; seconds from the pool answering again to:")
    print(f"{'':24}{'baseline ' + args.baseline_rev:>18}{'this checkout':>16}{'ratio':>8}")
    for key, label in (("register_s", "registered again"), ("upload_s", "outbox result acked")):
        ratio = now[key] / base[key] if base[key] else float("nan")
        print(f"{label:24}{base[key]:>18.1f}{now[key]:>16.1f}{ratio:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
