"""Fixtures for the WireGuard netns lab (see tests/kit/netns_lab.py). Needs root; everything
made here is torn down at the end of the session, even when a test or the setup fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.kit.netns_lab import (
    Lab,
    LabError,
    Pool,
    Worker,
    add_worker,
    start_login_server,
    start_pool,
)


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    try:
        made = Lab()
    except LabError as exc:
        pytest.fail(str(exc), pytrace=False)
    with made:
        yield made


@pytest.fixture(scope="session")
def pool(lab: Lab) -> Pool:
    """The pool namespace: WireGuard at 10.0.0.1/24 and a real gRPC UserService on :50051."""
    made = start_pool(lab)
    start_login_server(lab, made.ns, made.address)
    return made


@pytest.fixture(scope="session")
def worker(pool: Pool) -> Worker:
    """The worker namespace, tunnel up at 10.0.0.2/24: shared, so tests must not break it."""
    return add_worker(pool, "work", 2)


@pytest.fixture
def new_worker(pool: Pool) -> Callable[..., Worker]:
    """Make a worker of the test's own (roles and hosts must be unique per session)."""
    return lambda role, host, tunnel=True: add_worker(pool, role, host, tunnel=tunnel)
