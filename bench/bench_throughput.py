#!/usr/bin/env python3
"""(b) 40 trivial tasks, 4 at a time, through the worker (MAX_CONCURRENT_TASKS=4) against
the same 40 through `docker run --rm` with 4 in parallel: tasks per second of each.

Both sides are closed loops of 4 clients: a worker client sends the next ExecuteTask when
its previous task's result was acknowledged by the node pool; a docker client starts the
next `docker run --rm` when its previous one returned. Each task asks for half a core so
that 4 fit in this machine's shares. Rounds alternate which side goes first (ABBA...),
so drift on a shared machine hits both sides alike; rates are over all rounds.
Target: worker >= 0.9x the docker throughput.

    .venv/bin/python bench/bench_throughput.py [--tasks 40] [--parallel 4] [--rounds 4]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl  # noqa: E402

TARGET = 0.9
CPU_SCORE = 50  # half a core per task: 4 fit in 2 cores of shares


def closed_loop(count: int, parallel: int, one: Callable[[int], None]) -> float:
    """Run `one(i)` for i in range(count) with `parallel` clients; seconds taken."""
    next_index = iter(range(count))
    lock = threading.Lock()
    stop = threading.Event()  # an error or Ctrl-C: clients take no further task

    def client() -> None:
        while not stop.is_set():
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            one(i)

    started = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        try:
            for f in [pool.submit(client) for _ in range(parallel)]:
                f.result()
        except BaseException:
            stop.set()
            raise
    return time.perf_counter() - started


def worker_batch(rig: bl.Rig, count: int, parallel: int, tag: str) -> float:
    data = bl.task_zip()
    ids = [f"tp-{tag}-{i}-{uuid.uuid4().hex[:6]}" for i in range(count)]
    for task_id in ids:  # the pool's queue, filled before the clock starts
        rig.queue(task_id, data, cpu_score=CPU_SCORE)

    def one(i: int) -> None:
        task_id = ids[i]
        done = rig.acks.expect(task_id)
        rig.execute(task_id, data, cpu_score=CPU_SCORE)
        if not done.wait(120):
            raise bl.BenchError(f"task {task_id}: no acknowledged result within 120 s")
        rig.check_result(task_id)

    return closed_loop(count, parallel, one)


def docker_batch(tmp: Path, count: int, parallel: int, tag: str) -> float:
    workspaces = [bl.baseline_workspace(tmp / tag, i) for i in range(count)]

    def one(i: int) -> None:
        name = f"hivemind-bench-tp-{uuid.uuid4().hex[:8]}"
        bl.docker_run_once(workspaces[i], name, cpu_score=CPU_SCORE)

    return closed_loop(count, parallel, one)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=40, help="tasks per batch")
    parser.add_argument("--parallel", type=int, default=4, help="tasks at a time")
    parser.add_argument(
        "--rounds", type=int, default=4, help="batches of each, alternating (even is fairest)"
    )
    parser.add_argument("--verbose", action="store_true", help="log the worker at INFO")
    args = parser.parse_args(argv)
    if min(args.tasks, args.parallel, args.rounds) < 1:
        parser.error("--tasks, --parallel and --rounds must be >= 1")
    bl.console_logging(args.verbose)
    bl.interrupt_on_sigterm()
    worker_s: list[float] = []
    docker_s: list[float] = []
    try:
        bl.require_docker_and_image()
        with (
            tempfile.TemporaryDirectory(prefix="hivemind-bench-ws-") as tmp,
            bl.rig(args.parallel) as rig,
        ):
            # Warm both paths (image cache, first connections) outside the clock.
            worker_batch(rig, args.parallel, args.parallel, "warm")
            docker_batch(Path(tmp), args.parallel, args.parallel, "warm")
            for r in range(args.rounds):
                tag = f"r{r}"
                sides = [
                    ("worker", lambda: worker_batch(rig, args.tasks, args.parallel, tag)),
                    ("docker", lambda: docker_batch(Path(tmp), args.tasks, args.parallel, tag)),
                ]
                for name, batch in sides if r % 2 == 0 else reversed(sides):
                    seconds = batch()
                    (worker_s if name == "worker" else docker_s).append(seconds)
                    print(f"round {r + 1}: {name} {args.tasks} tasks in {seconds:.2f} s")
    except bl.BenchError as exc:
        print(f"bench_throughput: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench_throughput: interrupted; cleaned up", file=sys.stderr)
        return 130
    finally:
        bl.remove_bench_containers()
    total = args.tasks * args.rounds
    w_rate, d_rate = total / sum(worker_s), total / sum(docker_s)
    ratio = w_rate / d_rate
    bl.print_table(
        f"(b) throughput, {args.tasks} tasks x {args.rounds} rounds, {args.parallel} at a time",
        [
            (
                "worker tasks/s (to acknowledged result)",
                f"{w_rate:.2f}/s",
                f"{d_rate:.2f}/s (docker run --rm)",
                f"{ratio:.2f}x",
                f">= {TARGET:.2f}x",
                ratio >= TARGET,
            )
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
