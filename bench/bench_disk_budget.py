#!/usr/bin/env python3
"""Disk budget overshoot: how far past HIVEMIND_TASK_DISK_MB a task writing as fast as the
disk allows gets before the worker ends it, for budgets of 100, 512 and 2048 MiB.

The baseline, measured in the same run, is the same writer in `docker run --rm` of the
worker's container (no budget): its write speed turns the overshoot into milliseconds of
unhindered writing. Target: overshoot <= max(10 % of the budget, 256 MiB).

    .venv/bin/python bench/bench_disk_budget.py [--budgets 100,512,2048] [--runtime runc|runsc]

With --runtime runsc the task and the baseline run in gVisor: the kill is then a SIGKILL
to the sandbox process, which ends every process of the task inside it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl  # noqa: E402

from hivemind_desktop.core.models import TaskState  # noqa: E402

MIB = 1024 * 1024
BASELINE_MB = 2048
# Writes total.txt MiB of zeros in 4 MiB blocks straight to the file, prints MiB/s.
WRITER = """\
import os, time
total = int(open("total.txt").read())
block = bytes(4 << 20)
fd = os.open("fill.bin", os.O_WRONLY | os.O_CREAT, 0o644)
started = time.perf_counter()
for _ in range(total // 4):
    os.write(fd, block)
os.close(fd)
print(f"{total / (time.perf_counter() - started):.0f}")
"""


def writer_zip(total_mb: int) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("main.py", WRITER)
        zf.writestr("total.txt", str(total_mb))
    return buf.getvalue()


def baseline_speed(scratch: Path, runtime: str) -> float:
    """MiB/s of the writer in the worker's container via `docker run`, no budget."""
    workspace = scratch / "baseline"
    workspace.mkdir(parents=True)
    (workspace / "main.py").write_text(WRITER)
    (workspace / "total.txt").write_text(str(BASELINE_MB))
    if os.geteuid() == 0:
        for path in (workspace, *workspace.iterdir()):
            os.chown(path, 1000, 1000)
    name = f"bench-disk-{uuid.uuid4().hex[:6]}"
    done = subprocess.run(
        bl.docker_run_args(workspace, name, runtime=runtime), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise bl.BenchError(f"baseline writer failed ({done.returncode}): {done.stderr.strip()}")
    return float(done.stdout.strip())


def overshoot_once(rig: bl.Rig, budget_mb: int) -> tuple[float, str]:
    """MiB written past the budget, and the task's message."""
    worker = rig.worker
    worker.apply_settings(worker.settings.replace(task_disk_budget_mb=budget_mb))
    task_id = f"disk-{budget_mb}-{uuid.uuid4().hex[:6]}"
    data = writer_zip(budget_mb + 1024)
    done = rig.acks.expect(task_id)
    rig.queue(task_id, data)
    rig.execute(task_id, data)
    if not done.wait(180):
        raise bl.BenchError(f"task {task_id}: not ended within 180 s")
    record = worker.task(task_id)
    if rig.acks.state(task_id) != TaskState.FAILED or record.disk_written_mb is None:
        raise bl.BenchError(f"task {task_id} was not ended for its budget: {record.message}")
    return record.disk_written_mb - budget_mb, record.message


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", default="100,512,2048", help="MiB, comma-separated")
    parser.add_argument("--runtime", choices=("runc", "runsc"), default="runc")
    parser.add_argument("--verbose", action="store_true", help="log the worker at INFO")
    args = parser.parse_args(argv)
    budgets = [int(b) for b in args.budgets.split(",") if b.strip()]
    bl.console_logging(args.verbose)
    bl.interrupt_on_sigterm()
    try:
        bl.require_docker_and_image()
        scratch = Path(tempfile.mkdtemp(prefix="hivemind-bench-disk-"))
        speed = baseline_speed(scratch, args.runtime)
        subprocess.run(["rm", "-rf", str(scratch)], check=False)
        rows = []
        with bl.rig(max_concurrent=1, runtime=args.runtime) as rig:
            for budget in budgets:
                over, message = overshoot_once(rig, budget)
                bound = max(0.10 * budget, 256.0)
                if args.verbose:
                    print(f"  {budget} MiB: {message}")
                rows.append(
                    (
                        f"overshoot past a {budget} MiB budget",
                        f"{over:.0f} MiB (= {over / speed * 1000:.0f} ms of writing)",
                        f"writer {speed:.0f} MiB/s unhindered",
                        f"{over / bound:.2f}x of bound",
                        f"<= {bound:.0f} MiB",
                        over <= bound,
                    )
                )
    except bl.BenchError as exc:
        print(f"cannot run: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        bl.remove_bench_containers()
    bl.print_table(f"Disk budget: a task writing as fast as it can ({args.runtime})", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
