#!/usr/bin/env python3
"""What HiveMind Desktop sees of this machine's NVIDIA GPUs, for a lent GPU machine.

Prints read_gpus(), the totals the worker would advertise, one monitor sample, and the
cost of 100 GPU reads (the monitor reads once a second). Exit status 0 when at least one
GPU was found, 1 otherwise.

    .venv/bin/python scripts/gpu_check.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hivemind_desktop.core.accountant import machine_totals  # noqa: E402
from hivemind_desktop.core.gpu import GpuReader, read_gpus  # noqa: E402
from hivemind_desktop.core.monitor import Monitor  # noqa: E402
from hivemind_desktop.core.settings import Settings  # noqa: E402


def main() -> int:
    start = time.perf_counter()
    gpus, message = read_gpus()
    print(f"first read_gpus(): {time.perf_counter() - start:.4f} s (includes nvmlInit)")
    print(f"message: {message}")
    for g in gpus:
        print(
            f"  GPU {g.index}: {g.name}: {g.utilization_percent:.0f} % busy, "
            f"{g.memory_used_mb} / {g.memory_total_mb} MiB ({g.memory_percent:.1f} %), "
            f"{g.memory_total_gb} GiB advertised"
        )

    settings = Settings(max_cpu_cores=4096, max_memory_gb=65536, share_gpu=True)
    print(f"machine totals (no share caps): {machine_totals(settings, gpus)}")
    print(
        f"with max_gpu_memory_gb=40: {machine_totals(settings.replace(max_gpu_memory_gb=40), gpus)}"
    )

    reader = GpuReader()
    reader.read()  # init outside the timing
    start = time.perf_counter()
    for _ in range(100):
        reader.read()
    elapsed = time.perf_counter() - start
    print(f"100 reads: {elapsed:.4f} s, {elapsed * 10:.3f} ms per read")
    reader.shutdown()
    after, _ = reader.read()
    print(f"read after shutdown re-inits: {len(after)} GPU(s)")
    reader.shutdown()

    monitor = Monitor(None, interval_s=0.2, history=5)
    monitor.start()
    time.sleep(0.5)
    monitor.stop()
    print(f"monitor sample: {monitor.latest()}")
    print(f"monitor gpu_message: {monitor.gpu_message}")
    return 0 if gpus else 1


if __name__ == "__main__":
    sys.exit(main())
