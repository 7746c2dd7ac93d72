"""A task that fails or runs out of memory on a real worker (real Docker) is FAILED at
the local node pool, earns the volunteer nothing, and `submit` says so and exits 1."""

from __future__ import annotations

import argparse

import pytest

from hivemind_desktop.nodepool.cli import add_submit_arguments, run_submit
from hivemind_desktop.nodepool.models import COMPLETED, FAILED
from tests.kit import wait_for
from tests.kit.e2e import SCIENTIST, SCIENTIST_PW, VOLUNTEER, make_task

pytestmark = pytest.mark.docker

CRASHING = "print('about to fail', flush=True)\nraise SystemExit(3)\n"
GREEDY = "chunks = []\nwhile True:\n    chunks.append(bytearray(64 * 1024 * 1024))\n"


def submit(pool, folder, task_id: str, out) -> int:
    parser = argparse.ArgumentParser()
    add_submit_arguments(parser)
    args = parser.parse_args(
        [str(folder), "--pool", pool.address, "--user", SCIENTIST, "--task-id", task_id]
        + ["--out", str(out), "--timeout", "120", "--memory-gb", "1", "--cpu-score", "50"]
    )
    return run_submit(args)


def test_failed_and_out_of_memory_tasks_are_failed_and_unpaid(
    tmp_path, make_pool, start_worker, capsys, monkeypatch
):
    pool = make_pool()
    start_worker(pool)
    monkeypatch.setenv("HIVEMIND_PASSWORD", SCIENTIST_PW)

    crashing = make_task(tmp_path, "crashing", CRASHING)
    assert submit(pool, crashing, "crashing", tmp_path / "crashing-out") == 1
    printed = capsys.readouterr().out
    assert "task crashing: FAILED" in printed and "status: Failed" in printed
    assert pool.task("crashing").status == FAILED
    assert pool.task("crashing").message == "failed on the worker: exit code 3"

    greedy = make_task(tmp_path, "greedy", GREEDY)
    assert submit(pool, greedy, "greedy", tmp_path / "greedy-out") == 1
    printed = capsys.readouterr().out
    assert "task greedy: FAILED" in printed and "out of memory" in printed
    assert "out of memory" in pool.task("greedy").message
    assert (tmp_path / "greedy-out" / "execution_log.txt").is_file()

    assert pool.balance(VOLUNTEER) == 0  # nothing paid for either
    fine = make_task(tmp_path, "fine", "print('ok')\n")
    assert submit(pool, fine, "fine", tmp_path / "fine-out") == 0
    wait_for(lambda: pool.task("fine").status == COMPLETED, "COMPLETED", 10)
    assert pool.balance(VOLUNTEER) == 10
