"""The node-pool client inside a real worker against a real local pool issuing short
tokens: it stays signed in across expiries, survives a pool that forgot its tokens, and
never writes a secret to its log file.

The liveness intervals are shortened (module constants the loop reads each round) so
that several 3-second tokens expire within seconds; nothing else is replaced."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import docker
import pytest

from hivemind_desktop.core import events as ev
from hivemind_desktop.core.logs import LOG_FILE_NAME
from hivemind_desktop.core.pool import liveness
from hivemind_desktop.core.worker import Worker
from tests.kit import make_zip, wait_for
from tests.kit.pools import PoolClient, start_pool
from tests.kit.worker import (
    SUBMITTER,
    USERS,
    WORKER_USER,
    running_worker,
    signed_in,
    worker_settings,
)

pytestmark = pytest.mark.docker

TOKEN_TTL_S = 3


@pytest.fixture(autouse=True)
def fast_liveness(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(liveness, "REGISTER_INTERVAL_S", 1.0)
    monkeypatch.setattr(liveness, "STATUS_INTERVAL_S", 0.5)
    monkeypatch.setattr(liveness, "BALANCE_INTERVAL_S", 1.0)


class PoolStates:
    def __init__(self, worker: Worker) -> None:
        self.seen: list[str] = []
        self._lock = threading.Lock()
        self.unsubscribe = worker.subscribe(self._on)

    def _on(self, event: ev.Event) -> None:
        if event.kind == ev.POOL_STATE:
            with self._lock:
                self.seen.append(event.data["state"])


def log_text(worker: Worker) -> str:
    return (worker.settings.log_path / LOG_FILE_NAME).read_text(encoding="utf-8")


@pytest.fixture
def docker_ready(task_images: None, docker_client: docker.DockerClient) -> docker.DockerClient:
    return docker_client


def test_short_tokens_keep_the_worker_signed_in_and_secrets_out_of_the_log(
    tmp_path: Path, docker_ready: docker.DockerClient
) -> None:
    pool = start_pool(USERS, token_ttl_s=TOKEN_TTL_S)
    settings = signed_in(worker_settings(tmp_path, pool.address))
    tokens: set[str] = set()
    try:
        with running_worker(settings, docker_ready) as worker:
            states = PoolStates(worker)
            wait_for(lambda: pool.node(WORKER_USER.name) is not None, "registration")
            seen = pool.node(WORKER_USER.name).last_seen
            for _ in range(4):  # each round: a successful call after one more token life
                target = seen + TOKEN_TTL_S + 0.5

                def fresh(target: float = target) -> float | None:
                    tokens.add(worker._pool.session.token)
                    node = pool.node(WORKER_USER.name)
                    return node.last_seen if node and node.last_seen > target else None

                seen = wait_for(fresh, "a call after the token expired", timeout=20)

            assert worker.snapshot().signed_in
            assert worker.snapshot().pool_state == "connected"
            assert "disconnected" not in states.seen and "rejected" not in states.seen
            assert worker.snapshot().balance is not None
            states.unsubscribe()
    finally:
        pool.stop(grace=0)

    tokens.discard("")
    assert len(tokens) >= 3  # refreshed, not one long-lived token
    text = log_text(worker)
    assert "INTERNAL" not in text
    assert WORKER_USER.password not in text
    assert "eyJ" not in text  # no JWT, whole or in part
    for token in tokens:
        assert token not in text
        assert token.rsplit(".", 1)[-1] not in text  # not even the signature


def test_pool_that_forgot_its_tokens_gets_a_fresh_sign_in(
    tmp_path: Path, docker_ready: docker.DockerClient
) -> None:
    """A pool restarted without its data has a new JWT secret: the old token is rejected
    with INTERNAL, as the deployed pool does; the worker signs in again by itself."""
    pool = start_pool(USERS, token_ttl_s=3600)
    address = pool.address
    settings = signed_in(worker_settings(tmp_path, address))
    try:
        with running_worker(settings, docker_ready) as worker:
            wait_for(lambda: pool.node(WORKER_USER.name) is not None, "registration")
            old_token = worker._pool.session.token
            pool.stop(grace=0)
            wait_for(lambda: worker.snapshot().pool_state == "disconnected", "the worker to notice")

            pool = start_pool(USERS, listen=address, token_ttl_s=3600)  # new secret, no nodes
            node = wait_for(
                lambda: pool.node(WORKER_USER.name), "registration with the new pool", timeout=60
            )
            assert node.hostname == "127.0.0.2" and node.port == settings.node_port
            wait_for(lambda: worker.snapshot().pool_state == "connected", "connected again")
            assert worker._pool.session.token != old_token
    finally:
        pool.stop(grace=0)
    text = log_text(worker)
    assert WORKER_USER.password not in text and "eyJ" not in text


OUTAGE_S = 40.0  # past where the old backoffs (gRPC's up to 120 s, the outbox's 60 s) grew
BACK_WITHIN_S = 10.0  # a correctness bound, not a benchmark (bench/bench_reconnect.py)


def test_after_a_long_outage_the_worker_registers_and_delivers_within_seconds(
    tmp_path: Path, docker_ready: docker.DockerClient
) -> None:
    """The pool goes away while a task runs, so its result waits in the outbox; the pool
    comes back on the same address after long enough for every backoff to have grown.
    Within a few seconds the node is registered again and the result acknowledged."""
    pool = start_pool(USERS, data_dir=tmp_path / "pool")
    address = pool.address
    settings = signed_in(worker_settings(tmp_path, address))
    submitter = PoolClient(address, SUBMITTER)
    try:
        with running_worker(settings, docker_ready) as worker:
            wait_for(lambda: pool.node(WORKER_USER.name) is not None, "registration")
            task = make_zip({"main.py": "import time\ntime.sleep(2)\nprint(42)\n"})
            assert submitter.upload("outage-task", task, cpu_score=50).success
            wait_for(lambda: pool.task("outage-task").status == "RUNNING", "dispatch")
            down_at = time.monotonic()
            pool.stop(grace=0)
            submitter.close()

            def waiting() -> bool:
                return "outage-task" in worker.pending_results()

            wait_for(waiting, "the result to wait in the outbox", timeout=60)
            time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - down_at)))
            assert waiting() and worker.snapshot().pool_state == "disconnected"

            back_at = time.time()
            pool = start_pool(USERS, listen=address, data_dir=tmp_path / "pool")
            wait_for(
                lambda: pool.node(WORKER_USER.name).last_seen >= back_at,
                "registration after the outage",
                timeout=BACK_WITHIN_S,
            )
            wait_for(
                lambda: pool.task("outage-task").status == "COMPLETED",
                "the waiting result to be acknowledged",
                timeout=BACK_WITHIN_S,
            )
            wait_for(lambda: not waiting(), "the outbox to empty", timeout=5)
    finally:
        pool.stop(grace=0)
