"""NodePoolClient: the worker's node-pool connection, composed of the parts in this
package: a PoolSession (sign-in, token), Liveness (registration, status, balance), a
TaskFeed (output, usage) and a ResultOutbox (results), over two threads, `pool-liveness`
and `pool-uploads`, so that a slow upload never makes the node look dead.

When the channel answers again after an outage, both loops are woken: the node registers
at once and the outbox is retried at once, whatever backoff its results had reached.
"""

from __future__ import annotations

from collections.abc import Callable

from hivemind_desktop.core import events as ev
from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP
from hivemind_desktop.core.pool.feed import TaskFeed, UsageReading
from hivemind_desktop.core.pool.liveness import Liveness, NodeReport
from hivemind_desktop.core.pool.outbox import ResultOutbox
from hivemind_desktop.core.pool.session import (
    RECONNECT_BACKOFF_MAX_S,
    PoolSession,
    SignInError,
)
from hivemind_desktop.core.pool.status import PoolStatus
from hivemind_desktop.core.states import PoolState
from hivemind_desktop.core.store import Store

__all__ = ["NodePoolClient", "NodeReport", "SignInError"]

# Pool states' details the GUI may show (core/i18n.py).
SIGNED_IN = QT_TRANSLATE_NOOP("Core", "signed in")
SIGNED_OUT = QT_TRANSLATE_NOOP("Core", "signed out")


class NodePoolClient:
    """One node pool's session, liveness and uploads, as the Worker drives them."""

    def __init__(
        self,
        master_address: str,
        *,
        events: ev.EventBus,
        store: Store,
        report: Callable[[], NodeReport],
        on_result_acknowledged: Callable[[str], None],
        node_id: str = "",
        reconnect_backoff_max_s: float = RECONNECT_BACKOFF_MAX_S,
    ) -> None:
        self.master_address = master_address
        self.session = PoolSession(master_address, reconnect_backoff_max_s=reconnect_backoff_max_s)
        self._status = PoolStatus(
            lambda state, detail: events.publish(ev.POOL_STATE, state=state, detail=detail)
        )
        self._liveness = Liveness(
            self.session,
            report,
            status=self._status,
            node_id=node_id,
            on_balance=lambda balance: events.publish(ev.BALANCE, balance=balance),
            on_back=lambda: self._outbox.retry_now(),  # results need not sit out backoff
        )
        self._feed = TaskFeed(self.session, lambda: self.node_id)
        self._outbox = ResultOutbox(
            self.session,
            store,
            on_result_acknowledged,
            status=self._status,
            on_delivered=lambda _task_id: self._liveness.balance_now(),  # it may be paid
            send_first=(self._feed.send_output, self._feed.send_usage),
        )

    # -- identity and state ---------------------------------------------------------------
    @property
    def signed_in(self) -> bool:
        return self.session.signed_in

    @property
    def username(self) -> str:
        return self.session.username

    @property
    def login(self) -> tuple[str, str]:
        """The credentials in use (to carry over to a client for a new pool address)."""
        return self.session.credentials

    @property
    def node_id(self) -> str:
        return self._liveness.node_id

    @property
    def state(self) -> PoolState:
        return self._status.state

    @property
    def state_detail(self) -> str:
        return self._status.detail

    @property
    def last_rtt_ms(self) -> float | None:
        return self._liveness.last_rtt_ms

    @property
    def balance(self) -> int | None:
        return self._liveness.balance

    # -- commands -------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> None:
        """Log in to the node pool; raises SignInError with a message for the user."""
        self.session.sign_in(username, password)
        self._status.set(PoolState.CONNECTED, SIGNED_IN)
        self._liveness.register_now()
        self._outbox.result_ready()

    def keep_trying(self, username: str, password: str) -> None:
        """Keep credentials whose sign-in failed because the pool did not answer: the
        liveness loop signs in as soon as the pool is back (headless start-up)."""
        self.session.keep_credentials(username, password)
        self._liveness.register_now()

    def sign_out(self) -> None:
        self.session.sign_out()
        self._liveness.forget_balance()
        self._status.set(PoolState.SIGNED_OUT, SIGNED_OUT)

    # -- the engine's sink ----------------------------------------------------------------
    def task_output(self, task_id: str, text: str) -> None:
        self._feed.task_output(task_id, text)

    def task_usage(self, task_id: str, usage: UsageReading) -> None:
        self._feed.task_usage(task_id, usage)

    def result_ready(self) -> None:
        self._outbox.result_ready()

    def capacity_changed(self) -> None:
        self._liveness.report_now()

    def resources_changed(self) -> None:
        self._liveness.register_now()

    # -- threads --------------------------------------------------------------------------
    def start(self) -> None:
        self.session.on_ready(self._pool_is_back)
        self._liveness.start()
        self._outbox.start()

    def stop(self, flush_timeout: float = 10.0) -> None:
        """Stop the loops after one last attempt to deliver what is pending."""
        self._outbox.stop(flush_timeout)
        self._liveness.stop()
        self.session.close()

    def _pool_is_back(self) -> None:
        self._liveness.register_now()
        self._outbox.retry_now()
