"""The sign-in dialog: the node pool's Login, optionally remembered in the OS keyring.

It never blocks: Sign in hands the credentials to the bridge and waits for its
signed_in / sign_in_failed signal with the form disabled.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hivemind_desktop.gui.colours import warning_colour


class SignInDialog(QDialog):
    submitted = Signal(str, str, bool)  # username, password, remember

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in to HiveMind"))
        self.intro = QLabel(self.tr("Sign in with your HiveMind account to start contributing."))
        self.intro.setWordWrap(True)
        self.pool = QLabel()  # which node pool the password goes to
        self.pool.setObjectName("signInPool")
        self.pool.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember me on this computer"))
        self.remember.setChecked(True)
        self.message = QLabel()
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet(f"color: {warning_colour(self.palette())};")
        self.keyring_note.hide()
        self.keyring_usable = True
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(self.tr("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Not now"))
        form = QFormLayout()
        form.addRow(self.tr("Node pool:"), self.pool)
        form.addRow(self.tr("Username:"), self.username)
        form.addRow(self.tr("Password:"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.username.textChanged.connect(self._update_button)
        self.password.textChanged.connect(self._update_button)
        self._update_button()

    def set_pool(self, address: str) -> None:
        self.pool.setText(address)

    def prefill(self, username: str, message: str = "") -> None:
        if username:
            self.username.setText(username)
            self.password.setFocus()
        self.message.setText(message)

    def set_keyring_unavailable(self, reason_text: str) -> None:
        """No keyring: say why, and that the password will be asked each time."""
        self.keyring_usable = False
        self.remember.setChecked(False)
        self.remember.setEnabled(False)
        self.keyring_note.setText(
            self.tr(
                "Your password cannot be remembered: %1 You will be asked to sign in each time."
            ).replace("%1", reason_text)
        )
        self.keyring_note.show()

    def _update_button(self) -> None:
        self.sign_in_button.setEnabled(bool(self.username.text().strip() and self.password.text()))

    def submit(self) -> None:
        if not self.sign_in_button.isEnabled():
            return
        self._set_busy(True)
        self.message.setText(self.tr("Signing in…"))
        self.submitted.emit(
            self.username.text().strip(), self.password.text(), self.remember.isChecked()
        )

    def failed(self, message: str) -> None:
        self._set_busy(False)
        self.message.setText(self.tr("Sign-in failed: %1").replace("%1", message))
        self.password.selectAll()
        self.password.setFocus()

    def succeeded(self) -> None:
        self._set_busy(False)
        self.password.clear()
        self.accept()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.username, self.password, self.remember, self.sign_in_button):
            widget.setEnabled(not busy)
        if not busy:
            self._update_button()
            self.remember.setEnabled(self.keyring_usable)
