"""Finding the engine the way the docker CLI does: real config files, a real context
store, real unix sockets (listening, stale, missing) in a scratch folder."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from hivemind_desktop.core import engine_endpoint as ep
from hivemind_desktop.core.engine_endpoint import Endpoint, EndpointError, discover


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture()
def runtime(tmp_path: Path) -> Path:
    # Unix socket paths are limited to about 107 bytes: keep this one short.
    folder = Path(f"/tmp/hm-ep-{os.getpid()}-{tmp_path.name[-12:]}")
    folder.mkdir(mode=0o700)
    yield folder
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()


class Listening:
    """A real unix socket that accepts connections until closed."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(path))
        self.sock.listen(8)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture()
def listening() -> Iterator:
    made: list[Listening] = []

    def make(path: Path) -> Listening:
        made.append(Listening(path))
        return made[-1]

    yield make
    for one in made:
        one.close()


def stale_socket(path: Path) -> None:
    """A socket file nobody listens on any more (an engine that crashed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.close()


def write_context(config: Path, name: str, host: str, *, tls: bool = False) -> Path:
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = config / "contexts" / "meta" / digest / "meta.json"
    meta.parent.mkdir(parents=True)
    meta.write_text(
        json.dumps(
            {
                "Name": name,
                "Metadata": {},
                "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": False}},
            }
        )
    )
    if tls:
        folder = config / "contexts" / "tls" / digest / "docker"
        folder.mkdir(parents=True)
        for pem in ("ca.pem", "cert.pem", "key.pem"):
            (folder / pem).write_text("-----BEGIN CERTIFICATE-----\n")
    return meta


# -- explicit choices: DOCKER_HOST and the current context -----------------------------


def test_docker_host_wins_over_the_context_and_every_socket(home, runtime, listening):
    (home / ".docker").mkdir()
    (home / ".docker" / "config.json").write_text(json.dumps({"currentContext": "desk"}))
    write_context(home / ".docker", "desk", "unix:///somewhere/else.sock")
    listening(runtime / "podman" / "podman.sock")
    env = {"DOCKER_HOST": "tcp://10.1.2.3:2376", "XDG_RUNTIME_DIR": str(runtime)}
    found = discover(env, home, "linux")
    assert found == Endpoint("tcp://10.1.2.3:2376", ep.SOURCE_DOCKER_HOST, explicit=True)
    assert found.describe() == "tcp://10.1.2.3:2376 (DOCKER_HOST)"


def test_the_current_context_of_config_json_is_read_from_the_context_store(home):
    # What `docker context create desktop-linux` + `docker context use` leave behind.
    config = home / ".docker"
    config.mkdir()
    (config / "config.json").write_text(
        json.dumps({"auths": {}, "currentContext": "desktop-linux"})
    )
    meta = write_context(config, "desktop-linux", f"unix://{home}/.docker/run/docker.sock")
    assert meta.parent.name == hashlib.sha256(b"desktop-linux").hexdigest()
    found = discover({}, home, "darwin")
    assert found.url == f"unix://{home}/.docker/run/docker.sock"
    assert (found.source, found.context, found.explicit) == (
        ep.SOURCE_CONTEXT,
        "desktop-linux",
        True,
    )
    assert found.describe().endswith("(Docker context 'desktop-linux')")
    assert found.tls_dir == ""


def test_docker_context_variable_and_docker_config_folder_are_honoured(tmp_path, home):
    config = tmp_path / "elsewhere"
    config.mkdir()
    (config / "config.json").write_text(json.dumps({"currentContext": "ignored"}))
    write_context(config, "remote", "tcp://192.0.2.7:2376", tls=True)
    env = {"DOCKER_CONFIG": str(config), "DOCKER_CONTEXT": "remote"}
    found = discover(env, home, "linux")
    assert found.url == "tcp://192.0.2.7:2376" and found.context == "remote"
    assert found.tls_dir == str(
        config / "contexts" / "tls" / hashlib.sha256(b"remote").hexdigest() / "docker"
    )


def test_the_default_context_means_no_context(home, runtime, listening):
    (home / ".docker").mkdir()
    (home / ".docker" / "config.json").write_text(json.dumps({"currentContext": "default"}))
    listening(runtime / "docker.sock")
    found = discover({"XDG_RUNTIME_DIR": str(runtime)}, home, "linux")
    assert found.source == ep.SOURCE_ROOTLESS_DOCKER and not found.explicit


def test_a_missing_context_is_a_clear_error(home):
    (home / ".docker").mkdir()
    (home / ".docker" / "config.json").write_text(json.dumps({"currentContext": "gone"}))
    with pytest.raises(EndpointError) as err:
        discover({}, home, "linux")
    text = str(err.value)
    assert text.startswith("the current Docker context 'gone' does not exist")
    assert "docker context use" in text
    assert "Traceback" not in text and "KeyError" not in text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON at line 1"),
        ("[1, 2]", "is not a JSON object"),
        (b"\xff\xfe{}", "not valid UTF-8 text"),
    ],
)
def test_a_broken_config_json_is_a_clear_error(home, content, expected):
    (home / ".docker").mkdir()
    path = home / ".docker" / "config.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(EndpointError, match=expected) as err:
        discover({}, home, "linux")
    assert str(path) in str(err.value) and "fix" in str(err.value)


def test_a_context_without_a_docker_host_is_a_clear_error(home):
    (home / ".docker").mkdir()
    meta = write_context(home / ".docker", "k8s-only", "")
    meta.write_text(json.dumps({"Name": "k8s-only", "Endpoints": {"kubernetes": {}}}))
    with pytest.raises(EndpointError, match="names no Docker engine"):
        discover({"DOCKER_CONTEXT": "k8s-only"}, home, "linux")


# -- sockets that are looked for when nothing was chosen -------------------------------


def test_sockets_are_looked_at_in_order_desktop_rootless_podman_default(home, runtime):
    env = {"XDG_RUNTIME_DIR": str(runtime)}
    linux = [(c.source, c.url) for c in ep.implicit_candidates(env, home, "linux")]
    assert linux == [
        (ep.SOURCE_DESKTOP, f"unix://{home}/.docker/desktop/docker.sock"),
        (ep.SOURCE_ROOTLESS_DOCKER, f"unix://{runtime}/docker.sock"),
        (ep.SOURCE_PODMAN, f"unix://{runtime}/podman/podman.sock"),
        (ep.SOURCE_DEFAULT, "unix:///var/run/docker.sock"),
    ]
    mac = [c.url for c in ep.implicit_candidates({}, home, "darwin")]
    assert mac == [f"unix://{home}/.docker/run/docker.sock", "unix:///var/run/docker.sock"]
    assert [c.url for c in ep.implicit_candidates(env, home, "win32")] == [
        "npipe:////./pipe/docker_engine"
    ]


def test_the_first_socket_that_answers_wins(home, runtime, listening):
    env = {"XDG_RUNTIME_DIR": str(runtime)}
    podman = listening(runtime / "podman" / "podman.sock")
    found = discover(env, home, "linux")
    assert (found.source, found.state) == (ep.SOURCE_PODMAN, ep.ANSWERS)
    assert found.socket_path == str(runtime / "podman" / "podman.sock")
    # A rootless Docker socket that answers comes before Podman's.
    listening(runtime / "docker.sock")
    assert discover(env, home, "linux").source == ep.SOURCE_ROOTLESS_DOCKER
    podman.close()


def test_a_stale_socket_file_is_passed_over(home, runtime, listening):
    env = {"XDG_RUNTIME_DIR": str(runtime)}
    stale_socket(runtime / "docker.sock")
    assert ep.socket_state(str(runtime / "docker.sock")) == ep.REFUSED
    listening(runtime / "podman" / "podman.sock")
    assert discover(env, home, "linux").source == ep.SOURCE_PODMAN


def test_docker_desktops_own_socket_is_found_on_macos(home, listening):
    # Docker Desktop without "Allow the default Docker socket to be used".
    listening(home / ".docker" / "run" / "docker.sock")
    found = discover({}, home, "darwin")
    assert (found.source, found.url) == (
        ep.SOURCE_DESKTOP,
        f"unix://{home}/.docker/run/docker.sock",
    )


def test_with_nothing_else_the_default_socket_is_used(home, runtime):
    # This machine's real engine listens on the default socket.
    found = discover({"XDG_RUNTIME_DIR": str(runtime)}, home, "linux")
    assert (found.source, found.url, found.state) == (
        ep.SOURCE_DEFAULT,
        "unix:///var/run/docker.sock",
        ep.ANSWERS,
    )


def test_socket_state_reads_real_sockets(runtime, listening):
    listening(runtime / "up.sock")
    assert ep.socket_state(str(runtime / "up.sock")) == ep.ANSWERS
    assert ep.socket_state(str(runtime / "absent.sock")) == ep.MISSING
    (runtime / "plain-file").write_text("x")
    assert ep.socket_state(str(runtime / "plain-file")) == ep.REFUSED


def test_windows_uses_the_named_pipe_unless_told_otherwise(home):
    assert discover({}, home, "win32").url == "npipe:////./pipe/docker_engine"
    chosen = discover({"DOCKER_HOST": "npipe:////./pipe/dockerDesktopLinuxEngine"}, home, "win32")
    assert chosen.source == ep.SOURCE_DOCKER_HOST and chosen.socket_path == ""


def test_every_answering_socket_is_offered_in_order(home, runtime, listening):
    # The runner passes over one whose engine cannot hold tasks to their limits.
    env = {"XDG_RUNTIME_DIR": str(runtime)}
    listening(runtime / "podman" / "podman.sock")
    listening(runtime / "docker.sock")
    found = ep.discover_all(env, home, "linux")
    assert [(e.source, e.state) for e in found] == [
        (ep.SOURCE_ROOTLESS_DOCKER, ep.ANSWERS),
        (ep.SOURCE_PODMAN, ep.ANSWERS),
        (ep.SOURCE_DEFAULT, ep.ANSWERS),  # this machine's real engine
    ]
    assert ep.discover_all({**env, "DOCKER_HOST": "tcp://192.0.2.1:2375"}, home, "linux") == [
        Endpoint("tcp://192.0.2.1:2375", ep.SOURCE_DOCKER_HOST, explicit=True)
    ]
