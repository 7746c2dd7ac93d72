"""The node-pool client's parts, each used alone against a real local node pool over real
gRPC on loopback (no Docker): the session signs in and keeps a short-lived token fresh,
the probe tells a wrong password, an unreachable pool, a server that is not a pool and an
address without a port apart, liveness registers a node, and the outbox delivers a
result from a real Store and retries on its own."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent import futures
from pathlib import Path

import grpc
import pytest

from hivemind_desktop.core.models import Resources
from hivemind_desktop.core.pool.liveness import Liveness, NodeReport
from hivemind_desktop.core.pool.outbox import ResultOutbox
from hivemind_desktop.core.pool.probe import probe_sign_in
from hivemind_desktop.core.pool.session import PoolSession, SignInError, SignInOutcome
from hivemind_desktop.core.pool.status import PoolStatus
from hivemind_desktop.core.states import PoolState
from hivemind_desktop.core.store import Store
from hivemind_desktop.nodepool import NodePool
from hivemind_desktop.rpc import pb
from tests.kit import free_port, wait_for
from tests.kit.pools import start_pool
from tests.kit.worker import USERS, WORKER_HOST, WORKER_USER

TASK_ID = "outbox-task"


@pytest.fixture
def pool(make_pool: Callable[..., NodePool], tmp_path: Path) -> NodePool:
    return make_pool(data_dir=tmp_path / "pool")


@pytest.fixture
def session(pool: NodePool) -> Iterator[PoolSession]:
    made = PoolSession(pool.address, reconnect_backoff_max_s=1.0)
    made.sign_in(WORKER_USER.name, WORKER_USER.password)
    yield made
    made.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = Store(tmp_path / "worker.sqlite3")
    yield made
    made.close()


def closed_address() -> str:
    return f"127.0.0.1:{free_port()}"


def balance(session: PoolSession) -> pb.GetBalanceResponse:
    return session.call(
        session.users.GetBalance,
        pb.GetBalanceRequest(username=session.username, token=session.token),
    )


# -- the session -----------------------------------------------------------------------------


def test_session_keeps_a_short_lived_token_fresh(tmp_path: Path) -> None:
    pool = start_pool(USERS, token_ttl_s=1)
    session = PoolSession(pool.address)
    try:
        session.sign_in(WORKER_USER.name, WORKER_USER.password)
        first, first_expiry = session.token, session.token_expires_at
        tokens = {first}
        end = time.monotonic() + 3.5  # several lifetimes of a one-second token
        while time.monotonic() < end:
            assert balance(session).success  # never a call with an expired token
            tokens.add(session.token)
            time.sleep(0.2)
        assert len(tokens) >= 3
        assert session.token_expires_at > first_expiry
    finally:
        session.close()
        pool.stop(grace=0)


def test_session_signs_in_again_when_the_pool_forgot_its_tokens() -> None:
    """A pool restarted without its data rejects the old token with INTERNAL, as the
    deployed pool does: one new Login and the call is retried."""
    pool = start_pool(USERS)
    address = pool.address
    session = PoolSession(address, reconnect_backoff_max_s=1.0)
    try:
        session.sign_in(WORKER_USER.name, WORKER_USER.password)
        old = session.token
        pool.stop(grace=0)
        pool = start_pool(USERS, listen=address)  # a new secret
        reply = wait_for(lambda: _answered(lambda: balance(session)), "the pool back", 15)
        assert reply.success and session.token != old
    finally:
        session.close()
        pool.stop(grace=0)


def _answered(call):  # None while the channel has not reconnected yet
    try:
        return call()
    except grpc.RpcError as exc:
        if exc.code() == grpc.StatusCode.UNAVAILABLE:
            return None
        raise


def test_session_sign_in_failures_say_whether_to_retry(pool: NodePool) -> None:
    session = PoolSession(pool.address)
    with pytest.raises(SignInError) as refused:
        session.sign_in(WORKER_USER.name, "wrong")
    assert refused.value.outcome == SignInOutcome.REFUSED and not refused.value.unreachable
    assert not session.signed_in and session.token == ""
    session.close()

    address = closed_address()
    away = PoolSession(address)
    with pytest.raises(SignInError) as unreachable:
        away.sign_in(WORKER_USER.name, WORKER_USER.password)
    assert unreachable.value.unreachable and address in str(unreachable.value)
    away.close()


def test_a_call_without_sign_in_says_so(pool: NodePool) -> None:
    session = PoolSession(pool.address)
    with pytest.raises(ConnectionError, match="not signed in"):
        balance(session)
    session.close()


# -- the probe -------------------------------------------------------------------------------


def test_probe_signs_in_and_keeps_nothing(pool: NodePool) -> None:
    result = probe_sign_in(pool.address, WORKER_USER.name, WORKER_USER.password)
    assert result.ok and result.pool_answered and result.rtt_ms is not None


def test_probe_reports_a_wrong_password(pool: NodePool) -> None:
    result = probe_sign_in(pool.address, WORKER_USER.name, "wrong")
    assert result.outcome == SignInOutcome.REFUSED
    assert not result.ok and not result.unreachable and result.pool_answered
    assert "invalid username or password" in result.message


def test_probe_reports_an_unreachable_pool() -> None:
    address = closed_address()
    result = probe_sign_in(address, WORKER_USER.name, WORKER_USER.password, timeout_s=3)
    assert result.outcome == SignInOutcome.UNREACHABLE and result.unreachable
    assert f"the node pool at {address} does not answer" in result.message
    assert "VPN" in result.message


def test_probe_reports_an_address_without_a_port() -> None:
    started = time.monotonic()
    result = probe_sign_in("127.0.0.1", WORKER_USER.name, WORKER_USER.password)
    assert time.monotonic() - started < 1  # no connection is tried (gRPC would use 443)
    assert result.outcome == SignInOutcome.BAD_ADDRESS and not result.unreachable
    assert "'127.0.0.1'" in result.message and "10.0.0.1:50051" in result.message
    assert result.rtt_ms is None


def test_probe_reports_a_server_that_is_not_a_node_pool() -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=1))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        result = probe_sign_in(f"127.0.0.1:{port}", "someone", "secret")
    finally:
        server.stop(0)
    assert result.outcome == SignInOutcome.NOT_A_POOL and not result.pool_answered
    assert "not a HiveMind node pool" in result.message


# -- liveness --------------------------------------------------------------------------------


def report(status: str = "Idle") -> NodeReport:
    return NodeReport(
        hostname=WORKER_HOST, port=50999, totals=Resources(200, 2, 0, 0), gpu_name="",
        docker_status="available", status=status, running_tasks=0, cpu_usage=1.0,
        memory_usage=2.0, gpu_usage=0.0, gpu_memory_usage=0.0, location="",
    )  # fmt: skip


def test_liveness_registers_the_node_and_reports_it_idle(
    pool: NodePool, session: PoolSession
) -> None:
    states: list[PoolState] = []
    liveness = Liveness(
        session, report, status=PoolStatus(lambda state, _detail: states.append(state))
    )
    liveness.start()
    try:
        node = wait_for(lambda: pool.node(WORKER_USER.name), "registration", 10)
        assert (node.hostname, node.port, node.cpu_score) == (WORKER_HOST, 50999, 200)
        wait_for(lambda: pool.node(WORKER_USER.name).status == "Idle", "an Idle report", 10)
        wait_for(lambda: liveness.balance is not None, "the balance", 10)
        assert liveness.last_rtt_ms is not None and states == [PoolState.CONNECTED]
    finally:
        liveness.stop()


# -- the outbox ------------------------------------------------------------------------------


def place_task(pool: NodePool, node_id: str) -> None:
    """The pool dispatched TASK_ID to `node_id` (by hand: no worker answers ExecuteTask)."""
    task = {
        "task_id": TASK_ID, "owner": "alice", "memory_gb": 1, "cpu_score": 100,
        "gpu_score": 0, "gpu_memory_gb": 0, "gpu_name": "", "location": "",
    }  # fmt: skip
    pool._live_store.add_task(task, b"PK\x05\x06" + bytes(18), time.time())
    pool._live_store.begin_dispatch(TASK_ID, node_id, WORKER_HOST)
    pool._live_store.mark_running(TASK_ID, time.time())


def result_file(tmp_path: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("execution_log.txt", f"task id: {TASK_ID}\nstatus: Success\n")
    path = tmp_path / "result.zip"
    path.write_bytes(buf.getvalue())
    return path


class Acks:
    """The owner's side of the outbox: an acknowledged result leaves the Store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.done = threading.Event()

    def __call__(self, task_id: str) -> None:
        self.store.remove_outbox(task_id)
        self.done.set()


