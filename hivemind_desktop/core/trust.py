"""The worker's own 0-100 trust score: its local view of how reliable it has been.

The rules are the original worker's, so a volunteer moving over sees the same number:
start at 50, +2 for a completed task, -5 for a failed one, clamped to 0..100; "high"
from 80, "medium" from the threshold (TRUST_THRESHOLD, default 50), else "low".
The node pool keeps its own trust level per account; this one is shown, not sent.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from hivemind_desktop.core.events import TRUST_CHANGED, EventBus

log = logging.getLogger(__name__)

TRUST_KEY = "trust_score"
START_SCORE = 50
COMPLETED_DELTA = 2
FAILED_DELTA = -5
HIGH_FROM = 80
MIN_SCORE, MAX_SCORE = 0, 100


class KeyValue(Protocol):
    """What the trust score needs from storage (core.store provides it)."""

    def get_value(self, key: str) -> str | None: ...

    def set_value(self, key: str, value: str) -> None: ...


def trust_group(score: int, threshold: int = 50) -> str:
    if score >= HIGH_FROM:
        return "high"
    if score >= threshold:
        return "medium"
    return "low"


def _check_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise ValueError(f"trust threshold must be a whole number, not {threshold!r}")
    if not MIN_SCORE <= threshold <= MAX_SCORE:
        raise ValueError(f"trust threshold {threshold} is not allowed: use 0 to 100")
    return threshold


def _clamp(score: int) -> int:
    return max(MIN_SCORE, min(MAX_SCORE, score))


class TrustScore:
    """Thread-safe; every change is written to the store before it is visible, so a
    failing store leaves the score unchanged and raises."""

    def __init__(self, store: KeyValue, threshold: int = 50, events: EventBus | None = None):
        self._store = store
        self._threshold = _check_threshold(threshold)
        self._events = events
        # Re-entrant: a TRUST_CHANGED subscriber may read .score on the publishing thread.
        self._lock = threading.RLock()
        self._score = self._load()

    def _load(self) -> int:
        raw = self._store.get_value(TRUST_KEY)
        if raw is None:
            return START_SCORE
        try:
            return _clamp(int(raw))
        except ValueError:
            log.warning(
                "stored trust score %r is not a number; starting again at %d", raw, START_SCORE
            )
            return START_SCORE

    @property
    def score(self) -> int:
        with self._lock:
            return self._score

    @property
    def group(self) -> str:
        with self._lock:
            return trust_group(self._score, self._threshold)

    @property
    def threshold(self) -> int:
        with self._lock:
            return self._threshold

    def task_completed(self) -> int:
        return self._change(COMPLETED_DELTA)

    def task_failed(self) -> int:
        return self._change(FAILED_DELTA)

    def set_threshold(self, threshold: int) -> None:
        """Settings changed; announces the group again if it moved."""
        threshold = _check_threshold(threshold)
        with self._lock:
            before = self.group
            self._threshold = threshold
            if self.group != before:
                self._publish()

    def _change(self, delta: int) -> int:
        with self._lock:
            new = _clamp(self._score + delta)
            if new != self._score:
                self._store.set_value(TRUST_KEY, str(new))
                self._score = new
                self._publish()
            return new

    def _publish(self) -> None:
        # Inside the lock, so subscribers see changes in the order they happened.
        if self._events is not None:
            self._events.publish(
                TRUST_CHANGED, score=self._score, group=trust_group(self._score, self._threshold)
            )
