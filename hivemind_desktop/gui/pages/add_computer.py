"""Add a computer: the code `hivemind-desktop pair` printed, or its pairing file."""

from __future__ import annotations

import socket

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hivemind_desktop.core.fleet.client import FleetError
from hivemind_desktop.core.remote.access import LinkError, PairingLink, parse_link
from hivemind_desktop.gui.fleet_model import FleetModel
from hivemind_desktop.gui.pages.fleet_texts import ERROR_STYLE, error_text

PAIRING_FILE_MAX = 4096


class AddComputerDialog(QDialog):
    """Type the code `hivemind-desktop pair` printed, or open its pairing file."""

    def __init__(self, fleet: FleetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fleet = fleet
        self.setWindowTitle(self.tr("Add a computer"))
        self.setModal(True)
        intro = QLabel(
            self.tr(
                "On the computer to watch, turn on remote access (HIVEMIND_REMOTE_API_ADDRESS, "
                "e.g. its WireGuard address) and run 'hivemind-desktop pair' (add --control "
                "to allow pausing and stopping tasks). Enter the code it prints, or open the "
                "pairing file it wrote. A code works once, for ten minutes."
            )
        )
        intro.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText("10.0.0.2:5443/ABCD-EFGH-JKMN/0123456789abcdef")
        self.open_file = QPushButton(self.tr("Open pairing file…"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("pairMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.pair_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.pair_button.setText(self.tr("Pair"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(self.open_file)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.open_file.clicked.connect(self._choose_file)
        fleet.pair_finished.connect(self._finished)
        self._link_from_file: PairingLink | None = None
        self.resize(560, self.sizeHint().height())

    def submit(self) -> None:
        try:
            link = self._link_from_file or parse_link(self.code.text())
        except LinkError as exc:
            self._show_error(
                self.tr("This is not a pairing code: %1").replace("%1", self._why(exc))
            )
            return
        self.pair_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Pairing with %1…").replace("%1", link.host))
        self.fleet.pair(link, socket.gethostname() or "desktop")

    def read_file(self, path: str) -> None:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read(PAIRING_FILE_MAX + 1)
            if len(text) > PAIRING_FILE_MAX:
                raise ValueError(self.tr("the file is too large"))
            self._link_from_file = parse_link(text)
        except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
            self._link_from_file = None
            if isinstance(exc, LinkError):
                reason = self._why(exc)
            elif isinstance(exc, OSError):
                reason = exc.strerror or self.tr("it cannot be read")
            elif isinstance(exc, UnicodeDecodeError):
                reason = self._why(LinkError("file", ""))
            else:
                reason = str(exc)  # our own "too large"
            self._show_error(self.tr("This pairing file cannot be used: %1").replace("%1", reason))
            return
        self.code.setText(self._link_from_file.text())
        self.code.setEnabled(False)
        self.message.setText("")

    def _why(self, exc: LinkError) -> str:
        words = {
            "shape": self.tr(
                "a pairing code looks like 10.0.0.2:5443/ABCD-EFGH-JKMN/0123456789abcdef"
            ),
            "file": self.tr("this is not a HiveMind pairing file"),
            "host": self.tr("it must start with the worker's IP address, e.g. 10.0.0.2:5443"),
            "port": self.tr("its port is not between 1 and 65535"),
            "incomplete": self.tr("it is incomplete: copy all of it"),
            "damaged": self.tr("its last part (the certificate check) is damaged"),
        }
        return words.get(exc.reason, str(exc))

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open pairing file"))
        if path:
            self.read_file(path)

    def _finished(self, key: str, error: FleetError | None) -> None:
        self.pair_button.setEnabled(True)
        if error is not None:
            self._show_error(error_text(error))
            return
        self.accept()

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
