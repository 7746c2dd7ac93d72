"""SESSION_TIMEOUT in the tray app means: after this long the password is proved again.
Without a remembered password the session ends: the worker leaves the node pool (no new
tasks), the prompt says so, "Not now" leaves it signed out, and signing in starts a new
session. (With a remembered one the app re-checks it by itself, with no prompt:
tests/keyring/test_session_timeout_keyring.py.) Real pool, real Worker, real bridge."""

from __future__ import annotations

import pytest

from hivemind_desktop.core.states import PoolState
from tests.kit.desktop import VOLUNTEER, make_settings

pytestmark = [pytest.mark.gui, pytest.mark.docker]

WAIT = 30_000
TIMEOUT_H = 0.001  # 3.6 s


def sign_in(qtbot, app) -> None:
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)
    dialog = app.sign_in_dialog
    dialog.username.setText(VOLUNTEER[0])
    dialog.password.setText(VOLUNTEER[1])
    dialog.remember.setChecked(False)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: app.state.signed_in and app.state.pool_connected, timeout=WAIT)
    qtbot.waitUntil(lambda: app.sign_in_dialog is None, timeout=WAIT)


def test_an_ended_session_signs_out_and_not_now_keeps_it_so(
    qtbot, pool, make_desktop, tmp_path, task_image
):
    app = make_desktop(make_settings(tmp_path, pool.address, session_timeout_h=TIMEOUT_H))
    sign_in(qtbot, app)
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)  # the prompt
    dialog = app.sign_in_dialog
    assert dialog.message.text() == (
        "Your session ended after 0.001 hours: HiveMind takes no new tasks until you sign in again."
    )
    assert dialog.username.text() == VOLUNTEER[0]
    assert not app.state.signed_in
    qtbot.waitUntil(lambda: app.state.pool_state == PoolState.SIGNED_OUT, timeout=WAIT)

    dialog.reject()  # "Not now"
    qtbot.waitUntil(lambda: app.sign_in_dialog is None, timeout=WAIT)
    with qtbot.waitSignal(app.bridge.snapshot_ready, timeout=WAIT):
        app.refresh_snapshot()
    assert not app.state.signed_in and app.state.pool_state == PoolState.SIGNED_OUT
    assert app.window.sign_button.text() == "Sign in…"
    assert not app.session_timer.isActive()  # no nagging while signed out

    app.window.sign_button.click()  # signing in again starts a new session...
    sign_in(qtbot, app)
    # ...which ends in its turn (the timer runs again; under load it may have fired).
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)
    assert app.sign_in_dialog.message.text().startswith("Your session ended after")
