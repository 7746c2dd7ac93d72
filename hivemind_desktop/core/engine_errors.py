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
from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say

API_TIMEOUT_S = 15

# Windows system error codes the named pipe raises (winerror.h).
ERROR_FILE_NOT_FOUND = 2
ERROR_ACCESS_DENIED = 5
ERROR_PIPE_BUSY = 231

FIX_NOT_RUNNING = QT_TRANSLATE_NOOP(
    "Core", "start Docker Desktop (Windows/macOS) or `sudo systemctl start docker` (Linux)"
)
FIX_NOT_INSTALLED = QT_TRANSLATE_NOOP(
    "Core",
    "install Docker Desktop (Windows/macOS, https://docs.docker.com/get-docker/) "
    "or the docker.io package (Linux)",
)
FIX_PERMISSION = QT_TRANSLATE_NOOP(
    "Core",
    "add your user to the docker group (`sudo usermod -aG docker $USER`, then log out and "
    "in; that group is as powerful as root), or use rootless Podman instead, which needs "
    "no group: `systemctl --user enable --now podman.socket`",
)
FIX_PODMAN_SERVICE = QT_TRANSLATE_NOOP(
    "Core",
    "start Podman's API service: `systemctl --user enable --now podman.socket` "
    "(or `podman system service --time=0 &`)",
)
FIX_ROOTLESS_DOCKER = QT_TRANSLATE_NOOP(
    "Core", "start rootless Docker: `systemctl --user start docker`"
)
FIX_WINDOWS_START = QT_TRANSLATE_NOOP(
    "Core", "start Docker Desktop from the Start menu and wait until it says 'Engine running'"
)
FIX_WINDOWS_GROUP = QT_TRANSLATE_NOOP(
    "Core",
    "add your Windows account to the docker-users group (an administrator runs "
    "`net localgroup docker-users YOUR-NAME /add`), then sign out and back in",
)
FIX_MAC_START = QT_TRANSLATE_NOOP(
    "Core", "open Docker from the Applications folder and wait until it says it is running"
)

# The causes, as templates (core/i18n.py) so the GUI shows them in the volunteer's language.
# %1 "where" is AT_ENDPOINT or NOTHING_AT (or empty), the last %n the fix.
AT_ENDPOINT = QT_TRANSLATE_NOOP("Core", " at %1")
WINDOWS_DENIED = QT_TRANSLATE_NOOP("Core", "Windows refused access to Docker Desktop%1: %2")
DESKTOP_NO_PIPE = QT_TRANSLATE_NOOP(
    "Core", "Docker Desktop is not running (nothing answers%1): %2"
)
DESKTOP_BUSY = QT_TRANSLATE_NOOP(
    "Core", "Docker Desktop is busy and did not answer%1: try again in a moment"
)
SOCKET_DENIED = QT_TRANSLATE_NOOP("Core", "Permission denied on the Docker socket%1: %2")
NO_ANSWER = QT_TRANSLATE_NOOP(
    "Core", "Docker did not answer within %1 s%2: restart Docker and try again"
)
# "Not running" texts take one argument: the fix, or NOTHING_AT with where and the fix
# (never two placeholders side by side: the GUI could not tell where one ends).
NOTHING_AT = QT_TRANSLATE_NOOP("Core", "nothing answers at %1; %2")
FIX_UNSET_DOCKER_HOST = QT_TRANSLATE_NOOP("Core", "start that engine, or unset DOCKER_HOST")
FIX_DEFAULT_CONTEXT = QT_TRANSLATE_NOOP(
    "Core", "start that engine, or go back to the usual one with `docker context use default`"
)
PODMAN_DOWN = QT_TRANSLATE_NOOP("Core", "Podman is not running: %1")
ROOTLESS_DOCKER_DOWN = QT_TRANSLATE_NOOP("Core", "Rootless Docker is not running: %1")
NOT_INSTALLED = QT_TRANSLATE_NOOP("Core", "Docker is not installed: %1")
DESKTOP_DOWN = QT_TRANSLATE_NOOP("Core", "Docker Desktop is not running: %1")
DOCKER_DOWN = QT_TRANSLATE_NOOP("Core", "Docker is not running: %1")


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
    where = say(AT_ENDPOINT, endpoint.describe()) if endpoint else ""
    code = windows_error_code(exc)
    if code == ERROR_ACCESS_DENIED or platform == "win32" and "access is denied" in texts:
        return say(WINDOWS_DENIED, where, FIX_WINDOWS_GROUP)
    if code == ERROR_FILE_NOT_FOUND:
        return say(DESKTOP_NO_PIPE, where, FIX_WINDOWS_START)
    if code == ERROR_PIPE_BUSY:
        return say(DESKTOP_BUSY, where)
    denied = "permission denied" in texts or any(isinstance(e, PermissionError) for e in chain(exc))
    if denied or (endpoint is not None and endpoint.state == DENIED):
        return say(SOCKET_DENIED, where, FIX_PERMISSION)
    if "timed out" in texts or "timeout" in texts:
        return say(NO_ANSWER, API_TIMEOUT_S, where)
    return not_running_reason(endpoint, platform=platform, installed=installed)


def not_running_reason(
    endpoint: Endpoint | None, *, platform: str | None = None, installed: bool | None = None
) -> str:
    """Nothing answers where we looked: say where, and what starts it there."""
    platform = platform or sys.platform
    source = endpoint.source if endpoint else ""

    def down(template: str, fix: str) -> str:
        return say(template, say(NOTHING_AT, endpoint.describe(), fix) if endpoint else fix)

    if source == SOURCE_PODMAN:
        return down(PODMAN_DOWN, FIX_PODMAN_SERVICE)
    if source == SOURCE_ROOTLESS_DOCKER:
        return down(ROOTLESS_DOCKER_DOWN, FIX_ROOTLESS_DOCKER)
    if source == SOURCE_DOCKER_HOST:
        return down(DOCKER_DOWN, FIX_UNSET_DOCKER_HOST)
    if source == SOURCE_CONTEXT:
        return down(DOCKER_DOWN, FIX_DEFAULT_CONTEXT)
    installed = docker_installed() if installed is None else installed
    if not installed:
        return say(NOT_INSTALLED, FIX_NOT_INSTALLED)
    if platform == "win32":
        return down(DESKTOP_DOWN, FIX_WINDOWS_START)
    if platform == "darwin":
        return down(DESKTOP_DOWN, FIX_MAC_START)
    return down(DOCKER_DOWN, FIX_NOT_RUNNING)
