"""The volunteer's own history for the Statistics page: credits (CPT) earned and tasks
ended per day, and the trust score over time.

Recorded by this worker from what it sees (its tasks' outcomes, the balance the pool
reports, its trust score), so it needs nothing new from the node pool. Credits are the
rises of the balance between two readings: a transfer received counts too, spending
does not, and what was earned while the app was closed lands on the day it is seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hivemind_desktop.core import events as ev
from hivemind_desktop.core.store import Store

DEFAULT_DAYS = 28  # four weeks: enough to see a habit, few enough bars to read


@dataclass(frozen=True)
class DayStats:
    day: date
    completed: int = 0
    failed: int = 0
    stopped: int = 0
    credits: int = 0


@dataclass(frozen=True)
class Statistics:
    days: tuple[DayStats, ...]  # oldest first, one per day, empty days included
    trust: tuple[tuple[float, int], ...]  # (time, score), oldest first
    since: float  # the start of the first day (epoch seconds)
    until: float  # when this was built

    @property
    def credits(self) -> int:
        return sum(d.credits for d in self.days)

    @property
    def completed(self) -> int:
        return sum(d.completed for d in self.days)


def build_statistics(
    store: Store, days: int = DEFAULT_DAYS, now: float | None = None
) -> Statistics:
    """`days` calendar days ending today (local time)."""
    if days < 1:
        raise ValueError("statistics need at least one day")
    now = time.time() if now is None else now
    today = datetime.fromtimestamp(now).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time()).timestamp()
    stored = store.daily(first.isoformat())
    rows = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        counts = stored.get(day.isoformat(), {})
        rows.append(DayStats(day, **counts))
    return Statistics(tuple(rows), tuple(store.trust_history(since)), since, now)


class HistoryRecorder:
    """Subscribes to the core's events and writes what the statistics need."""

    def __init__(
        self, store: Store, account: Callable[[], str], clock: Callable[[], float] = time.time
    ) -> None:
        self._store = store
        self._account = account
        self._clock = clock

    def __call__(self, event: ev.Event) -> None:
        if event.kind == ev.TRUST_CHANGED:
            self._store.record_trust(int(event.data["score"]), self._clock())
        elif event.kind == ev.BALANCE and event.data.get("balance") is not None:
            self._store.record_balance(self._account(), int(event.data["balance"]), self._clock())
