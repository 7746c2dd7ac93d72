"""The node pool's tests: real pools on loopback (tests.kit.pools) with this folder's
roster, real clients, real test workers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from hivemind_desktop.nodepool import NodePool, UserSpec
from tests.kit.nodepool import PASSWORDS, SILENCE, USERS, FakeWorker
from tests.kit.pools import PoolClient


@pytest.fixture
def pool_users() -> list[UserSpec]:
    return USERS


@pytest.fixture
def pool_options() -> dict[str, object]:
    return dict(SILENCE)


@pytest.fixture
def connect() -> Iterator[Callable[..., PoolClient]]:
    clients: list[PoolClient] = []

    def make(pool_or_address: NodePool | str, user: str | None = None) -> PoolClient:
        address = getattr(pool_or_address, "address", pool_or_address)
        client = PoolClient(address, user, PASSWORDS.get(user or ""))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def make_worker() -> Iterator[Callable[..., FakeWorker]]:
    workers: list[FakeWorker] = []

    def make(host: str = "127.0.0.2") -> FakeWorker:
        worker = FakeWorker(host)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()


@pytest.fixture
def online_node(connect, make_worker) -> Callable[..., tuple[PoolClient, FakeWorker]]:
    """A logged-in node with a real worker server, registered and reporting Idle."""

    def make(
        pool: NodePool, user: str, host: str = "127.0.0.2", status: str = "Idle", **res: object
    ):
        worker = make_worker(host)
        node = connect(pool, user)
        assert node.register(host, worker.port, **res).success
        assert node.report(status, docker_status=res.get("docker_status", "available")).success
        return node, worker

    return make
