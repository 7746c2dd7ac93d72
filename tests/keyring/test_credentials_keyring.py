"""Credentials and the app's remember-me against a real Secret Service (gnome-keyring)."""

from __future__ import annotations

import pytest

from hivemind_desktop.core.credentials import SERVICE, Credentials, KeyringUnavailable
from tests.kit.desktop import VOLUNTEER, make_settings
from tests.kit.secret_service import secret_lookup

pytestmark = pytest.mark.keyring

WAIT = 30_000


def test_remember_then_a_new_object_loads_without_prompt(secret_service):
    service = "HiveMind Desktop keyring-test"
    first = Credentials(service)
    assert "SecretService" in first.backend_name()
    assert first.load() is None
    first.save("vol", "s3cret pw")
    assert Credentials(service).load() == ("vol", "s3cret pw")  # a fresh object, as after restart
    assert secret_lookup(secret_service, service, "vol") == "s3cret pw"
    first.save("other", "pw2")  # a new account replaces the old one
    assert Credentials(service).load() == ("other", "pw2")
    assert secret_lookup(secret_service, service, "vol") is None
    Credentials(service).delete()
    assert Credentials(service).load() is None
    assert secret_lookup(secret_service, service, "other") is None
    Credentials(service).delete()  # forgetting nothing is not an error


def test_no_keyring_service_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus-here")
    creds = Credentials()
    for action in (creds.load, creds.backend_name, lambda: creds.save("vol", "pw"), creds.delete):
        with pytest.raises(KeyringUnavailable) as caught:
            action()
        assert caught.value.reason == "missing"
        message = str(caught.value)
        assert "keyring" in message and "sign in each time" in message
        assert "\n" not in message


def test_app_remembers_restarts_signed_in_and_sign_out_forgets(
    qtbot, secret_service, pool, make_desktop, tmp_path, task_image
):
    settings = make_settings(tmp_path, pool.address)
    app = make_desktop(settings, credentials=Credentials(SERVICE))
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)
    dialog = app.sign_in_dialog
    assert dialog.remember.isEnabled() and dialog.remember.isChecked()
    dialog.username.setText(VOLUNTEER[0])
    dialog.password.setText(VOLUNTEER[1])
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: app.state.signed_in, timeout=WAIT)
    assert secret_lookup(secret_service, SERVICE, VOLUNTEER[0]) == VOLUNTEER[1]
    with qtbot.waitSignal(app.finished, timeout=WAIT):
        app.shutdown()

    # Restart: a new app with a new Credentials object signs in with no prompt.
    again = make_desktop(settings.replace(node_port=settings.node_port), credentials=Credentials())
    assert again.state.signed_in and again.state.username == VOLUNTEER[0]
    assert again.sign_in_dialog is None
    qtbot.waitUntil(lambda: again.state.pool_connected, timeout=WAIT)
    assert again.sign_in_dialog is None

    again.window.sign_button.click()  # "Sign out"
    qtbot.waitUntil(lambda: not again.state.signed_in, timeout=WAIT)
    qtbot.waitUntil(
        lambda: secret_lookup(secret_service, SERVICE, VOLUNTEER[0]) is None, timeout=WAIT
    )
    assert Credentials().load() is None


def test_app_without_keyring_says_so_and_still_signs_in(
    qtbot, tmp_path, monkeypatch, pool, make_desktop, task_image
):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus-here")
    app = make_desktop(make_settings(tmp_path, pool.address), credentials=Credentials())
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: not app.state.keyring_ok, timeout=WAIT)
    dialog = app.sign_in_dialog
    assert not dialog.remember.isEnabled() and not dialog.remember.isChecked()
    assert "no keyring service is running" in dialog.keyring_note.text()
    assert "cannot be remembered" in app.window.notice.text()
    dialog.username.setText(VOLUNTEER[0])
    dialog.password.setText(VOLUNTEER[1])
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: app.state.signed_in and app.state.pool_connected, timeout=WAIT)
