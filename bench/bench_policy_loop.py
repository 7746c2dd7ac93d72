#!/usr/bin/env python3
"""What the contribution policy costs an idle worker: the CPU of one `PolicyLoop.tick`
(real sensors: X11 idle time when DISPLAY is set, battery, free memory; the policy's
decision; the engine-side no-op) times its rate, once a second, as % of one core.

The baseline, measured in the same run, is a tick that reads nothing (the loop's own
wake-up). Target (issue 12): the policy loop costs <= 0.05 % of a core.

    .venv/bin/python bench/bench_policy_loop.py [--ticks 2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl  # noqa: E402

from hivemind_desktop.core.contribution import POLICY_S, PolicyLoop, SystemSensors  # noqa: E402
from hivemind_desktop.core.monitor import Sample  # noqa: E402
from hivemind_desktop.core.settings import Settings  # noqa: E402
from hivemind_desktop.core.store import Store  # noqa: E402

TARGET_PCT = 0.05


def cpu_per_call(call, ticks: int) -> float:
    """CPU seconds one call costs, from process time over `ticks` calls."""
    started = time.process_time()
    for _ in range(ticks):
        call()
    return (time.process_time() - started) / ticks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hivemind-bench-policy-") as scratch:
        store = Store(Path(scratch) / "worker.sqlite3")
        sample = Sample(time.time(), 12.0, 40.0, 8.0, 50.0, None, None, memory_available_gb=9.0)
        loop = PolicyLoop(
            settings=lambda: Settings(suspend_when_in_use=True, schedule="mon-sun"),
            sensors=SystemSensors(),
            latest_sample=lambda: sample,
            tasks=list,
            store=store,
        )
        loop.tick()  # the sensors pick their source once
        tick = cpu_per_call(loop.tick, args.ticks)
        empty = cpu_per_call(lambda: None, args.ticks)
        store.close()
    per_second = 100 * tick / POLICY_S
    sources = SystemSensors().idle_seconds()
    bl.print_table(
        "Contribution policy loop, once a second",
        [
            (
                "CPU, % of one core",
                f"{per_second:.4f} % ({tick * 1e6:.0f} us a tick)",
                f"empty tick {empty * 1e6:.2f} us",
                f"{per_second / TARGET_PCT:.2f}x of target",
                f"<= {TARGET_PCT} %",
                per_second <= TARGET_PCT,
            ),
        ],
    )
    print(f"  idle time readable here: {'yes' if sources is not None else 'no (no display)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
