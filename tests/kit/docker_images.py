"""The real Docker engine and the locally built task images, as fixtures, and finding the
containers a test made."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import docker
import pytest

from tests.kit import REPO

PYTHON_IMAGE = "hivemind/task-python:latest"
BUSYBOX_IMAGE = "hivemind/task-busybox:latest"


@pytest.fixture(scope="session")
def docker_client() -> Iterator[docker.DockerClient]:
    try:
        client = docker.from_env()
        client.ping()
    except Exception as exc:
        pytest.fail(f"these tests need a running Docker engine (.ci/run starts one): {exc}")
    yield client
    client.close()


@pytest.fixture(scope="session")
def task_images(docker_client: docker.DockerClient) -> None:
    """Build the task images once per session when one is missing (a few seconds)."""
    missing = []
    for image in (PYTHON_IMAGE, BUSYBOX_IMAGE):
        try:
            docker_client.images.get(image)
        except docker.errors.ImageNotFound:
            missing.append(image)
    if missing:
        subprocess.run([str(REPO / "scripts" / "build_task_images")], check=True, timeout=300)


def labelled(client: docker.DockerClient, label: str) -> list:
    """Every container (running or not) carrying `label` ("key=value" or "key")."""
    return client.containers.list(all=True, filters={"label": label})


def container_of(task_id: str) -> docker.models.containers.Container | None:
    """The container of a task, looked at fresh (None when there is none)."""
    client = docker.from_env()
    try:
        found = client.containers.list(
            all=True, sparse=True, filters={"label": f"hivemind.task={task_id}"}
        )
        return client.containers.get(found[0].id) if found else None
    except docker.errors.NotFound:  # removed between the listing and the look
        return None
    finally:
        client.close()
