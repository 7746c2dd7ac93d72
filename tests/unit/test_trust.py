"""The trust score's rules, its persistence in the worker's real Store and its events."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hivemind_desktop.core.events import TRUST_CHANGED, EventBus
from hivemind_desktop.core.store import Store
from hivemind_desktop.core.trust import TRUST_KEY, TrustScore, trust_group


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """The worker's own store, on a file of the test's."""
    made = Store(tmp_path / "worker.sqlite3")
    yield made
    made.close()


def stored(store: Store, score: str) -> Store:
    store.set_value(TRUST_KEY, score)
    return store


@pytest.fixture
def commits(store: Store) -> Iterator[Callable[[], int]]:
    """commits(): a second connection's PRAGMA data_version, which changes exactly when
    another connection (the store) has committed a write since the last look."""
    watcher = sqlite3.connect(store.path)
    yield lambda: watcher.execute("PRAGMA data_version").fetchone()[0]
    watcher.close()


def test_starts_at_50_and_follows_the_original_rules(store):
    trust = TrustScore(store)
    assert (trust.score, trust.group) == (50, "medium")
    assert trust.task_completed() == 52
    assert trust.task_failed() == 47
    assert (trust.score, trust.group) == (47, "low")
    assert store.get_value(TRUST_KEY) == "47"


def test_clamped_to_0_and_100(store):
    trust = TrustScore(store)
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
def test_groups(store, score, threshold, group):
    assert trust_group(score, threshold) == group
    trust = TrustScore(stored(store, str(score)), threshold=threshold)
    assert trust.group == group


def test_persists_across_restarts_in_a_real_sqlite_file(tmp_path):
    path = tmp_path / "worker.sqlite3"
    store = Store(path)
    trust = TrustScore(store)
    trust.task_completed()
    trust.task_completed()
    trust.task_failed()
    store.close()

    reopened = Store(path)
    assert reopened.get_value(TRUST_KEY) == "49"
    assert TrustScore(reopened).score == 49
    reopened.close()


def test_stored_values_out_of_range_or_garbled(store):
    assert TrustScore(stored(store, "250")).score == 100
    assert TrustScore(stored(store, "-3")).score == 0
    assert TrustScore(stored(store, "fifty")).score == 50


def test_publishes_each_change_and_not_a_clamped_no_op(store, commits):
    events = EventBus()
    seen = []
    events.subscribe(lambda e: seen.append((e.kind, e.data)) if e.kind == TRUST_CHANGED else None)
    trust = TrustScore(stored(store, "99"), events=events)
    before = commits()
    trust.task_completed()
    after_first = commits()
    trust.task_completed()  # already 100: nothing changes, nothing written
    after_no_op = commits()
    trust.task_failed()
    assert seen == [
        (TRUST_CHANGED, {"score": 100, "group": "high"}),
        (TRUST_CHANGED, {"score": 95, "group": "high"}),
    ]
    assert before != after_first and after_no_op == after_first != commits()


def test_subscriber_may_read_the_score_while_it_is_published(store):
    events = EventBus()
    trust = TrustScore(store, events=events)
    read = []
    events.subscribe(lambda e: read.append((trust.score, trust.group)))
    trust.task_failed()
    assert read == [(45, "low")]


def test_threshold_change_regroups_and_announces(store):
    events = EventBus()
    seen = []
    events.subscribe(lambda e: seen.append(e.data["group"]))
    trust = TrustScore(stored(store, "60"), events=events)
    trust.set_threshold(55)  # still medium: nothing to announce
    trust.set_threshold(70)
    assert (trust.group, seen) == ("low", ["low"])


def test_bad_threshold_is_refused(store):
    with pytest.raises(ValueError, match="use 0 to 100"):
        TrustScore(store, threshold=101)
    trust = TrustScore(store)
    with pytest.raises(ValueError, match="whole number"):
        trust.set_threshold("high")  # type: ignore[arg-type]
    assert trust.threshold == 50


def test_failing_store_leaves_the_score_unchanged(tmp_path):
    store = Store(tmp_path / "worker.sqlite3")
    trust = TrustScore(store)
    store.close()  # every write fails from now on, as on a lost disk
    with pytest.raises(sqlite3.Error):
        trust.task_completed()
    assert trust.score == 50


def test_concurrent_changes_are_all_counted(store):
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
