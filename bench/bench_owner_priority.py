"""Owner's CPU-bound work while tasks fill their share: speed as a ratio of solo (issue 12).

The owner: one process per core (os.cpu_count()), each counting in a pure-Python loop for
--seconds; its speed is the total count. Solo is the baseline, measured in the same run,
in every round. The tasks: --tasks containers of CPU-burning Python, each the worker's
exact container (benchlib.docker_run_args, one core each), started before the owner's
clock and removed after it, in three arrangements:

  default weight   the worker's flags without --cpu-shares (before this change)
  lowest weight    the worker's flags: --cpu-shares 2 (cgroup v2: cpu.weight 1)
  + low parent     the same under a parent cgroup whose own weight is the lowest
                   (cgroup v1 `cpu` hierarchy, root only; skipped elsewhere)

A container's weight counts only against its siblings (the other containers under the
engine's cgroup); the owner's processes compete with that parent as a whole, which is
why the third row exists.

Usage: .venv/bin/python bench/bench_owner_priority.py [--seconds 6] [--tasks 2] [--rounds 2]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib as bl

TARGET = 0.85
BURN = ["python3", "-c", "while True: pass"]
CGROUP_V1_CPU = Path("/sys/fs/cgroup/cpu")


def _count(seconds: float, out: mp.Queue) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's unwind-on-SIGTERM
    n = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for _ in range(10_000):
            n += 1
    out.put(n)


def owner_work(seconds: float) -> int:
    """The owner's CPU-bound work on every core; returns the loops counted in total."""
    procs = os.cpu_count() or 1
    out: mp.Queue = mp.Queue()
    workers = [mp.Process(target=_count, args=(seconds, out)) for _ in range(procs)]
    for w in workers:
        w.start()
    try:
        return sum(out.get(timeout=seconds + 60) for _ in workers)
    finally:
        for w in workers:
            w.join(timeout=10)  # each exits once its count is flushed to the queue
            if w.is_alive():
                w.terminate()
                w.join()


def start_tasks(tmp: Path, tag: str, count: int, low: bool, parent: str | None) -> None:
    for i in range(count):
        workspace = bl.baseline_workspace(tmp, hash((tag, i)) & 0xFFFFFF)
        args = bl.docker_run_args(
            workspace, f"bench-prio-{os.getpid()}-{tag}-{i}", low_priority=low, command=BURN
        )
        args.insert(2, "-d")  # detached: `docker run -d --rm ...`
        if parent:
            args[3:3] = ["--cgroup-parent", parent]
        done = subprocess.run(args, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise bl.BenchError(f"task container did not start: {done.stderr.strip()[:300]}")


def low_parent_cgroup() -> tuple[str | None, str]:
    """A parent cgroup with the lowest CPU weight, or (None, why not)."""
    if os.geteuid() != 0:
        return None, "needs root to make a cgroup"
    if not (CGROUP_V1_CPU / "cpu.shares").exists():
        return None, "no cgroup v1 cpu hierarchy (cgroup v2: a systemd slice with CPUWeight=idle)"
    name = f"hivemind-bench-{os.getpid()}"
    path = CGROUP_V1_CPU / name
    path.mkdir(exist_ok=True)
    (path / "cpu.shares").write_text("2")
    return "/" + name, ""


def remove_parent_cgroup(parent: str) -> None:
    for hierarchy in Path("/sys/fs/cgroup").iterdir():
        path = hierarchy / parent.lstrip("/")
        if path.is_dir():
            try:
                path.rmdir()
            except OSError as exc:
                print(f"bench_owner_priority: could not remove {path}: {exc}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="owner work per measure")
    parser.add_argument("--tasks", type=int, default=2, help="task containers, one core each")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every arrangement")
    args = parser.parse_args(argv)
    if args.tasks < 1 or args.rounds < 1 or args.seconds <= 0:
        parser.error("--tasks and --rounds must be >= 1, --seconds > 0")
    bl.interrupt_on_sigterm()
    parent: str | None = None
    solo: list[int] = []
    loaded: dict[str, list[int]] = {"default weight": [], "lowest weight": []}
    try:
        bl.require_docker_and_image()
        parent, why_not = low_parent_cgroup()
        if parent:
            loaded["lowest weight + low parent"] = []
        with tempfile.TemporaryDirectory(prefix="hivemind-bench-prio-") as tmp:
            for r in range(args.rounds):
                arrangements = list(loaded)
                for name in arrangements if r % 2 == 0 else reversed(arrangements):
                    solo.append(owner_work(args.seconds))
                    tag = f"r{r}-{len(solo)}"
                    start_tasks(
                        Path(tmp), tag, args.tasks, low=name != "default weight",
                        parent=parent if "parent" in name else None,
                    )  # fmt: skip
                    try:
                        time.sleep(1.0)  # the tasks are burning before the clock starts
                        loaded[name].append(owner_work(args.seconds))
                    finally:
                        bl.remove_bench_containers()
                    print(
                        f"round {r + 1}: solo {solo[-1]:,}, with tasks ({name}) "
                        f"{loaded[name][-1]:,}",
                        flush=True,
                    )
    except bl.BenchError as exc:
        print(f"bench_owner_priority: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench_owner_priority: interrupted; cleaned up", file=sys.stderr)
        return 130
    finally:
        bl.remove_bench_containers()
        if parent:
            remove_parent_cgroup(parent)
    base = bl.median([float(s) for s in solo])
    rows: list[tuple[str, str, str, str, str, bool | None]] = []
    for name, counts in loaded.items():
        ratio = bl.median([float(c) for c in counts]) / base
        target_applies = name == "lowest weight"
        rows.append((
            f"owner with {args.tasks} tasks, {name}",
            f"{bl.median([float(c) for c in counts]) / 1e6:.1f} M loops",
            f"{base / 1e6:.1f} M solo",
            f"{ratio:.2f}x",
            f">= {TARGET}x" if target_applies else "-",
            ratio >= TARGET if target_applies else None,
        ))  # fmt: skip
    cores = os.cpu_count() or 1
    bl.print_table(
        f"Owner's CPU-bound work on {cores} cores ({cores} processes, {args.seconds:g} s), "
        f"median of {args.rounds}",
        rows,
    )
    if not parent:
        print(f"  (low-parent arrangement skipped: {why_not})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
