#!/usr/bin/env python3
"""What a large task archive costs the worker's memory: peak resident memory while it
receives and unpacks the archive, while it uploads the (equally large) result, and how
far it comes back down afterwards, as ratios against the archive size and the idle RSS.

A real node pool (`python -m hivemind_desktop.nodepool serve`) and a real headless
worker (`python -m hivemind_desktop --headless`) run as subprocesses on loopback; a
submitter uploads an archive of N MB of random bytes (stored, so the zip is N MB) plus a
`main.py` that prints one line; the pool's own dispatcher sends ExecuteTask to the worker,
which unpacks it, runs it in Docker (`hivemind/task-python`) and uploads the whole
workspace back as the result (about N MB again). The worker's RSS is sampled with
psutil every few milliseconds; its task state comes from the status API.

Targets (issue 13): peak growth <= 1.5x the archive size while receiving + unpacking
and while uploading; RSS back within 20 MB of idle after the task.

    .venv/bin/python bench/bench_archive_memory.py [--sizes 50,200,500] [--settle 20] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl  # noqa: E402
from bench_idle import wait_port, wait_registered  # noqa: E402

from hivemind_desktop.rpc import MAX_MESSAGE_BYTES, pb, pb_grpc  # noqa: E402

MB = 2**20
PEAK_TARGET = 1.5  # x the archive size
SETTLED_TARGET_MB = 20.0
SAMPLE_S = 0.002
STATE_POLL_S = 0.05
SCIENTIST = "bench-scientist"


@dataclass
class Trace:
    """RSS samples (time, bytes) and the task states seen (time, state)."""

    rss: list[tuple[float, int]] = field(default_factory=list)
    states: list[tuple[float, str]] = field(default_factory=list)

    def first(self, *states: str) -> float | None:
        return next((t for t, s in self.states if s in states), None)

    def peak(self, start: float, end: float) -> int:
        return max((r for t, r in self.rss if start <= t <= end), default=0)


def sample(proc: psutil.Process, status_port: int, task_id: str, trace: Trace, done) -> None:
    """RSS every SAMPLE_S; the task's state every STATE_POLL_S (a separate thread, so a
    slow status reply never leaves a gap in the RSS samples)."""

    def poll_states() -> None:
        while not done.is_set():
            state = task_state(status_port, task_id)
            if state and (not trace.states or trace.states[-1][1] != state):
                trace.states.append((time.monotonic(), state))
            time.sleep(STATE_POLL_S)

    threading.Thread(target=poll_states, daemon=True).start()
    while not done.is_set():
        try:
            trace.rss.append((time.monotonic(), proc.memory_info().rss))
        except psutil.NoSuchProcess:
            return
        time.sleep(SAMPLE_S)


def task_state(status_port: int, task_id: str) -> str:
    try:
        with urllib.request.urlopen(  # noqa: S310 (a fixed loopback URL)
            f"http://127.0.0.1:{status_port}/api/tasks", timeout=2
        ) as reply:
            tasks = json.load(reply)
    except OSError:
        return ""
    items = tasks.get("tasks", tasks) if isinstance(tasks, dict) else tasks
    return next((t["state"] for t in items if t.get("task_id") == task_id), "")


def idle_rss(proc: psutil.Process, seconds: float = 2.0) -> int:
    """The median of a quiet window, so one stray sample does not set the baseline."""
    values = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        values.append(proc.memory_info().rss)
        time.sleep(0.05)
    return sorted(values)[len(values) // 2]


def make_archive(path: Path, size_mb: int) -> int:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("main.py", "print('hello from a large task')\n")
        with zf.open("data.bin", "w", force_zip64=True) as out:
            for _ in range(size_mb - 1):
                out.write(os.urandom(MB))
            out.write(os.urandom(MB - 4096))  # the pool takes archives up to 500 MiB
    return path.stat().st_size


@dataclass
class Row:
    size: int
    idle: int
    receive_peak: int
    upload_peak: int
    settled: int
    final_state: str


def run_one(
    stub, token: str, proc: psutil.Process, status_port: int, scratch: Path, size_mb: int,
    settle_s: float,
) -> Row:  # fmt: skip
    task_id = f"mem-{size_mb}mb-{os.urandom(3).hex()}"
    archive = scratch / f"{task_id}.zip"
    size = make_archive(archive, size_mb)
    idle = idle_rss(proc)
    trace, done = Trace(), threading.Event()
    sampler = threading.Thread(
        target=sample, args=(proc, status_port, task_id, trace, done), daemon=True
    )
    sampler.start()
    start = time.monotonic()
    reply = stub.UploadTask(
        pb.UploadTaskRequest(
            task_id=task_id, task_zip=archive.read_bytes(), memory_gb=1, cpu_score=100,
            token=token,
        ),
        metadata=[("authorization", f"Bearer {token}")],
        timeout=120,
    )  # fmt: skip
    archive.unlink()
    if not reply.success:
        raise bl.BenchError(f"the pool refused the archive: {reply.message}")
    deadline = time.monotonic() + 300
    while not trace.first("completed", "failed", "stopped"):
        if time.monotonic() > deadline:
            raise bl.BenchError(f"task {task_id} did not finish; states seen: {trace.states}")
        time.sleep(0.1)
    end = time.monotonic()
    time.sleep(settle_s)
    settled = idle_rss(proc, 1.0)
    done.set()
    sampler.join()
    running = trace.first("running", "uploading", "completed", "failed") or end
    uploading = trace.first("uploading") or running
    return Row(
        size=size,
        idle=idle,
        receive_peak=trace.peak(start, running),
        upload_peak=trace.peak(uploading, end),
        settled=settled,
        final_state=trace.states[-1][1],
    )


def report(rows: list[Row], settle_s: float) -> None:
    print(
        f"\n{'archive':>9} {'idle':>8} {'receive+unpack':>16} {'ratio':>6} {'upload':>9} "
        f"{'ratio':>6} {f'after {settle_s:g} s':>11} {'vs idle':>8}  state"
    )
    for r in rows:
        grow_rx, grow_up = r.receive_peak - r.idle, r.upload_peak - r.idle
        rx, up = grow_rx / r.size, grow_up / r.size
        left = (r.settled - r.idle) / MB
        ok = rx <= PEAK_TARGET and up <= PEAK_TARGET and left <= SETTLED_TARGET_MB
        print(
            f"{r.size / MB:7.0f}MB {r.idle / MB:6.0f}MB {grow_rx / MB:+14.0f}MB {rx:5.2f}x "
            f"{grow_up / MB:+7.0f}MB {up:5.2f}x {r.settled / MB:9.0f}MB {left:+6.0f}MB  "
            f"{r.final_state} {'PASS' if ok else 'MISS'}"
        )
    print(
        "floors inside gRPC Python: a received message is held 3x for a moment (the C "
        "core's slices, a bytearray and bytes() of it), a sent one 2x (our bytes and the "
        "core's copy)"
    )
    print(
        f"targets: peak growth <= {PEAK_TARGET}x the archive size (receive+unpack, upload); "
        f"back within {SETTLED_TARGET_MB:g} MB of idle {settle_s:g} s after the task"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,500", help="archive sizes in MB")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds after the task")
    parser.add_argument("--verbose", action="store_true", help="show the processes' output")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    bl.interrupt_on_sigterm()
    try:
        bl.require_docker_and_image()
        return run(sizes, args.settle, args.verbose)
    except bl.BenchError as exc:
        print(f"bench_archive_memory: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench_archive_memory: interrupted; cleaned up", file=sys.stderr)
        return 130


def run(sizes: list[int], settle_s: float, verbose: bool) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="hivemind-bench-mem-"))
    password = "bench-" + os.urandom(6).hex()
    pool_port, node_port = bl.free_port(), bl.free_port(bl.WORKER_HOST)
    status_port = bl.free_port()
    py = sys.executable
    env = {
        **os.environ,
        "HIVEMIND_CONFIG_FILE": str(scratch / "config.toml"),
        "HIVEMIND_USERNAME": bl.VOLUNTEER,
        "HIVEMIND_PASSWORD": password,
        "HIVEMIND_TASK_DISK_MB": str(4 * max(sizes) + 512),  # room for workspace + result
        "HIVEMIND_BUSY_CPU_PERCENT": "0",  # the sender's own load must not freeze the task
        "PYTHONPATH": os.pathsep.join([str(bl.ROOT), os.environ.get("PYTHONPATH", "")]),
        "DBUS_SESSION_BUS_ADDRESS": "disabled:",
    }
    out = None if verbose else subprocess.DEVNULL
    procs: list[subprocess.Popen] = []

    def spawn(cmd: list[str]) -> subprocess.Popen:
        p = subprocess.Popen(cmd, env=env, stdout=out, stderr=out, cwd=scratch)
        procs.append(p)
        return p

    worker_id = ""
    try:
        pool_p = spawn(
            [py, "-m", "hivemind_desktop.nodepool", "serve",
             "--listen", f"127.0.0.1:{pool_port}", "--user", f"{bl.VOLUNTEER}:{password}",
             "--user", f"{SCIENTIST}:{password}:100000", "--dispatch-interval", "0.2",
             "--data", str(scratch / "pool")]
        )  # fmt: skip
        wait_port("127.0.0.1", pool_port, 30, pool_p)
        worker_p = spawn(bl.headless_worker_cmd(pool_port, node_port, status_port, scratch))
        status = wait_registered(status_port, 60, worker_p)
        worker_id = str(status.get("install_id") or "")
        channel = grpc.insecure_channel(
            f"127.0.0.1:{pool_port}",
            options=[
                ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ],
        )
        login = pb_grpc.UserServiceStub(channel).Login(
            pb.LoginRequest(username=SCIENTIST, password=password)
        )
        if not login.success:
            raise bl.BenchError(f"cannot sign in to the pool: {login.message}")
        stub = pb_grpc.MasterNodeServiceStub(channel)
        proc = psutil.Process(worker_p.pid)
        time.sleep(3.0)  # let start-up work settle
        # One small task first: the baseline is a worker that has run a task (its first
        # task loads code and starts threads that stay), not one fresh from start-up.
        run_one(stub, login.token, proc, status_port, scratch, 1, 2.0)
        rows = []
        for size in sizes:
            print(f"archive of {size} MB ...", flush=True)
            rows.append(run_one(stub, login.token, proc, status_port, scratch, size, settle_s))
        channel.close()
        report(rows, settle_s)
        return 0
    finally:
        for p in reversed(procs):
            bl.stop_process(p)
        if worker_id:
            bl.remove_worker_containers(worker_id)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
