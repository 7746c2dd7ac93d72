"""Where the container engine is: found the way the docker CLI finds it, plus the
sockets a docker-py `from_env()` never looks at.

docker-py tries DOCKER_HOST and else only the default socket. An app started from
Finder has no DOCKER_HOST, Docker Desktop on macOS may have no /var/run/docker.sock at
all, and a volunteer who is not in the (root-equivalent) docker group may run a rootless
engine whose socket lives in their own runtime folder. So the order is:

1. `DOCKER_HOST` (the CLI lets it win over any context);
2. the Docker context: `DOCKER_CONTEXT`, else `currentContext` in `config.json`, read
   from the CLI's context store (`contexts/meta/<sha256 of the name>/meta.json`);
3. sockets that exist and answer, in this order: Docker Desktop's own socket, rootless
   Docker (`$XDG_RUNTIME_DIR/docker.sock`), rootless Podman
   (`$XDG_RUNTIME_DIR/podman/podman.sock`), the default socket (Windows: the named pipe).

1 and 2 are the volunteer's explicit choice and are used even when nothing answers there
(the error then names them). In 3 the first socket that accepts a connection wins, unless
its engine cannot hold tasks to their limits and a later one can (the Docker runner
decides that: rootless Podman on cgroup v1 next to a usable Docker engine); when none
answers, the one that refused us for permission is reported (that is the docker-group
case), else the default. Pure apart from reading files and connecting to unix sockets:
no Docker SDK, so it is testable with real files and real sockets.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_UNIX_SOCKET = "/var/run/docker.sock"
DEFAULT_WINDOWS_PIPE = "npipe:////./pipe/docker_engine"

# Where an endpoint came from; the log, the Monitor page and --self-test show these.
SOURCE_DOCKER_HOST = "DOCKER_HOST"
SOURCE_CONTEXT = "Docker context"
SOURCE_DESKTOP = "Docker Desktop socket"
SOURCE_ROOTLESS_DOCKER = "rootless Docker socket"
SOURCE_PODMAN = "Podman socket"
SOURCE_DEFAULT = "default socket"
SOURCE_DEFAULT_PIPE = "Docker Desktop's named pipe"

# What connecting to a unix socket found.
ANSWERS = "answers"
DENIED = "permission denied"
REFUSED = "nothing listening"
MISSING = "missing"


class EndpointError(ValueError):
    """The volunteer's Docker configuration names an engine we cannot read; str() is one
    line: what is wrong and how to fix it."""


@dataclass(frozen=True)
class Endpoint:
    url: str  # as docker-py takes it: unix:///path, npipe:////./pipe/name, tcp://host:port
    source: str  # one of the SOURCE_* names
    explicit: bool = False  # chosen by the volunteer (DOCKER_HOST or a context)
    context: str = ""  # the context's name when source is SOURCE_CONTEXT
    tls_dir: str = ""  # a context's TLS material (ca.pem, cert.pem, key.pem)
    skip_tls_verify: bool = False
    state: str = ""  # for a unix socket looked at during discovery: ANSWERS, DENIED...

    @property
    def socket_path(self) -> str:
        """The file of a unix:// endpoint, else ""."""
        return unix_path(self.url)

    def describe(self) -> str:
        """`unix:///run/user/1000/podman/podman.sock (Podman socket)`: where and why."""
        source = f"{self.source} '{self.context}'" if self.context else self.source
        return f"{self.url} ({source})"


def unix_path(url: str) -> str:
    if url.startswith("unix://"):
        return url[len("unix://") :] or ""
    return ""


def config_dir(env: Mapping[str, str], home: Path) -> Path:
    """The docker CLI's configuration folder: $DOCKER_CONFIG, else ~/.docker."""
    configured = env.get("DOCKER_CONFIG", "").strip()
    return Path(configured).expanduser() if configured else home / ".docker"


def current_context(env: Mapping[str, str], home: Path) -> str:
    """The context the docker CLI would use ("" for the built-in default)."""
    name = env.get("DOCKER_CONTEXT", "").strip()
    if not name:
        path = config_dir(env, home) / "config.json"
        try:
            config = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return ""
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise EndpointError(
                f"cannot read the Docker configuration {path} ({_why(exc)}): "
                "fix the file or remove it"
            ) from None
        if not isinstance(config, dict):
            raise EndpointError(
                f"the Docker configuration {path} is not a JSON object: fix it or remove it"
            )
        name = str(config.get("currentContext") or "").strip()
    return "" if name == "default" else name


