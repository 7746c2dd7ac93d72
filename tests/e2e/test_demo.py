"""The README's demo command, as a newcomer runs it: a local node pool, a worker and the
sample tasks, end to end in a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.docker]


def test_demo_runs_every_sample_task_to_success(task_images, tmp_path):
    env = {
        **os.environ,
        "HIVEMIND_CONFIG_FILE": str(tmp_path / "absent.toml"),
        "DBUS_SESSION_BUS_ADDRESS": "disabled:",
        "TMPDIR": str(tmp_path),  # the demo keeps its results in a temporary folder
    }
    run = subprocess.run(
        [sys.executable, "-m", "hivemind_desktop", "demo", "--tasks", "4"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert len(re.findall(r"COMPLETED / Success", out)) == 4
    assert "17984 primes below 200000" in out and "counted 44 words" in out
    assert "pi is about 3.14" in out
    assert re.search(r"trust 5\d/100 \(medium\), earned 40 CPT, 4 tasks completed", out), out
    assert "all sample tasks succeeded" in out
