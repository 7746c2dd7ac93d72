"""Helpers for tests/keyring: a real Secret Service (gnome-keyring) on a private bus.

The fixture starts its own dbus-daemon and gnome-keyring-daemon with XDG_RUNTIME_DIR and
XDG_DATA_HOME in a scratch folder, points this process at them, and stops both after the
test: the developer's own keyring is never touched.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

KEYRING_PASSWORD = "keyring-test-pw"


def _wait_for_secret_service(env: dict[str, str], timeout: float = 15.0) -> None:
    """Until our daemon owns the Secret Service name (asking must not D-Bus-activate a
    second, locked daemon, so ask the bus, not the service)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        owner = subprocess.run(
            ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
             "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
             "string:org.freedesktop.secrets"],
            env=env, capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        if "boolean true" in owner.stdout:
            return
        time.sleep(0.1)
    raise RuntimeError("gnome-keyring's Secret Service did not come up on the private bus")


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ)
    env.update(
        XDG_RUNTIME_DIR=str(runtime),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(tmp_path),
    )
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1",
         f"--address=unix:path={runtime}/bus"],
        env=env, capture_output=True, text=True, timeout=15, check=True,
    )  # fmt: skip
    address, pid = bus.stdout.split()[:2]
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    keyring_daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    keyring_daemon.stdin.write(KEYRING_PASSWORD.encode())
    keyring_daemon.stdin.close()
    try:
        _wait_for_secret_service(env)
        for name in (
            "XDG_RUNTIME_DIR",
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
            "DBUS_SESSION_BUS_ADDRESS",
        ):
            monkeypatch.setenv(name, env[name])
        yield env
    finally:
        keyring_daemon.terminate()
        keyring_daemon.wait(10)
        os.kill(int(pid), 15)


def secret_lookup(env: dict[str, str], service: str, username: str) -> str | None:
    """What `secret-tool lookup` finds (None: nothing stored)."""
    found = subprocess.run(
        ["secret-tool", "lookup", "service", service, "username", username],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
    )
    return found.stdout if found.returncode == 0 else None