def test_outbox_retries_a_refused_result_until_the_pool_takes_it(
    pool: NodePool, session: PoolSession, store: Store, tmp_path: Path
) -> None:
    store.add_outbox(TASK_ID, result_file(tmp_path))
    acks = Acks(store)
    delivered: list[str] = []
    outbox = ResultOutbox(session, store, acks, on_delivered=delivered.append)
    outbox.start()
    try:
        # The pool does not know the task yet: it says no, and the outbox backs off.
        item = wait_for(lambda: [i for i in store.outbox() if i.attempts], "a refusal", 10)[0]
        assert "unknown task" in item.last_error and not acks.done.is_set()
        place_task(pool, WORKER_USER.name)
        assert acks.done.wait(15), "the result was never acknowledged"
    finally:
        outbox.stop(flush_timeout=0)
    assert delivered == [TASK_ID] and store.outbox() == []
    assert pool.task(TASK_ID).status == "COMPLETED"


def test_outbox_delivers_after_the_pool_was_away_without_being_told(
    tmp_path: Path, store: Store
) -> None:
    """Nobody calls retry_now: the outbox keeps trying a pool that is away every few
    seconds (the channel's capped backoff) and delivers once it answers again."""
    data = tmp_path / "pool"
    pool = start_pool(USERS, data_dir=data)
    address = pool.address
    session = PoolSession(address, reconnect_backoff_max_s=1.0)
    session.sign_in(WORKER_USER.name, WORKER_USER.password)
    place_task(pool, WORKER_USER.name)
    pool.stop(grace=0)
    status = PoolStatus()
    acks = Acks(store)
    outbox = ResultOutbox(session, store, acks, status=status)
    outbox.start()
    try:
        store.add_outbox(TASK_ID, result_file(tmp_path))
        outbox.result_ready()
        wait_for(lambda: status.state == PoolState.DISCONNECTED, "the pool to be missed", 10)
        assert "does not answer" in status.detail
        assert not acks.done.is_set()
        pool = start_pool(USERS, listen=address, data_dir=data)
        assert acks.done.wait(15), "the result was never acknowledged"
        assert pool.task(TASK_ID).status == "COMPLETED"
    finally:
        outbox.stop(flush_timeout=0)
        session.close()
        pool.stop(grace=0)
