"""The trust score's rules, its persistence (dict and a real SQLite file) and its events."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from hivemind_desktop.core.events import TRUST_CHANGED, EventBus
from hivemind_desktop.core.trust import TRUST_KEY, TrustScore, trust_group


class DictStore:
    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values = dict(values or {})
        self.writes = 0

    def get_value(self, key: str) -> str | None:
        return self.values.get(key)

    def set_value(self, key: str, value: str) -> None:
        self.writes += 1
        self.values[key] = value


class SqliteStore:
    """The shape core.store gives: one key/value table in a file."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT)")
        self._lock = threading.Lock()

    def get_value(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM kv WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_value(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, value))

    def close(self) -> None:
        self._db.close()


class FailingStore(DictStore):
    def set_value(self, key: str, value: str) -> None:
        raise sqlite3.OperationalError("disk I/O error")


def test_starts_at_50_and_follows_the_original_rules():
    store = DictStore()
    trust = TrustScore(store)
    assert (trust.score, trust.group) == (50, "medium")
    assert trust.task_completed() == 52
    assert trust.task_failed() == 47
    assert (trust.score, trust.group) == (47, "low")
    assert store.values[TRUST_KEY] == "47"


def test_clamped_to_0_and_100():
    trust = TrustScore(DictStore())
    for _ in range(40):
        trust.task_completed()
    assert (trust.score, trust.group) == (100, "high")
    for _ in range(40):
        trust.task_failed()
    assert (trust.score, trust.group) == (0, "low")


@pytest.mark.parametrize(
    ("score", "threshold", "group"),
    [(80, 50, "high"), (79, 50, "medium"), (50, 50, "medium"), (49, 50, "low"),
     (60, 70, "low"), (70, 70, "medium"), (0, 0, "medium"), (100, 100, "high")],
)  # fmt: skip
def test_groups(score, threshold, group):
    assert trust_group(score, threshold) == group
    trust = TrustScore(DictStore({TRUST_KEY: str(score)}), threshold=threshold)
    assert trust.group == group


def test_persists_across_restarts_in_a_real_sqlite_file(tmp_path):
    path = tmp_path / "worker.db"
    store = SqliteStore(path)
    trust = TrustScore(store)
    trust.task_completed()
    trust.task_completed()
    trust.task_failed()
    store.close()

    reopened = SqliteStore(path)
    assert reopened.get_value(TRUST_KEY) == "49"
    assert TrustScore(reopened).score == 49
    reopened.close()


def test_stored_values_out_of_range_or_garbled():
    assert TrustScore(DictStore({TRUST_KEY: "250"})).score == 100
    assert TrustScore(DictStore({TRUST_KEY: "-3"})).score == 0
    assert TrustScore(DictStore({TRUST_KEY: "fifty"})).score == 50


def test_publishes_each_change_and_not_a_clamped_no_op():
    events = EventBus()
    seen = []
    events.subscribe(lambda e: seen.append((e.kind, e.data)) if e.kind == TRUST_CHANGED else None)
    store = DictStore({TRUST_KEY: "99"})
    trust = TrustScore(store, events=events)
    trust.task_completed()
    trust.task_completed()  # already 100: nothing changes, nothing written
    trust.task_failed()
    assert seen == [
        (TRUST_CHANGED, {"score": 100, "group": "high"}),
        (TRUST_CHANGED, {"score": 95, "group": "high"}),
    ]
    assert store.writes == 2


def test_subscriber_may_read_the_score_while_it_is_published():
    events = EventBus()
    trust = TrustScore(DictStore(), events=events)
    read = []
    events.subscribe(lambda e: read.append((trust.score, trust.group)))
    trust.task_failed()
    assert read == [(45, "low")]


def test_threshold_change_regroups_and_announces():
    events = EventBus()
    seen = []
    events.subscribe(lambda e: seen.append(e.data["group"]))
    trust = TrustScore(DictStore({TRUST_KEY: "60"}), events=events)
    trust.set_threshold(55)  # still medium: nothing to announce
    trust.set_threshold(70)
    assert (trust.group, seen) == ("low", ["low"])


def test_bad_threshold_is_refused():
    with pytest.raises(ValueError, match="use 0 to 100"):
        TrustScore(DictStore(), threshold=101)
    trust = TrustScore(DictStore())
    with pytest.raises(ValueError, match="whole number"):
        trust.set_threshold("high")  # type: ignore[arg-type]
    assert trust.threshold == 50


def test_failing_store_leaves_the_score_unchanged():
    trust = TrustScore(FailingStore())
    with pytest.raises(sqlite3.OperationalError):
        trust.task_completed()
    assert trust.score == 50


def test_concurrent_changes_are_all_counted(tmp_path):
    store = SqliteStore(tmp_path / "worker.db")
    trust = TrustScore(store, events=EventBus())
    barrier = threading.Barrier(4)

    def work(completed: bool) -> None:
        barrier.wait()
        for _ in range(10 if completed else 2):
            trust.task_completed() if completed else trust.task_failed()

    threads = [threading.Thread(target=work, args=(i % 2 == 0,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # +2 x 20 and -5 x 4 in any order stays within 30..90, never clamped: a lost update
    # would show as a different sum.
    assert trust.score == 50 + 40 - 20
    assert store.get_value(TRUST_KEY) == "70"
    store.close()
