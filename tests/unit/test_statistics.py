"""The Statistics page's data on a real store file: daily counts that survive pruning,
clearing and a reopen; credits from balance rises; the trust series."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from hivemind_desktop.core import events as ev
from hivemind_desktop.core.models import Resources, TaskRecord, TaskState
from hivemind_desktop.core.statistics import HistoryRecorder, build_statistics
from hivemind_desktop.core.store import _SCHEMA_V1, MIGRATIONS, SCHEMA_VERSION, Store
from hivemind_desktop.core.trust import TrustScore


def _at(days_ago: int, hour: int = 12) -> float:
    day = datetime.now().date() - timedelta(days=days_ago)
    return datetime.combine(day, datetime.min.time()).replace(hour=hour).timestamp()


def test_outcomes_are_counted_per_local_day_and_survive_clearing(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    store = Store(path)
    for days_ago, outcome in [(0, "completed"), (0, "completed"), (0, "failed"), (3, "stopped")]:
        store.count_outcome(outcome, _at(days_ago))
    store.count_outcome("completed", _at(40))  # outside four weeks
    store.save_task(TaskRecord("t", TaskState.COMPLETED, Resources(100, 1), time.time()))
    assert store.clear_history() == ["t"]
    store.close()

    stats = build_statistics(Store(path), days=28)
    assert len(stats.days) == 28
    assert stats.days[-1].day == datetime.now().date()
    assert (stats.days[-1].completed, stats.days[-1].failed) == (2, 1)
    assert stats.days[-4].stopped == 1
    assert sum(d.completed for d in stats.days) == stats.completed == 2
    with pytest.raises(ValueError, match="not a task outcome"):
        store.count_outcome("running", time.time())


def test_credits_are_the_rises_of_the_balance_per_account(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.sqlite3")
    assert store.record_balance("bob", 100, _at(2)) == 0  # the first reading earns nothing
    assert store.record_balance("bob", 130, _at(2)) == 30
    assert store.record_balance("bob", 90, _at(1)) == 0  # spent: not earned
    assert store.record_balance("bob", 95, _at(0)) == 5
    assert store.record_balance("eve", 1000, _at(0)) == 0  # another account starts afresh
    stats = build_statistics(store, days=7)
    assert [d.credits for d in stats.days[-3:]] == [30, 0, 5]
    assert stats.credits == 35


def test_trust_changes_are_recorded_through_the_event_bus(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.sqlite3")
    bus = ev.EventBus()
    clock = iter([_at(5), _at(3), _at(1), _at(0)])
    bus.subscribe(HistoryRecorder(store, lambda: "bob", clock=lambda: next(clock)))
    trust = TrustScore(store, events=bus)
    trust.task_completed()  # 52
    trust.task_failed()  # 47
    trust.task_completed()  # 49
    bus.publish(ev.BALANCE, balance=10)
    points = store.trust_history(0)
    assert [s for _, s in points] == [52, 47, 49]
    # A window that starts after the first change begins with the score then in force.
    since = _at(4)
    assert [s for _, s in store.trust_history(since)] == [52, 47, 49]
    assert store.trust_history(since)[0][0] == since
    store.record_trust(49, time.time())  # no change: no new point
    assert len(store.trust_history(0)) == 3


def test_statistics_need_a_day() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        build_statistics(None, days=0)  # type: ignore[arg-type]


def test_a_schema_2_install_upgrades_keeping_its_tasks(tmp_path: Path) -> None:
    """An install of the release before the statistics (schema 2) opens with its history,
    no progress for old tasks, and empty statistics that start counting."""
    path = tmp_path / "w.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(_SCHEMA_V1)
    db.executescript(f"BEGIN; {MIGRATIONS[0]} PRAGMA user_version = 2; COMMIT;")
    db.execute(
        "INSERT INTO tasks (task_id, state, request, received_at, command) VALUES (?,?,?,?,?)",
        ("old", "completed", json.dumps({"cpu_score": 100, "memory_gb": 1, "gpus": 0,
                                         "gpu_memory_gb": 0}), 5.0, "[]"),
    )  # fmt: skip
    db.commit()
    db.close()

    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION == 5  # 5: the task's runtime
    (old,) = store.load_tasks()
    assert old.task_id == "old" and old.progress is None
    assert build_statistics(store, days=1).completed == 0
    store.count_outcome("completed", time.time())
    store.save_task(dataclasses.replace(old, progress=0.5))
    store.close()
    again = Store(path)
    assert again.load_tasks()[0].progress == 0.5
    assert build_statistics(again, days=1).completed == 1
