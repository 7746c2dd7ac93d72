"""A small thread-safe publish/subscribe bus: how the core tells its hosts
(the GUI bridge, the status API, tests) what happened without knowing them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """kind names what happened (see the constants below); data carries the facts."""

    kind: str
    data: dict[str, Any] = field(default_factory=dict)


# Event kinds the core publishes.
TASK_CHANGED = "task_changed"  # data: task (TaskRecord)
TASK_OUTPUT = "task_output"  # data: task_id, text
POOL_STATE = "pool_state"  # data: state ("connected"/"disconnected"/"signed_out"/...), detail
WORKER_STATE = "worker_state"  # data: state ("contributing"/"idle"/"paused"/"error"/...)
SAMPLE = "sample"  # data: sample (monitor.Sample)
TRUST_CHANGED = "trust_changed"  # data: score, group
BALANCE = "balance"  # data: balance
LOG = "log"  # data: entry (logs.LogEntry)
NOTICE = "notice"  # data: title, text  (one-off things worth telling the user)


Subscriber = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Register callback; returns a function that unsubscribes it."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def publish(self, kind: str, **data: Any) -> None:
        event = Event(kind, data)
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(event)
            except Exception:  # a faulty subscriber must not break the core
                if kind != LOG:
                    log.exception("event subscriber failed on %s", kind)
