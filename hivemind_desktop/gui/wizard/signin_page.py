"""Page 2: sign in to the node pool with the worker's own Login; remember in the keyring.

The pool normally sits behind the WireGuard tunnel set up two pages on, so a pool that
does not answer yet is not a dead end: the volunteer may go on and the worker signs in as
soon as the pool answers. A wrong password is a dead end until it is right.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from hivemind_desktop.core.credentials import Credentials, KeyringUnavailable
from hivemind_desktop.core.pool.session import address_problem
from hivemind_desktop.gui.core_text import core_text
from hivemind_desktop.gui.texts import keyring_text
from hivemind_desktop.gui.wizard import checks
from hivemind_desktop.gui.wizard.common import BusyBar, Message, SkipBox
from hivemind_desktop.gui.wizard.jobs import run_in_background


class WizardSignInPage(QWizardPage):
    def __init__(self, master_address: str, username: str, credentials: Credentials) -> None:
        super().__init__()
        self.credentials = credentials
        self.pool = QLineEdit(master_address)
        self.pool.setObjectName("wizardPoolAddress")
        self.pool.setPlaceholderText("10.0.0.1:50051")
        self.username = QLineEdit(username)
        self.username.setObjectName("wizardUsername")
        self.password = QLineEdit()
        self.password.setObjectName("wizardPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox()
        self.remember.setObjectName("wizardRemember")
        self.remember.setChecked(True)
        self.sign_in_button = QPushButton()
        self.sign_in_button.setObjectName("wizardSignIn")
        self.busy = BusyBar()
        self.message = Message("wizardSignInMessage")
        self.keyring_note = Message("wizardKeyringNote")
        self.later = SkipBox("wizardSignInLater")
        self.later.hide()
        # Why Sign in or Next is greyed out, said rather than left to guess.
        self.address_note = Message("wizardPoolAddressNote")
        self.hint = Message("wizardSignInHint")
        self.pool_label, self.user_label, self.password_label = QLabel(), QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.user_label, self.username)
        form.addRow(self.password_label, self.password)
        form.addRow(self.pool_label, self.pool)
        form.addRow("", self.address_note)
        row = QHBoxLayout()
        row.addWidget(self.remember)
        row.addStretch(1)
        row.addWidget(self.sign_in_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.later)
        layout.addWidget(self.hint)
        layout.addStretch(1)

        self.signed_in = False
        self.unreachable = False
        self.remembered = False
        self.keyring_reason = ""
        self._outcome: Any = None
        self._busy = False
        self.retranslate()
        for edit in (self.pool, self.username, self.password):
            edit.textChanged.connect(self._edited)
            edit.returnPressed.connect(self.start_sign_in)
        self.sign_in_button.clicked.connect(self.start_sign_in)
        self.later.toggled.connect(self._emit_complete)
        self._edited()

    # -- values the wizard reads -----------------------------------------------------------
    def master_address(self) -> str:
        return self.pool.text().strip()

    def credentials_entered(self) -> tuple[str, str]:
        return self.username.text().strip(), self.password.text()

    @property
    def deferred(self) -> bool:
        return not self.signed_in and self.unreachable and self.later.isChecked()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        if self._busy:
            return False
        return self.signed_in or self.deferred

    # -- sign-in ---------------------------------------------------------------------------
    def start_sign_in(self) -> None:
        if not self.sign_in_button.isEnabled():
            return
        address, (username, password) = self.master_address(), self.credentials_entered()
        remember = self.remember.isChecked()
        self._set_busy(True)
        self.message.show_text(self.tr("Signing in…"))
        self.keyring_note.show_text("")
        run_in_background(
            self, lambda: self._sign_in_job(address, username, password, remember), self._done
        )

    def _sign_in_job(self, address: str, username: str, password: str, remember: bool) -> Any:
        """Runs on the pool thread: Login, then the keyring (D-Bus can be slow too)."""
        result = checks.probe_sign_in(address, username, password)
        if not result.ok:
            return ("failed", result.message, result.unreachable)
        if not remember:
            return ("ok", "", "")
        try:
            self.credentials.save(username, password)
        except KeyringUnavailable as exc:
            return ("ok", str(exc), exc.reason)
        return ("ok", "", "remembered")

    def _done(self, outcome: Any) -> None:
        self._set_busy(False)
        if isinstance(outcome, BaseException):
            outcome = ("failed", str(outcome), False)
        self._outcome = outcome
        kind, text, extra = outcome
        self.signed_in = kind == "ok"
        self.unreachable = kind == "failed" and bool(extra)
        self.remembered = kind == "ok" and extra == "remembered"
        self.keyring_reason = extra if kind == "ok" and extra not in ("", "remembered") else ""
        self._render()
        self._emit_complete()

    def _render(self) -> None:
        if self._outcome is None:
            self.message.show_text("")
            self.keyring_note.show_text("")
            self.later.hide()
            return
        kind, text, _extra = self._outcome
        if kind == "ok":
            self.message.show_text(
                self.tr("Signed in as %1.").replace("%1", self.username.text().strip()), "ok"
            )
        else:
            self.message.show_text(
                self.tr("Sign-in failed: %1").replace("%1", core_text(text)), "error"
            )
        if self.keyring_reason:
            self.keyring_note.show_text(
                self.tr(
                    "Your password cannot be remembered: %1 You can go on; HiveMind will "
                    "ask you to sign in each time it starts."
                ).replace("%1", keyring_text(self.keyring_reason)),
                "warning",
            )
        else:
            self.keyring_note.show_text("")
        self.later.setVisible(self.unreachable)

    def address_ok(self) -> bool:
        """HOST:PORT, checked as typed (a missing port was only found by a sign-in that
        could not answer, or on the Finish page)."""
        return not address_problem(self.master_address())

    def _edited(self, *_args: object) -> None:
        address, (username, password) = self.master_address(), self.credentials_entered()
        self.sign_in_button.setEnabled(
            bool(address and username and password) and self.address_ok()
        )
        self._render_address()
        if self._outcome is not None:  # what was checked is no longer what is typed
            self._outcome = None
            self.signed_in = self.unreachable = self.remembered = False
            self.keyring_reason = ""
            self.later.setChecked(False)
            self._render()
        self._emit_complete()

    def _render_address(self) -> None:
        address = self.master_address()
        if address and not self.address_ok():
            self.address_note.show_text(
                self.tr(
                    "Write the node pool's address with its port, as HOST:PORT, "
                    "e.g. 10.0.0.1:50051."
                ),
                "error",
            )
        else:
            self.address_note.show_text("")

    def _render_hint(self) -> None:
        """Why Sign in or Next cannot be clicked yet, or nothing when both can."""
        address, (username, password) = self.master_address(), self.credentials_entered()
        if self._busy or self.isComplete():
            text = ""
        elif not (username and password and address):
            text = self.tr(
                "Enter your username, your password and the node pool's address, then click "
                "Sign in. Next is available once you are signed in."
            )
        elif not self.address_ok():
            text = self.tr("Correct the node pool's address to sign in.")
        elif self.unreachable:
            text = self.tr(
                "Next is available once you are signed in, or once you tick Sign in later."
            )
        else:
            text = self.tr("Click Sign in; Next is available once you are signed in.")
        self.hint.show_text(text)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        for widget in (self.pool, self.username, self.password, self.remember):
            widget.setEnabled(not busy)
        self.sign_in_button.setEnabled(not busy and self.address_ok())
        self._emit_complete()

    def _emit_complete(self, *_args: object) -> None:
        self._render_hint()
        self.completeChanged.emit()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Sign in"))
        self.setSubTitle(self.tr("Sign in with the HiveMind account you contribute for."))
        self.user_label.setText(self.tr("Username:"))
        self.password_label.setText(self.tr("Password:"))
        self.pool_label.setText(self.tr("Node pool address:"))
        self.remember.setText(self.tr("Remember me on this computer (in the system keyring)"))
        self.sign_in_button.setText(self.tr("Sign in"))
        self._render_address()
        self._render_hint()
        self.later.setText(
            self.tr(
                "Sign in later: the node pool is reached through the WireGuard tunnel set "
                "up on a later page; HiveMind signs in as soon as the pool answers"
            )
        )
        self._render()
