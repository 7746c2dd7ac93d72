"""Each way of not reaching the engine gets its own cause and fix, never exception text.

Linux failures are produced for real (a docker-py client against a socket nobody
listens on). Windows' named pipe cannot exist here: its failure is docker-py's
`pywintypes.error` escaping, rebuilt with the same shape in tests/kit/winpipe.py.
"""

from __future__ import annotations

from pathlib import Path

import docker
import pytest
import requests

from hivemind_desktop.core import engine_endpoint as ep
from hivemind_desktop.core import engine_errors as ee
from hivemind_desktop.core.docker_runner import _unreachable
from tests.kit.winpipe import error

PIPE = ep.discover({}, Path("C:/Users/ann"), "win32")  # the named pipe, as found there


def raised_while_connecting(exc: Exception) -> Exception:
    """exc as it surfaces: raised from inside the HTTP stack's own handling."""
    try:
        try:
            raise exc
        except Exception as inner:
            raise requests.exceptions.ConnectionError("connection aborted") from inner
    except requests.exceptions.ConnectionError as outer:
        return outer


def test_a_stopped_docker_desktop_on_windows_says_start_it():
    exc = error(2, "CreateFile", "The system cannot find the file specified.")
    for raised in (exc, raised_while_connecting(exc)):
        reason = ee.unreachable_reason(raised, PIPE, platform="win32", installed=True)
        assert reason.startswith("Docker Desktop is not running")
        assert "start Docker Desktop from the Start menu" in reason
        assert "npipe:////./pipe/docker_engine (Docker Desktop's named pipe)" in reason
        assert "CreateFile" not in reason and "usermod" not in reason
    assert _unreachable(exc), "a bare pywintypes.error must become DockerUnavailable"


def test_access_denied_on_windows_names_the_docker_users_group():
    exc = error(5, "CreateFile", "Access is denied.")
    reason = ee.unreachable_reason(exc, PIPE, platform="win32", installed=True)
    assert reason.startswith("Windows refused access to Docker Desktop")
    assert "docker-users" in reason and "net localgroup docker-users" in reason
    assert "not running" not in reason
    assert "usermod" not in reason and "systemctl" not in reason


def test_a_busy_pipe_is_not_called_stopped():
    reason = ee.unreachable_reason(
        error(231, "WaitNamedPipe", "All pipe instances are busy."), PIPE, platform="win32"
    )
    assert "busy" in reason and "not running" not in reason


def test_a_real_connection_to_a_dead_socket_says_where_and_what_to_start(tmp_path):
    endpoint = ep.Endpoint(f"unix://{tmp_path}/podman.sock", ep.SOURCE_PODMAN)
    with pytest.raises(Exception) as err:  # the SDK asks the API version while it is made
        docker.DockerClient(base_url=endpoint.url, timeout=5).version()
    assert _unreachable(err.value)
    reason = ee.unreachable_reason(err.value, endpoint, platform="linux")
    assert reason == (
        f"Podman is not running: nothing answers at unix://{tmp_path}/podman.sock "
        f"(Podman socket); {ee.FIX_PODMAN_SERVICE}"
    )
    host = ep.Endpoint(f"unix://{tmp_path}/x.sock", ep.SOURCE_DOCKER_HOST, explicit=True)
    assert ee.unreachable_reason(err.value, host, platform="linux").endswith(
        "start that engine, or unset DOCKER_HOST"
    )


def test_permission_denied_on_linux_offers_the_group_and_the_rootless_way():
    denied = ep.Endpoint("unix:///var/run/docker.sock", ep.SOURCE_DEFAULT, state=ep.DENIED)
    exc = raised_while_connecting(PermissionError(13, "Permission denied"))
    reason = ee.unreachable_reason(exc, denied, platform="linux")
    assert reason.startswith(
        "Permission denied on the Docker socket at unix:///var/run/docker.sock (default socket)"
    )
    assert "sudo usermod -aG docker $USER" in reason
    assert "as powerful as root" in reason
    assert "systemctl --user enable --now podman.socket" in reason


def test_not_running_on_each_platform():
    default = ep.Endpoint("unix:///var/run/docker.sock", ep.SOURCE_DEFAULT)
    linux = ee.not_running_reason(default, platform="linux", installed=True)
    assert linux.startswith("Docker is not running: nothing answers at unix:///var/run/docker.sock")
    assert "sudo systemctl start docker" in linux
    desktop = ep.Endpoint("unix:///Users/ann/.docker/run/docker.sock", ep.SOURCE_DESKTOP)
    mac = ee.not_running_reason(desktop, platform="darwin", installed=True)
    assert mac.startswith("Docker Desktop is not running") and "Applications" in mac
    assert ee.not_running_reason(default, platform="linux", installed=False).startswith(
        "Docker is not installed: "
    )
    context = ep.Endpoint("tcp://192.0.2.1:2376", ep.SOURCE_CONTEXT, True, context="remote")
    assert "`docker context use default`" in ee.not_running_reason(context, platform="linux")


class DesktopStoppedMidTask:
    """A running task's container as docker-py shows it on Windows once Docker Desktop
    has stopped: every call raises the named pipe's pywintypes.error (a stand-in: no
    named pipe exists here)."""

    id = "c" * 64

    def _gone(self, *args: object, **kwargs: object) -> None:
        raise error(2, "CreateFile", "The system cannot find the file specified.")

    wait = stats = logs = reload = _gone


def test_a_task_whose_docker_desktop_stops_gets_the_cause_not_a_raw_error():
    from hivemind_desktop.core.docker_runner import ContainerHandle, DockerUnavailable

    handle = ContainerHandle(
        DesktopStoppedMidTask(), task_id="t1", time_limit_s=60, memory_limit=2**30
    )
    with pytest.raises(DockerUnavailable, match="^Docker Desktop is not running") as err:
        handle.wait()
    assert "start Docker Desktop from the Start menu" in str(err.value)
    assert handle.usage() is None
    assert list(handle.output()) == []  # the console stream ends, with a log line