def context_endpoint(name: str, env: Mapping[str, str], home: Path) -> Endpoint:
    """The docker endpoint of context `name` from the CLI's context store."""
    store = config_dir(env, home) / "contexts"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()
    meta_path = store / "meta" / digest / "meta.json"
    fix = "pick another with `docker context use NAME` (or `docker context use default`)"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EndpointError(
            f"the current Docker context '{name}' does not exist ({meta_path} is missing): {fix}"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise EndpointError(
            f"cannot read Docker context '{name}' ({meta_path}: {_why(exc)}): {fix}"
        ) from None
    endpoints = meta.get("Endpoints") if isinstance(meta, dict) else None
    docker_ep = endpoints.get("docker") if isinstance(endpoints, dict) else None
    host = docker_ep.get("Host") if isinstance(docker_ep, dict) else None
    if not isinstance(host, str) or not host.strip():
        raise EndpointError(f"Docker context '{name}' names no Docker engine (no Host): {fix}")
    assert isinstance(docker_ep, dict)
    tls = store / "tls" / digest / "docker"
    return Endpoint(
        url=host.strip(),
        source=SOURCE_CONTEXT,
        explicit=True,
        context=name,
        tls_dir=str(tls) if (tls / "ca.pem").is_file() or (tls / "cert.pem").is_file() else "",
        skip_tls_verify=bool(docker_ep.get("SkipTLSVerify")),
    )


def implicit_candidates(env: Mapping[str, str], home: Path, platform: str) -> list[Endpoint]:
    """The sockets looked at when the volunteer chose nothing, best first."""
    if platform == "win32":
        return [Endpoint(DEFAULT_WINDOWS_PIPE, SOURCE_DEFAULT_PIPE)]
    found: list[Endpoint] = []
    if platform == "darwin":
        found.append(Endpoint(f"unix://{home}/.docker/run/docker.sock", SOURCE_DESKTOP))
    else:
        found.append(Endpoint(f"unix://{home}/.docker/desktop/docker.sock", SOURCE_DESKTOP))
    runtime = env.get("XDG_RUNTIME_DIR", "").strip()
    if runtime:
        found.append(Endpoint(f"unix://{runtime}/docker.sock", SOURCE_ROOTLESS_DOCKER))
        found.append(Endpoint(f"unix://{runtime}/podman/podman.sock", SOURCE_PODMAN))
    found.append(Endpoint(f"unix://{DEFAULT_UNIX_SOCKET}", SOURCE_DEFAULT))
    return found


def socket_state(path: str, timeout: float = 1.0) -> str:
    """Connect to the unix socket at `path`: ANSWERS, DENIED, REFUSED or MISSING."""
    if not hasattr(socket, "AF_UNIX"):
        return MISSING
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except PermissionError:
        return DENIED
    except FileNotFoundError:
        return MISSING
    except OSError:  # a stale socket file (refused), not a socket, a full backlog
        return REFUSED if os.path.exists(path) else MISSING
    finally:
        sock.close()
    return ANSWERS


def discover(
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    platform: str | None = None,
    probe: Callable[[str], str] = socket_state,
) -> Endpoint:
    """The engine endpoint to use (module docstring); raises EndpointError only for a
    broken explicit choice (unreadable config.json or context)."""
    return discover_all(env, home, platform, probe)[0]


def discover_all(
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    platform: str | None = None,
    probe: Callable[[str], str] = socket_state,
) -> list[Endpoint]:
    """The endpoints worth trying, best first: the explicit choice alone, else every
    socket that answers (a caller may pass over one whose engine cannot run tasks), else
    the one to report (permission denied, or the default)."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    platform = sys.platform if platform is None else platform
    host = env.get("DOCKER_HOST", "").strip()
    if host:
        return [Endpoint(host, SOURCE_DOCKER_HOST, explicit=True)]
    context = current_context(env, home)
    if context:
        return [context_endpoint(context, env, home)]
    looked: list[Endpoint] = []
    for candidate in implicit_candidates(env, home, platform):
        path = candidate.socket_path
        if not path:  # the Windows pipe: nothing to probe without pywin32
            return [candidate]
        looked.append(Endpoint(candidate.url, candidate.source, state=probe(path)))
    answering = [seen for seen in looked if seen.state == ANSWERS]
    if answering:
        return answering
    for seen in looked:
        if seen.state == DENIED:
            return [seen]  # it exists and is not ours to use: the docker-group case
    if platform == "darwin":
        return [looked[0]]  # Docker Desktop's own socket: "start Docker Desktop"
    return [looked[-1]]


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON at line {exc.lineno}"
    return "not valid UTF-8 text" if isinstance(exc, UnicodeDecodeError) else "unreadable"
