"""With the password remembered in a real Secret Service, a session that times out is
re-checked with the node pool by the app itself: no prompt, still signed in. If the pool
refuses the remembered password (changed since), the session ends with the reason and
the remembered entry stays for the volunteer to replace."""

from __future__ import annotations

import pytest

from hivemind_desktop.core.credentials import SERVICE, Credentials
from hivemind_desktop.core.states import PoolState
from tests.kit.desktop import VOLUNTEER, make_settings

pytestmark = pytest.mark.keyring

WAIT = 30_000
TIMEOUT_H = 0.001  # 3.6 s


def test_a_remembered_password_is_rechecked_without_a_prompt(
    qtbot, secret_service, pool, make_desktop, tmp_path, task_image
):
    settings = make_settings(tmp_path, pool.address, session_timeout_h=TIMEOUT_H)
    app = make_desktop(settings, credentials=Credentials(SERVICE))
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)
    dialog = app.sign_in_dialog
    dialog.username.setText(VOLUNTEER[0])
    dialog.password.setText(VOLUNTEER[1])
    assert dialog.remember.isChecked()
    rechecks = []
    app.bridge.signed_in.connect(lambda user, remembered: rechecks.append((user, remembered)))
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: app.sign_in_dialog is None and app.state.signed_in, timeout=WAIT)
    # Two timeouts pass: each is a fresh Login with the remembered password, no prompt.
    qtbot.waitUntil(lambda: len(rechecks) >= 3, timeout=WAIT)
    assert app.sign_in_dialog is None
    # Between two checks (one may be running on the bridge thread right now): signed in,
    # and the next check is due.
    qtbot.waitUntil(lambda: app.session_timer.isActive(), timeout=WAIT)
    assert app.state.signed_in and app.sign_in_dialog is None

    # The password changed elsewhere: the remembered one is refused at the next check.
    Credentials(SERVICE).save(VOLUNTEER[0], "not-the-password-any-more")
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None, timeout=WAIT)
    text = app.sign_in_dialog.message.text()
    assert text.startswith("Your session ended after 0.001 hours")
    assert "The node pool refused the remembered password" in text
    assert not app.state.signed_in
    qtbot.waitUntil(lambda: app.state.pool_state == PoolState.SIGNED_OUT, timeout=WAIT)
    assert Credentials(SERVICE).load() == (VOLUNTEER[0], "not-the-password-any-more")
