#!/usr/bin/env python3
"""(a) One trivial task, ExecuteTask -> result acknowledged by the node pool, against
`docker run --rm` of the same container; interleaved, median of N each.

The worker is driven as the pool drives it: a real gRPC ExecuteTask from 127.0.0.1 to the
worker on 127.0.0.2; the clock stops when the engine moves the task to COMPLETED, which
it does only after the local node pool acknowledged the result upload. Target <= 1.15x.

    .venv/bin/python bench/bench_task_latency.py [--runs 10] [--warmup 2] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl  # noqa: E402

from hivemind_desktop.core.models import TaskState  # noqa: E402

TARGET = 1.15


PHASES = (  # (label, from state, to state): where the worker's time goes
    ("ExecuteTask -> container started", None, TaskState.RUNNING),
    ("container run, console, removal, result zip", TaskState.RUNNING, TaskState.UPLOADING),
    ("result upload -> pool acknowledged", TaskState.UPLOADING, TaskState.COMPLETED),
)


def worker_once(rig: bl.Rig, data: bytes, index: int, phases: dict[str, list[float]]) -> float:
    task_id = f"lat-{index}-{uuid.uuid4().hex[:6]}"
    done = rig.acks.expect(task_id)
    rig.queue(task_id, data)
    started = time.perf_counter()
    rig.execute(task_id, data)
    if not done.wait(60):
        raise bl.BenchError(f"task {task_id}: no acknowledged result within 60 s")
    elapsed = rig.acks.finished_at(task_id) - started
    rig.check_result(task_id)
    seen = rig.acks.phases[task_id]
    for label, first, last in PHASES:
        begin = started if first is None else seen[first]
        phases.setdefault(label, []).append(seen[last] - begin)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="measured runs of each (>= 1)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured runs of each first")
    parser.add_argument("--verbose", action="store_true", help="log the worker at INFO")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be >= 1 and --warmup >= 0")
    bl.console_logging(args.verbose)
    bl.interrupt_on_sigterm()
    try:
        bl.require_docker_and_image()
        worker_times, docker_times, phases = run(args.runs, args.warmup)
    except bl.BenchError as exc:
        print(f"bench_task_latency: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench_task_latency: interrupted; cleaned up", file=sys.stderr)
        return 130
    finally:
        bl.remove_bench_containers()
    w, d = bl.median(worker_times), bl.median(docker_times)
    print(f"worker runs (s): {' '.join(f'{t:.3f}' for t in worker_times)}")
    print(f"docker runs (s): {' '.join(f'{t:.3f}' for t in docker_times)}")
    print("worker phases (median):")
    for label, values in phases.items():
        print(f"  {label:45} {bl.median(values) * 1000:6.0f} ms")
    ratio = w / d
    bl.print_table(
        f"(a) task latency, median of {args.runs} interleaved runs each",
        [
            (
                "ExecuteTask -> acknowledged result",
                f"{w * 1000:.0f} ms",
                f"{d * 1000:.0f} ms (docker run --rm)",
                f"{ratio:.2f}x",
                f"<= {TARGET:.2f}x",
                ratio <= TARGET,
            )
        ],
    )
    return 0


def run(runs: int, warmup: int) -> tuple[list[float], list[float], dict[str, list[float]]]:
    data = bl.task_zip()
    phases: dict[str, list[float]] = {}
    scratch_phases: dict[str, list[float]] = {}
    worker_times: list[float] = []
    docker_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="hivemind-bench-ws-") as tmp, bl.rig(1) as rig:
        for i in range(warmup + runs):
            # Alternate which goes first so drift on a shared machine hits both alike.
            order = ("worker", "docker") if i % 2 == 0 else ("docker", "worker")
            for kind in order:
                if kind == "worker":
                    t = worker_once(rig, data, i, phases if i >= warmup else scratch_phases)
                    if i >= warmup:
                        worker_times.append(t)
                else:
                    ws = bl.baseline_workspace(Path(tmp), i)
                    t = bl.docker_run_once(ws, f"hivemind-bench-lat-{uuid.uuid4().hex[:8]}")
                    if i >= warmup:
                        docker_times.append(t)
    return worker_times, docker_times, phases


if __name__ == "__main__":
    sys.exit(main())
