"""A locked keyring (a real gnome-keyring collection locked over D-Bus): a clear error,
no plain-text fallback, and a worker that keeps going signed out."""

from __future__ import annotations

import threading

import pytest
import secretstorage

from hivemind_desktop.core.credentials import Credentials, KeyringUnavailable
from hivemind_desktop.core.logs import setup_logging
from tests.kit.desktop import make_settings

pytestmark = pytest.mark.keyring

SERVICE = "HiveMind Desktop locked-test"


def _lock_default_collection() -> None:
    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        collection.lock()
        assert collection.is_locked()
    finally:
        connection.close()


def _within(seconds: float, action):
    """Run action on a thread: a keyring that prompts must not hang the caller."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(action())
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the keyring call hung (a prompt nobody can answer)"
    return outcome[0]


def test_locked_keyring_is_a_clear_error_and_nothing_falls_back(secret_service, tmp_path):
    Credentials(SERVICE).save("vol", "locked-away-pw")
    _lock_default_collection()

    for action in (
        lambda: Credentials(SERVICE).load(),
        lambda: Credentials(SERVICE).save("vol", "new-pw"),
    ):
        error = _within(20, action)
        assert isinstance(error, KeyringUnavailable), error
        assert error.reason == "locked"
        message = str(error)
        assert "locked" in message and "sign in each time" in message and "\n" not in message
    for path in tmp_path.rglob("*"):  # no plain-text copy anywhere in the test's home
        if path.is_file() and path.stat().st_size < 1_000_000:
            assert b"new-pw" not in path.read_bytes(), path


def test_worker_with_a_locked_keyring_starts_signed_out(secret_service, tmp_path, pool):
    from hivemind_desktop.core.worker import Worker

    Credentials(SERVICE).save("vol", "locked-away-pw")
    _lock_default_collection()
    settings = make_settings(tmp_path, pool.address)
    log = setup_logging(settings.log_path)
    worker = Worker(settings, credentials=Credentials(SERVICE), log=log)
    try:
        _within(30, worker.start)
        snap = worker.snapshot()
        assert not snap.signed_in and snap.state == "signed_out"
        logged = "\n".join(e.message for e in worker.log_entries())
        assert "saved sign-in not available" in logged and "locked" in logged
    finally:
        worker.shutdown()
