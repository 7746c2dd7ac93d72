#!/usr/bin/env python3
"""What gVisor costs: latency and throughput of tasks in runsc against runc, both measured
in the same run, through the worker and as bare `docker run --rm`.

(1) one trivial task through the worker (ExecuteTask -> result acknowledged by the node
    pool), median of N, the runtime alternating run by run on one worker;
(2) the same container as `docker run --rm`, median of N, alternating;
(3) throughput: a closed loop of --tasks trivial tasks, --parallel at a time, through
    the worker, per runtime, rounds alternating which goes first;
(4) work inside the task: CPU (a Python loop) and system calls (small files written and
    read back), seconds measured by the task itself, median of N.
Ratios are runsc / runc for times and runsc / runc for rates; there is no target: it is
the price of the stronger sandbox, printed so a volunteer can weigh it.

    .venv/bin/python bench/bench_runtime.py [--runs 8] [--tasks 12] [--parallel 3]
                                             [--rounds 2] [--verbose]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl  # noqa: E402
from bench_throughput import closed_loop  # noqa: E402

from hivemind_desktop.core import task_runtime  # noqa: E402

RUNTIMES = (task_runtime.RUNC, task_runtime.RUNSC)
THROUGHPUT_CPU = 50  # half a core per task, so that --parallel 3 fit in 2 cores of shares
WORK_PY = """\
import os, time
started = time.perf_counter()
total = 0
for i in range(3_000_000):
    total += i * i
cpu = time.perf_counter() - started
started = time.perf_counter()
os.makedirs("files", exist_ok=True)
for i in range(2000):
    with open(f"files/{i}.txt", "w") as f:
        f.write("x" * 512)
for i in range(2000):
    with open(f"files/{i}.txt") as f:
        f.read()
io = time.perf_counter() - started
print(f"cpu {cpu:.4f} io {io:.4f}")
"""
_WORK_LINE = re.compile(r"cpu (\S+) io (\S+)")


def use(rig: bl.Rig, runtime: str) -> None:
    """New tasks of the rig's worker run in `runtime` (running ones keep theirs)."""
    worker = rig.worker
    worker.apply_settings(worker.settings.replace(task_runtime=runtime))  # type: ignore[attr-defined]


def worker_task(
    rig: bl.Rig, data: bytes, tag: str, cpu_score: int = bl.CPU_SCORE
) -> tuple[float, str]:
    """Seconds from ExecuteTask to the acknowledged result, and the task's console."""
    task_id = f"rt-{tag}-{uuid.uuid4().hex[:6]}"
    done = rig.acks.expect(task_id)
    rig.queue(task_id, data, cpu_score=cpu_score)
    started = time.perf_counter()
    rig.execute(task_id, data, cpu_score=cpu_score)
    if not done.wait(120):
        raise bl.BenchError(f"task {task_id}: no acknowledged result within 120 s")
    elapsed = rig.acks.finished_at(task_id) - started
    rig.check_result(task_id)
    record = rig.worker.task(task_id)  # type: ignore[attr-defined]
    if record.runtime != tag.split("-")[0]:
        raise bl.BenchError(f"task {task_id} ran in {record.runtime}, not {tag}")
    return elapsed, rig.worker.task_output(task_id)  # type: ignore[attr-defined]


def latency(rig: bl.Rig, tmp: Path, runs: int, warmup: int) -> dict[str, dict[str, list[float]]]:
    data = bl.task_zip()
    times: dict[str, dict[str, list[float]]] = {"worker": {}, "docker": {}}
    for i in range(warmup + runs):
        order = RUNTIMES if i % 2 == 0 else tuple(reversed(RUNTIMES))
        for runtime in order:
            use(rig, runtime)
            t, _ = worker_task(rig, data, f"{runtime}-lat")
            ws = bl.baseline_workspace(tmp / runtime, i)
            d = bl.docker_run_once(ws, f"hivemind-bench-rt-{uuid.uuid4().hex[:8]}", runtime=runtime)
            if i >= warmup:
                times["worker"].setdefault(runtime, []).append(t)
                times["docker"].setdefault(runtime, []).append(d)
    return times


