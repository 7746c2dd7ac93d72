"""The `hivemind-desktop` console script as a user runs it: real subprocesses, a real
headless worker, real HTTP."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from hivemind_desktop import __version__
from tests.kit import free_port, wait_for
from tests.kit.worker import SCRIPT, clean_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(tmp_path)


def run(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def test_version(env: dict[str, str]) -> None:
    done = run("--version", env=env)
    assert done.returncode == 0
    assert done.stdout.strip() == f"hivemind-desktop {__version__}"


def test_help_lists_the_modes_and_commands(env: dict[str, str]) -> None:
    done = run("--help", env=env)
    assert done.returncode == 0
    for word in ("--headless", "--self-test", "status", "demo", "nodepool", "submit"):
        assert word in done.stdout


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("NODE_PORT", "abc", "a port from 1 to 65535"),
        ("MAX_CONCURRENT_TASKS", "0", "a whole number from 1 to 64"),
    ],
)
def test_headless_with_bad_environment_value_exits_2_with_one_line(
    env: dict[str, str], tmp_path: Path, variable: str, value: str, allowed: str
) -> None:
    env[variable] = value
    done = run("--headless", env=env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"hivemind-desktop: {variable}={value!r}")
    assert allowed in lines[0]
    assert done.stdout == ""
    assert not (tmp_path / "data").exists()  # nothing started, nothing written


def test_headless_with_unknown_config_key_exits_2(env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("node_prot = 6000\n", encoding="utf-8")
    done = run("--headless", "--config", str(config), env=env)
    assert done.returncode == 2
    assert "unknown setting 'node_prot'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_status_with_no_worker_running(env: dict[str, str]) -> None:
    port = free_port()
    env["FLASK_PORT"] = str(port)
    done = run("status", env=env)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"hivemind-desktop: no worker answers on http://127.0.0.1:{port}: is it running "
        "(hivemind-desktop --headless) with this FLASK_PORT?"
    )


@pytest.fixture
def headless(env: dict[str, str], task_images: None) -> Iterator[subprocess.Popen]:
    env.update(
        FLASK_PORT=str(free_port()),
        NODE_PORT=str(free_port("127.0.0.2")),
        MASTER_ADDRESS=f"127.0.0.1:{free_port()}",  # no pool: the worker stays signed out
        HIVEMIND_ADVERTISE_ADDRESS="127.0.0.2",
        HIVEMIND_BUSY_CPU_PERCENT="0",
        HIVEMIND_ALLOWED_PEERS="127.0.0.1",
        MAX_CPU_CORES="1",
        MAX_MEMORY_GB="1",
    )
    proc = subprocess.Popen(
        [str(SCRIPT), "--headless"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def answers() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"the headless worker exited: {proc.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", int(env["FLASK_PORT"])), timeout=1).close()
            return True
        except OSError:
            return False

    try:
        wait_for(answers, "the headless worker's status API", timeout=60)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


@pytest.mark.docker
def test_status_against_a_running_headless_worker(
    headless: subprocess.Popen, env: dict[str, str]
) -> None:
    done = run("status", env=env)
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert status["advertise_address"] == "127.0.0.2"
    assert status["signed_in"] is False
    assert status["state"] == "signed_out"
    assert status["docker"]["available"] is True

    # --stop reads the install secret from the data folder: an unknown task is a 404
    done = run("status", "--stop", "no-such-task", env=env)
    assert done.returncode == 1
    assert "unknown task id 'no-such-task'" in done.stderr

    headless.send_signal(signal.SIGTERM)
    out, _ = headless.communicate(timeout=60)
    assert headless.returncode == 0
    assert "serving on 127.0.0.2" in out
    assert "stopping" in out


def test_diagnostics_writes_a_zip_without_the_password(env: dict[str, str], tmp_path: Path) -> None:
    import zipfile

    secret = "Cli-Secret-Password-77"
    env["HIVEMIND_USERNAME"], env["HIVEMIND_PASSWORD"] = "bob", secret
    env["MASTER_ADDRESS"] = f"127.0.0.1:{free_port()}"  # nobody: the pool check fails fast
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "hivemind-desktop.log").write_text(f"leaked {secret} here\n")
    out = tmp_path / "d.zip"
    done = run("diagnostics", "--out", str(out), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"diagnostics saved to {out} (no passwords or tokens in it)"
    with zipfile.ZipFile(out) as zf:
        assert "self-test.txt" in zf.namelist()
        everything = b"".join(zf.read(name) for name in zf.namelist())
    assert secret.encode() not in everything and secret.encode() not in out.read_bytes()
    assert b"leaked *** here" in everything

    bad = run("diagnostics", "--out", str(tmp_path / "missing" / "d.zip"), env=env)
    assert bad.returncode == 1
    assert bad.stderr.startswith("hivemind-desktop: the diagnostics could not be saved in")
    assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
