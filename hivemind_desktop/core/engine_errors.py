"""Why the container engine cannot be reached, as one line a volunteer can act on.

Each operating system fails in its own words: Linux says "permission denied" on the
socket (not in the docker group), Windows raises a bare `pywintypes.error` from the named
pipe (2: Docker Desktop is not started, 5: the account is not in `docker-users`), macOS
has no socket while Docker Desktop is stopped. Each gets its own cause and fix; none of
them is shown as exception text.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from hivemind_desktop.core.engine_endpoint import (
    DENIED,
    SOURCE_CONTEXT,
    SOURCE_DOCKER_HOST,
    SOURCE_PODMAN,
    SOURCE_ROOTLESS_DOCKER,
    Endpoint,
)

API_TIMEOUT_S = 15

# Windows system error codes the named pipe raises (winerror.h).
ERROR_FILE_NOT_FOUND = 2
ERROR_ACCESS_DENIED = 5
ERROR_PIPE_BUSY = 231

FIX_NOT_RUNNING = "start Docker Desktop (Windows/macOS) or `sudo systemctl start docker` (Linux)"
FIX_NOT_INSTALLED = (
    "install Docker Desktop (Windows/macOS, https://docs.docker.com/get-docker/) "
    "or the docker.io package (Linux)"
)
FIX_PERMISSION = (
    "add your user to the docker group (`sudo usermod -aG docker $USER`, then log out and "
    "in; that group is as powerful as root), or use rootless Podman instead, which needs "
    "no group: `systemctl --user enable --now podman.socket`"
)
FIX_PODMAN_SERVICE = (
    "start Podman's API service: `systemctl --user enable --now podman.socket` "
    "(or `podman system service --time=0 &`)"
)
FIX_ROOTLESS_DOCKER = "start rootless Docker: `systemctl --user start docker`"
FIX_WINDOWS_START = (
    "start Docker Desktop from the Start menu and wait until it says 'Engine running'"
)
FIX_WINDOWS_GROUP = (
    "add your Windows account to the docker-users group (an administrator runs "
    "`net localgroup docker-users YOUR-NAME /add`), then sign out and back in"
)
FIX_MAC_START = "open Docker from the Applications folder and wait until it says it is running"


def chain(exc: BaseException) -> list[BaseException]:
    """exc and everything it was raised from or while handling."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def windows_error_code(exc: BaseException) -> int | None:
    """The code of a `pywintypes.error` (the named pipe's failure) in exc's chain.

    pywintypes.error is not an OSError: it carries (winerror, funcname, strerror) in its
    args and as attributes, and escapes requests' and docker-py's own exception types.
    """
    for e in chain(exc):
        if type(e).__module__ == "pywintypes":
            code = getattr(e, "winerror", None)
            if code is None and e.args and isinstance(e.args[0], int):
                code = e.args[0]
            if isinstance(code, int):
                return code
        code = getattr(e, "winerror", None)
        if isinstance(e, OSError) and isinstance(code, int):
            return code
    return None


def is_windows_pipe_error(exc: BaseException) -> bool:
    return any(type(e).__module__ == "pywintypes" for e in chain(exc))


def docker_installed() -> bool:
    if shutil.which("docker") or shutil.which("dockerd") or shutil.which("com.docker.cli"):
        return True
    if sys.platform == "darwin":
        return Path("/Applications/Docker.app").exists()
    if sys.platform == "win32":
        program_files = os.environ.get("ProgramFiles", r"C:\Program Files")
        return Path(program_files, "Docker", "Docker").exists()
    return False


def unreachable_reason(
    exc: BaseException,
    endpoint: Endpoint | None = None,
    *,
    platform: str | None = None,
    installed: bool | None = None,
) -> str:
    """Cause and fix for an engine the client could not reach at `endpoint`."""
    platform = platform or sys.platform
    texts = " ".join(str(e) for e in chain(exc)).lower()
    where = f" at {endpoint.describe()}" if endpoint else ""
    code = windows_error_code(exc)
    if code == ERROR_ACCESS_DENIED or platform == "win32" and "access is denied" in texts:
        return f"Windows refused access to Docker Desktop{where}: {FIX_WINDOWS_GROUP}"
    if code == ERROR_FILE_NOT_FOUND:
        return f"Docker Desktop is not running (nothing answers{where}): {FIX_WINDOWS_START}"
    if code == ERROR_PIPE_BUSY:
        return f"Docker Desktop is busy and did not answer{where}: try again in a moment"
    denied = "permission denied" in texts or any(isinstance(e, PermissionError) for e in chain(exc))
    if denied or (endpoint is not None and endpoint.state == DENIED):
        return f"Permission denied on the Docker socket{where}: {FIX_PERMISSION}"
    if "timed out" in texts or "timeout" in texts:
        return (
            f"Docker did not answer within {API_TIMEOUT_S} s{where}: restart Docker and try again"
        )
    return not_running_reason(endpoint, platform=platform, installed=installed)


def not_running_reason(
    endpoint: Endpoint | None, *, platform: str | None = None, installed: bool | None = None
) -> str:
    """Nothing answers where we looked: say where, and what starts it there."""
    platform = platform or sys.platform
    where = f"nothing answers at {endpoint.describe()}; " if endpoint else ""
    source = endpoint.source if endpoint else ""
    if source == SOURCE_PODMAN:
        return f"Podman is not running: {where}{FIX_PODMAN_SERVICE}"
    if source == SOURCE_ROOTLESS_DOCKER:
        return f"Rootless Docker is not running: {where}{FIX_ROOTLESS_DOCKER}"
    if source == SOURCE_DOCKER_HOST:
        return f"Docker is not running: {where}start that engine, or unset DOCKER_HOST"
    if source == SOURCE_CONTEXT:
        return (
            f"Docker is not running: {where}start that engine, or go back to the usual one "
            "with `docker context use default`"
        )
    installed = docker_installed() if installed is None else installed
    if not installed:
        return f"Docker is not installed: {FIX_NOT_INSTALLED}"
    if platform == "win32":
        return f"Docker Desktop is not running: {where}{FIX_WINDOWS_START}"
    if platform == "darwin":
        return f"Docker Desktop is not running: {where}{FIX_MAC_START}"
    return f"Docker is not running: {where}{FIX_NOT_RUNNING}"