def throughput(rig: bl.Rig, tasks: int, parallel: int, rounds: int) -> dict[str, float]:
    data = bl.task_zip()
    seconds: dict[str, float] = dict.fromkeys(RUNTIMES, 0.0)
    for r in range(rounds):
        for runtime in RUNTIMES if r % 2 == 0 else tuple(reversed(RUNTIMES)):
            use(rig, runtime)
            seconds[runtime] += closed_loop(
                tasks,
                parallel,
                lambda i, rt=runtime: worker_task(rig, data, f"{rt}-tp", THROUGHPUT_CPU),  # type: ignore[misc]
            )
            print(f"round {r + 1}: {runtime} {tasks} tasks, {parallel} at a time")
    return {rt: tasks * rounds / s for rt, s in seconds.items()}


def work(rig: bl.Rig, runs: int) -> dict[str, dict[str, list[float]]]:
    data = bl.task_zip(WORK_PY)
    found: dict[str, dict[str, list[float]]] = {"cpu": {}, "io": {}}
    for i in range(runs):
        for runtime in RUNTIMES if i % 2 == 0 else tuple(reversed(RUNTIMES)):
            use(rig, runtime)
            _, console = worker_task(rig, data, f"{runtime}-work")
            match = _WORK_LINE.search(console)
            if not match:
                raise bl.BenchError(f"the work task printed no timings: {console[-200:]!r}")
            found["cpu"].setdefault(runtime, []).append(float(match.group(1)))
            found["io"].setdefault(runtime, []).append(float(match.group(2)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8, help="latency and work runs of each")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured latency runs first")
    parser.add_argument("--tasks", type=int, default=12, help="tasks per throughput batch")
    parser.add_argument("--parallel", type=int, default=3, help="tasks at a time")
    parser.add_argument("--rounds", type=int, default=2, help="throughput batches of each")
    parser.add_argument("--verbose", action="store_true", help="log the worker at INFO")
    args = parser.parse_args(argv)
    if min(args.runs, args.tasks, args.parallel, args.rounds) < 1 or args.warmup < 0:
        parser.error("--runs, --tasks, --parallel and --rounds must be >= 1, --warmup >= 0")
    bl.console_logging(args.verbose)
    bl.interrupt_on_sigterm()
    try:
        bl.require_docker_and_image()
        import docker

        if task_runtime.RUNSC not in (docker.from_env().info().get("Runtimes") or {}):
            raise bl.BenchError("the Docker engine has no runsc runtime: run scripts/enable-gvisor")
        with tempfile.TemporaryDirectory(prefix="hivemind-bench-ws-") as tmp, bl.rig(
            args.parallel
        ) as rig:
            lat = latency(rig, Path(tmp), args.runs, args.warmup)
            rates = throughput(rig, args.tasks, args.parallel, args.rounds)
            inside = work(rig, args.runs)
    except bl.BenchError as exc:
        print(f"bench_runtime: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench_runtime: interrupted; cleaned up", file=sys.stderr)
        return 130
    finally:
        bl.remove_bench_containers()

    def row(what: str, values: dict[str, list[float]], unit: float, suffix: str) -> tuple:
        runc, runsc = bl.median(values["runc"]), bl.median(values["runsc"])
        return (
            what,
            f"{runsc * unit:.0f} {suffix} (runsc)",
            f"{runc * unit:.0f} {suffix} (runc)",
            f"{runsc / runc:.2f}x",
            "-",
            None,
        )

    bl.print_table(
        f"gVisor (runsc) against runc: medians of {args.runs}, throughput over "
        f"{args.rounds} x {args.tasks} tasks ({args.parallel} at a time)",
        [
            row("trivial task through the worker", lat["worker"], 1000, "ms"),
            row("trivial task, docker run --rm", lat["docker"], 1000, "ms"),
            (
                "throughput through the worker",
                f"{rates['runsc']:.2f} tasks/s (runsc)",
                f"{rates['runc']:.2f} tasks/s (runc)",
                f"{rates['runsc'] / rates['runc']:.2f}x",
                "-",
                None,
            ),
            row("CPU work in the task (3M-step loop)", inside["cpu"], 1000, "ms"),
            row("2000 small files written + read", inside["io"], 1000, "ms"),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
