"""Fixtures for tests against the real Docker engine and the locally built task images, and
the roster of this folder's node pools (tests.kit.worker)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import docker
import pytest

from hivemind_desktop.core.docker_runner import ContainerSpec, DockerRunner
from hivemind_desktop.nodepool import UserSpec
from tests.kit.docker_images import PYTHON_IMAGE
from tests.kit.worker import USERS


@pytest.fixture
def pool_users() -> list[UserSpec]:
    return USERS


@pytest.fixture(scope="session")
def install_id() -> str:
    """A node id no other run shares, so cleanup only ever touches our containers."""
    return f"itest-{os.getpid()}"


@pytest.fixture(scope="session")
def _cleanup_containers(docker_client: docker.DockerClient, install_id: str) -> Iterator[None]:
    yield
    for c in docker_client.containers.list(
        all=True, filters={"label": ["hivemind.managed=1", f"hivemind.node={install_id}"]}
    ):
        c.remove(force=True)


@pytest.fixture
def runner(task_images: None, install_id: str, _cleanup_containers: None) -> DockerRunner:
    return DockerRunner(install_id)


def _require_runtime(client: docker.DockerClient, runtime: str) -> str:
    """gVisor is part of the set-up (scripts/setup runs scripts/enable-gvisor): an engine
    without it fails the test, it is not skipped."""
    if runtime not in (client.info().get("Runtimes") or {}):
        pytest.fail(f"the Docker engine has no {runtime} runtime: run scripts/enable-gvisor")
    return runtime


@pytest.fixture(params=["runc", "runsc"])
def runtime(request: pytest.FixtureRequest, docker_client: docker.DockerClient) -> str:
    """One container's life cycle on each runtime (the runner's tests)."""
    return _require_runtime(docker_client, str(request.param))


@pytest.fixture(scope="module", params=["runc", "runsc"])
def worker_runtime(request: pytest.FixtureRequest, docker_client: docker.DockerClient) -> str:
    """HIVEMIND_TASK_RUNTIME of a module's shared worker: the module runs once on each."""
    return _require_runtime(docker_client, str(request.param))


@pytest.fixture
def make_spec(
    tmp_path: Path, install_id: str, request: pytest.FixtureRequest
) -> Callable[..., ContainerSpec]:
    """make_spec(command, **overrides): a spec with small limits and a fresh workspace."""
    counter = iter(range(1000))

    def make(command: list[str], **overrides: object) -> ContainerSpec:
        n = next(counter)
        workspace = tmp_path / f"ws{n}"
        workspace.mkdir()
        spec = ContainerSpec(
            task_id=f"{request.node.name}-{n}",
            install_id=install_id,
            image=PYTHON_IMAGE,
            command=command,
            workspace=workspace,
            env={},
            cpu_score=50,
            memory_gb=1,
            gpus=0,
            network="none",
            time_limit_s=60,
            pids_limit=64,
        )
        return replace(spec, **overrides)

    return make
