"""Run a slow call off the GUI thread and hand its outcome back on the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread, a child of the page: a signal emitted on it from the pool
    thread is queued to the page's slot; if the page is gone, so is the relay."""

    done = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result: Any = self._fn()
        except Exception as exc:  # handed to the page, which shows it; never lost
            log.exception("wizard check failed")
            result = exc
        try:
            self._relay.done.emit(result)
        except RuntimeError:  # the wizard was closed while this ran
            pass


def run_in_background(
    owner: QObject, fn: Callable[[], Any], on_done: Callable[[Any], None]
) -> None:
    """Call fn() on the global thread pool; on_done(result or exception) on the GUI thread."""
    relay = _Relay(owner)
    relay.done.connect(on_done)
    relay.done.connect(relay.deleteLater)
    QThreadPool.globalInstance().start(_Job(fn, relay))
