"""What the worker knows of its node-pool connection, said once per change."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from hivemind_desktop.core.states import PoolState

log = logging.getLogger(__name__)


class PoolStatus:
    """The connection's state and its reason, shared by the loops that learn of it.
    Only changes of state are logged and passed on, never every retry."""

    def __init__(self, on_change: Callable[[PoolState, str], None] | None = None) -> None:
        self._on_change = on_change
        self._lock = threading.Lock()
        self.state = PoolState.SIGNED_OUT
        self.detail = ""

    def set(self, state: PoolState, detail: str) -> None:
        with self._lock:
            changed = state != self.state
            self.state, self.detail = state, detail
        if not changed:
            return
        problem = state in (PoolState.DISCONNECTED, PoolState.REJECTED)
        log.log(logging.WARNING if problem else logging.INFO, "node pool %s: %s", state, detail)
        if self._on_change is not None:
            self._on_change(state, detail)
