"""End to end: pools (tests.kit.pools) with this folder's roster, a worker (tests.kit.e2e),
the scientist as a raw pool client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hivemind_desktop.nodepool import NodePool, UserSpec
from tests.kit.e2e import SCIENTIST, SCIENTIST_PW, USERS, start_worker, worker_settings  # noqa: F401
from tests.kit.pools import PoolClient


@pytest.fixture
def pool_users() -> list[UserSpec]:
    return USERS


@pytest.fixture
def pool_options(tmp_path: Path) -> dict[str, object]:
    return {"dispatch_interval_s": 0.3, "data_dir": tmp_path / "pool"}


@pytest.fixture
def scientist_factory() -> Iterator[Callable[[NodePool], PoolClient]]:
    """The submitting user, logged in to a pool, for what `submit_folder` does not do:
    upload without waiting, stop a task, read a result after a restart."""
    made: list[PoolClient] = []

    def make(pool: NodePool) -> PoolClient:
        scientist = PoolClient(pool.address, SCIENTIST, SCIENTIST_PW)
        made.append(scientist)
        return scientist

    yield make
    for scientist in made:
        scientist.close()
