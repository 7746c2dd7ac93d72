"""Fixtures shared by every test folder: the real Docker engine, the locally built task
images, free ports."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

REPO = Path(__file__).resolve().parents[1]
PYTHON_IMAGE = "hivemind/task-python:latest"
BUSYBOX_IMAGE = "hivemind/task-busybox:latest"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


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
