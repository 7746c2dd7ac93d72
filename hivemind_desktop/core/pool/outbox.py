"""Results delivered from the persistent outbox until the node pool has them.

A result waits in the Store's outbox (it survives a restart) and is streamed from its file
(result_upload). A pool that is away is retried every few seconds (the channel's own
connection backoff decides how often the network is touched) and at once when it is back,
however long it was away; a pool that answers "no" is asked again with a growing backoff,
and after REFUSALS_BEFORE_GIVING_UP refusals the result is dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

import grpc

from hivemind_desktop.core import result_upload
from hivemind_desktop.core.heap import release_free_heap
from hivemind_desktop.core.pool.session import (
    PoolSession,
    describe_error,
    error_code,
    is_transient,
)
from hivemind_desktop.core.pool.status import PoolStatus
from hivemind_desktop.core.states import PoolState
from hivemind_desktop.core.store import Store

log = logging.getLogger(__name__)

RESULT_TIMEOUT_S = 120.0  # plus 2 s per MB
MAX_BACKOFF_S = 60.0  # between deliveries of a result the pool answered "no" to
REFUSALS_BEFORE_GIVING_UP = 20  # the pool answered "no" this many times: drop the result
POLL_S = 1.0
RETRY_S = 2.0  # after a failed round, unless the pool is back sooner


class ResultOutbox:
    """Delivers the Store's outbox over a session, on its own thread."""

    def __init__(
        self,
        session: PoolSession,
        store: Store,
        on_acknowledged: Callable[[str], None],
        *,
        status: PoolStatus | None = None,
        on_delivered: Callable[[str], None] | None = None,
        send_first: Sequence[Callable[[], None]] = (),
    ) -> None:
        """`on_acknowledged(task_id)`: the result is off our hands (delivered, or dropped
        for good); the owner removes it from the outbox. `on_delivered`: the pool took it.
        `send_first`: other uploads made on this thread before the results of each round,
        so that a task's last console output reaches the pool before its result."""
        self._session = session
        self._store = store
        self._on_ack = on_acknowledged
        self._on_delivered = on_delivered
        self._send_first = tuple(send_first)
        self.status = status or PoolStatus()
        self._next_attempt: dict[str, float] = {}
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._retry_now = threading.Event()
        self._thread: threading.Thread | None = None

    def result_ready(self) -> None:
        """A result was added to the outbox (or output is waiting): upload now."""
        self._wake.set()

    def retry_now(self) -> None:
        """The pool is back: whatever backoff a result had reached, try it at once."""
        self._retry_now.set()
        self._wake.set()

    # -- the loop -------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="pool-uploads", daemon=True)
        self._thread.start()

    def stop(self, flush_timeout: float = 10.0) -> None:
        """Stop after one last attempt, of up to `flush_timeout`, to deliver what waits."""
        deadline = time.time() + flush_timeout
        while self._session.signed_in and self._store.outbox() and time.time() < deadline:
            self._wake.set()
            time.sleep(0.2)
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(POLL_S)
            self._wake.clear()
            if not self._session.username:
                continue
            if self._retry_now.is_set():
                self._retry_now.clear()
                self._next_attempt.clear()
            failed = False
            # Each kind on its own: undeliverable output must not hold results back.
            for send in (*self._send_first, self.deliver_due):
                try:
                    send()
                except (grpc.RpcError, ConnectionError) as exc:
                    failed = True
                    self._session.watch_channel(True)
                    self.status.set(
                        PoolState.DISCONNECTED, describe_error(exc, self._session.address)
                    )
                except Exception:  # a bug must not silently end result delivery
                    failed = True
                    log.exception("node-pool upload loop")
            if failed:
                self._wake.wait(RETRY_S)  # or sooner, when the pool is back

    def deliver_due(self) -> None:
        """Try each result whose backoff is over; raises when the pool is away."""
        now = time.time()
        for item in self._store.outbox():
            if self._next_attempt.get(item.task_id, 0) > now:
                continue
            try:
                payload = result_upload.serialized_request(
                    item.task_id, item.zip_path, self._session.token
                )
            except OSError as exc:
                log.error("result of task %s is missing (%s); dropping it", item.task_id, exc)
                self._store.remove_outbox(item.task_id)
                self._on_ack(item.task_id)
                continue
            try:
                reply = self._session.call(
                    result_upload.upload_method(self._session.channel),
                    payload,
                    timeout=RESULT_TIMEOUT_S + len(payload) / 2**20 * 2,
                )
            except (grpc.RpcError, ConnectionError) as exc:
                if is_transient(exc) or item.attempts + 1 < REFUSALS_BEFORE_GIVING_UP:
                    # A pool that is away is probed cheaply and retried at once when back.
                    cap = self._session.reconnect_cap_s if is_transient(exc) else MAX_BACKOFF_S
                    self._retry_later(item.task_id, item.attempts, error_code(exc), cap)
                    raise
                # Not a pool that is away but one that can never take it (e.g. too large).
                log.error("node pool cannot take the result of %s: %s", item.task_id, exc)
                self._on_ack(item.task_id)
                continue
            finally:
                del payload
                release_free_heap()  # an idle worker does not keep the result's peak
            if reply.success:
                self._next_attempt.pop(item.task_id, None)
                log.info("result of task %s delivered to the node pool", item.task_id)
                self._on_ack(item.task_id)
                if self._on_delivered is not None:
                    self._on_delivered(item.task_id)
            elif item.attempts + 1 >= REFUSALS_BEFORE_GIVING_UP:
                log.error(
                    "node pool keeps refusing the result of %s: %s", item.task_id, reply.message
                )
                self._on_ack(item.task_id)
            else:
                self._retry_later(item.task_id, item.attempts, reply.message)

    def _retry_later(
        self, task_id: str, attempts: int, error: str, cap: float = MAX_BACKOFF_S
    ) -> None:
        self._store.outbox_failed(task_id, error)
        self._next_attempt[task_id] = time.time() + min(cap, 2.0 ** min(attempts, 6))
