"""Fixtures for the node pool: real pools on loopback, real clients, real test workers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from nodepool_kit import FAST, USERS, FakeWorker, PoolClient

from hivemind_desktop.nodepool import NodePool


@pytest.fixture
def make_pool(tmp_path: Path) -> Iterator[Callable[..., NodePool]]:
    pools: list[NodePool] = []

    def make(**overrides: object) -> NodePool:
        options = {"listen": "127.0.0.1:0", "users": USERS, **FAST, **overrides}
        pool = NodePool(**options).start()
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.stop(grace=0)


@pytest.fixture
def pool(make_pool: Callable[..., NodePool]) -> NodePool:
    return make_pool()


@pytest.fixture
def connect() -> Iterator[Callable[..., PoolClient]]:
    clients: list[PoolClient] = []

    def make(pool_or_address: NodePool | str, user: str | None = None) -> PoolClient:
        address = getattr(pool_or_address, "address", pool_or_address)
        client = PoolClient(address, user)
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
