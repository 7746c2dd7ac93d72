"""Page 4: the WireGuard tunnel to the node pool: get a config, save it, bring it up, and
prove it works.

The config comes from a file, a paste, or a key pair made here (the private key stays in
the config on this machine; only the public key is shown, to send to HiveMind). It is
validated by vpn.parse_config as it is typed, and the bad line is highlighted. Bringing
the tunnel up and verifying it (interface up, a real gRPC call to the pool through it,
the address the pool will dial) run on a pool thread.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from hivemind_desktop.core import reveal, vpn
from hivemind_desktop.gui.colours import error_background, error_colour
from hivemind_desktop.gui.core_text import core_text
from hivemind_desktop.gui.wizard import checks
from hivemind_desktop.gui.wizard.common import BusyBar, Message, SkipBox
from hivemind_desktop.gui.wizard.jobs import run_in_background

MAX_CONFIG_BYTES = 64 * 1024  # a tunnel config is a few hundred bytes
# The lines of vpn.new_config_template's text that hold each field typed here: its
# refusal names a line of a config the volunteer has not seen yet, so it is told
# against the field instead.
TEMPLATE_LINE_ADDRESS, TEMPLATE_LINE_POOL_KEY, TEMPLATE_LINE_ENDPOINT = 3, 6, 8


class WizardWireGuardPage(QWizardPage):
    def __init__(self, config_dir: Path) -> None:
        super().__init__()
        self.config_dir = Path(config_dir)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.import_button = QPushButton()
        self.import_button.setObjectName("wizardWgImport")
        self.generate_button = QPushButton()
        self.generate_button.setObjectName("wizardWgGenerate")
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("wizardWgEditor")
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setMinimumHeight(140)
        self.validation = Message("wizardWgValidation")

        # Key pair made here: the public key to copy, the rest of the config to fill in.
        self.keys_box = QGroupBox()
        self.public_key = QLineEdit()
        self.public_key.setObjectName("wizardWgPublicKey")
        self.public_key.setReadOnly(True)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("wizardWgCopy")
        self.address = QLineEdit()
        self.address.setObjectName("wizardWgAddress")
        self.address.setPlaceholderText("10.0.0.2/24")
        self.pool_key = QLineEdit()
        self.pool_key.setObjectName("wizardWgPoolKey")
        self.endpoint = QLineEdit()
        self.endpoint.setObjectName("wizardWgEndpoint")
        self.endpoint.setPlaceholderText("pool.example.org:51820")
        self.create_button = QPushButton()
        self.create_button.setObjectName("wizardWgCreate")
        self.keys_note = QLabel()
        self.keys_note.setWordWrap(True)
        self.pub_label, self.addr_label = QLabel(), QLabel()
        self.pool_key_label, self.endpoint_label = QLabel(), QLabel()
        key_row = QHBoxLayout()
        key_row.addWidget(self.public_key, 1)
        key_row.addWidget(self.copy_button)
        keys_form = QFormLayout(self.keys_box)
        keys_form.addRow(self.keys_note)
        keys_form.addRow(self.pub_label, key_row)
        keys_form.addRow(self.addr_label, self.address)
        keys_form.addRow(self.pool_key_label, self.pool_key)
        keys_form.addRow(self.endpoint_label, self.endpoint)
        keys_form.addRow(self.create_button)
        self.keys_message = Message("wizardWgKeysMessage")  # a refused field, by name
        keys_form.addRow(self.keys_message)
        self.keys_box.hide()
        self._private_key = ""

        self.save_button = QPushButton()
        self.save_button.setObjectName("wizardWgSave")
        self.up_button = QPushButton()
        self.up_button.setObjectName("wizardWgUp")
        self.verify_button = QPushButton()
        self.verify_button.setObjectName("wizardWgVerify")
        self.saved_message = Message("wizardWgSaved")
        # The config lies in a hidden folder (AppData, ~/Library) that WireGuard's Import
        # dialog cannot easily reach: show it in the file manager, or copy its path.
        self.show_folder_button = QPushButton()
        self.show_folder_button.setObjectName("wizardWgShowFolder")
        self.copy_path_button = QPushButton()
        self.copy_path_button.setObjectName("wizardWgCopyPath")
        self.saved_actions = QWidget()
        saved_row = QHBoxLayout(self.saved_actions)
        saved_row.setContentsMargins(0, 0, 0, 0)
        saved_row.addWidget(self.show_folder_button)
        saved_row.addWidget(self.copy_path_button)
        saved_row.addStretch(1)
        self.plan_message = Message("wizardWgPlan")
        self.busy = BusyBar()
        self.tunnel_line = Message("wizardWgTunnel")
        self.pool_line = Message("wizardWgPool")
        self.address_line = Message("wizardWgAddressLine")
        self.skip = SkipBox("wizardWgSkip")

        top = QHBoxLayout()
        top.addWidget(self.import_button)
        top.addWidget(self.generate_button)
        top.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.up_button)
        actions.addWidget(self.verify_button)
        actions.addStretch(1)
        # Everything in a scroll area: with a key pair to fill in, the page is taller
        # than the wizard's default size, and Qt squeezed the fields to a few pixels
        # instead (worse in Chinese). Scrolled, every field keeps its height.
        content = QWidget()
        content.setObjectName("wizardWgContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("wizardWgScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(self.keys_box)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.validation)
        layout.addLayout(actions)
        layout.addWidget(self.saved_message)
        layout.addWidget(self.saved_actions)
        layout.addWidget(self.plan_message)
        layout.addWidget(self.busy)
        layout.addWidget(self.tunnel_line)
        layout.addWidget(self.pool_line)
        layout.addWidget(self.address_line)
        layout.addWidget(self.skip)

        self.config: vpn.TunnelConfig | None = None
        self.config_error: vpn.VpnConfigError | None = None
        self.saved_path: Path | None = None
        self.save_error = ""
        self.plan: vpn.TunnelPlan | None = None
        self.up_result: vpn.TunnelResult | None = None
        self.tunnel: checks.TunnelCheck | None = None
        self._busy = ""  # "up" / "verify" while a job runs

        self.editor.textChanged.connect(self._text_changed)
        self.import_button.clicked.connect(self._choose_file)
        self.generate_button.clicked.connect(self.generate_keys)
        self.copy_button.clicked.connect(self._copy_public_key)
        self.create_button.clicked.connect(self.create_config)
        self.save_button.clicked.connect(self.save)
        self.up_button.clicked.connect(self.bring_up)
        self.verify_button.clicked.connect(self.verify)
        self.show_folder_button.clicked.connect(self.show_in_folder)
        self.copy_path_button.clicked.connect(self.copy_path)
        self.skip.toggled.connect(lambda _on: self.completeChanged.emit())
        self.retranslate()
        self._text_changed()

    # -- completeness ----------------------------------------------------------------------
    @property
    def verified(self) -> bool:
        return self.tunnel is not None and self.tunnel.ok

    @property
    def skipped(self) -> bool:
        return not self.verified and self.skip.isChecked()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        if self._busy:
            return False
        if self.skip.isChecked():
            return True
        # A tunnel the volunteer activated elsewhere is fine; a config typed here must be
        # valid and saved, or it would be lost.
        text_pending = bool(self.editor.toPlainText().strip()) and self.saved_path is None
        return self.verified and not text_pending

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        # The volunteer may have activated the tunnel already: say so at once.
        if self.tunnel is None and not self._busy:
            self.verify()

    def master_address(self) -> str:
        wizard = self.wizard()
        getter = getattr(wizard, "master_address", None)
        return getter() if getter else "10.0.0.1:50051"

    # -- getting a config ------------------------------------------------------------------
    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open the WireGuard tunnel file"),
            str(Path.home()),
            self.tr("WireGuard tunnels (*.conf);;All files (*)"),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> bool:
        """Load a tunnel file into the editor (validated like a paste)."""
        try:
            if path.stat().st_size > MAX_CONFIG_BYTES:
                raise ValueError(self.tr("it is too large to be a WireGuard config"))
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.validation.show_text(
                self.tr("Cannot read %1: %2. Choose the .conf file HiveMind sent you.")
                .replace("%1", str(path))
                .replace("%2", reason),
                "error",
            )
            return False
        self._forget_generated()  # the imported file has its own keys
        self.editor.setPlainText(text)
        return True

    def generate_keys(self) -> None:
        self._private_key, public = vpn.generate_keypair()
        self.public_key.setText(public)
        self.keys_box.show()
        self.scroll_area.ensureWidgetVisible(self.public_key)

    def _forget_generated(self) -> None:
        """Drop a key pair made here: its public key must not sit beside a config that
        uses another one."""
        self._private_key = ""
        self.public_key.clear()
        for field in (self.address, self.pool_key, self.endpoint):
            field.clear()
        self.keys_box.hide()

    def _copy_public_key(self) -> None:
        QGuiApplication.clipboard().setText(self.public_key.text())

    def create_config(self) -> None:
        for field in (self.address, self.pool_key, self.endpoint):
            field.setStyleSheet("")
        try:
            text = vpn.new_config_template(
                self._private_key,
                self.address.text(),
                self.pool_key.text(),
                self.endpoint.text(),
            )
        except vpn.VpnConfigError as exc:
            self._field_error(exc)
            return
        self.keys_message.show_text("")
        self.editor.setPlainText(text)

    def _field_error(self, exc: vpn.VpnConfigError) -> None:
        """Tell a refused field by its name, beside the fields, with what it takes."""
        fields = {
            TEMPLATE_LINE_ADDRESS: (
                self.address,
                self.tr(
                    "Your tunnel address: write the address HiveMind sent you, e.g. 10.0.0.2/24."
                ),
            ),
            TEMPLATE_LINE_POOL_KEY: (
                self.pool_key,
                self.tr(
                    "Node pool public key: this is not a WireGuard key (44 characters ending "
                    "in '='). Copy it again from HiveMind's reply."
                ),
            ),
            TEMPLATE_LINE_ENDPOINT: (
                self.endpoint,
                self.tr("Node pool endpoint: write it as host:port, e.g. pool.example.org:51820."),
            ),
        }
        field, text = fields.get(
            exc.line or 0,
            (None, self.tr("The config could not be made: %1").replace("%1", core_text(str(exc)))),
        )
        if field is not None:
            field.setStyleSheet(f"QLineEdit {{ border: 2px solid {_red(self)}; }}")
            field.setFocus()
        self.keys_message.show_text(text, "error")
        self.scroll_area.ensureWidgetVisible(self.keys_message)

    # -- validation ------------------------------------------------------------------------
    def _text_changed(self) -> None:
        text = self.editor.toPlainText()
        self.saved_path, self.save_error = None, ""
        self.plan, self.up_result = None, None
        if not text.strip():
            self.config, self.config_error = None, None
        else:
            try:
                self.config, self.config_error = vpn.parse_config(text), None
            except vpn.VpnConfigError as exc:
                self.config, self.config_error = None, exc
        self._highlight(self.config_error.line if self.config_error else None)
        self._render()
        self.completeChanged.emit()

    def _highlight(self, line: int | None) -> None:
        selections = []
        if line:
            block = self.editor.document().findBlockByNumber(line - 1)
            if block.isValid():
                selection = QTextEdit.ExtraSelection()
                selection.format.setBackground(QColor(error_background(self.palette())))
                selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                selection.cursor = QTextCursor(block)
                selections.append(selection)
        self.editor.setExtraSelections(selections)

    # -- saving and bringing up ------------------------------------------------------------
    def save(self) -> None:
        """Write the config and work out how to bring it up, off the GUI thread (the plan
        may ask NetworkManager, which can take seconds)."""
        if self._busy:
            return
        text, folder = self.editor.toPlainText(), self.config_dir

        def work() -> tuple[Path, vpn.TunnelPlan]:
            path = vpn.save_config(text, folder)
            return path, vpn.tunnel_up_plan(path)

        self._start("save", work, self._saved)

    def _saved(self, result: Any) -> None:
        if isinstance(result, BaseException):
            self.saved_path, self.save_error, self.plan = None, str(result), None
        else:
            (self.saved_path, self.plan), self.save_error = result, ""
        self._finish()

    def show_in_folder(self) -> None:
        path = self.saved_path
        if path is None:
            return
        if reveal.reveal(path, sys.platform):
            return
        # No way to select the file here: open its folder, or say where it is.
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))):
            self.saved_message.show_text(
                self.tr("No file manager could be opened. The config is saved at %1").replace(
                    "%1", str(path)
                ),
                "warning",
            )

    def copy_path(self) -> None:
        if self.saved_path is None:
            return
        QGuiApplication.clipboard().setText(str(self.saved_path))
        self.saved_message.show_text(
            self.tr(
                "Path copied: in WireGuard's Import dialog, paste it as the file name "
                "(on a Mac, press Cmd+Shift+G first)."
            ),
            "ok",
        )

    def bring_up(self) -> None:
        if self.plan is None or self._busy:
            return
        plan = self.plan
        self._start("up", lambda: vpn.bring_up(plan), self._up_done)

    def _up_done(self, result: Any) -> None:
        if isinstance(result, BaseException):
            result = vpn.TunnelResult(False, str(result), self.plan.steps if self.plan else ())
        self.up_result = result
        self._finish()
        if result.ok:
            self.verify()

    def verify(self) -> None:
        if self._busy:
            return
        address = self.master_address()
        self._start("verify", lambda: checks.check_tunnel(address), self._verify_done)

    def _verify_done(self, result: Any) -> None:
        if isinstance(result, BaseException):
            self.tunnel = None
            self.tunnel_line.show_text(str(result), "error")
        else:
            self.tunnel = result
        if self.verified:
            self.skip.setChecked(False)
        self._finish()

    def _start(self, what: str, fn: Any, done: Any) -> None:
        self._busy = what
        self.busy.show()
        self._render()
        self.completeChanged.emit()
        run_in_background(self, fn, done)

    def _finish(self) -> None:
        self._busy = ""
        self.busy.hide()
        self._render()
        self.completeChanged.emit()

    # -- showing ---------------------------------------------------------------------------
    def _render(self) -> None:
        busy = bool(self._busy)
        if self.config_error is not None:
            self.validation.show_text(
                self.tr("This config cannot be used: %1").replace(
                    "%1", core_text(str(self.config_error))
                ),
                "error",
            )
        elif self.config is not None:
            self.validation.show_text(
                self.tr("The config is valid: tunnel address %1, node pool endpoint %2.")
                .replace("%1", self.config.tunnel_address or "?")
                .replace("%2", ", ".join(p.endpoint for p in self.config.peers)),
                "ok",
            )
        else:
            self.validation.show_text(
                self.tr("Paste the config here, import the file, or generate a key pair.")
            )
        self.save_button.setEnabled(self.config is not None and not busy)
        self.up_button.setEnabled(self.plan is not None and self.plan.automatic and not busy)
        self.verify_button.setEnabled(not busy)
        self.editor.setReadOnly(busy)
        if self.save_error:
            self.saved_message.show_text(core_text(self.save_error), "error")
        elif self.saved_path is not None:
            self.saved_message.show_text(
                self.tr("Saved to %1 (readable only by you).").replace("%1", str(self.saved_path)),
                "ok",
            )
        else:
            self.saved_message.show_text("")
        self.saved_actions.setVisible(self.saved_path is not None and not self.save_error)
        self._render_plan()
        if self._busy == "verify":
            self.tunnel_line.show_text(self.tr("Checking the tunnel and the node pool…"))
            self.pool_line.show_text("")
            self.address_line.show_text("")
        elif self._busy == "up":
            self.tunnel_line.show_text(self.tr("Bringing the tunnel up…"))
        elif self.tunnel is not None:
            self._render_tunnel(self.tunnel)

    def _render_plan(self) -> None:
        plan, result = self.plan, self.up_result
        if plan is None:
            self.plan_message.show_text("")
            return
        steps = result.steps if result is not None and not result.ok else plan.steps
        if result is not None:
            head, kind = result.message, ("ok" if result.ok else "error")
        elif plan.automatic:
            head, kind = self.tr("Click Activate to run: %1").replace("%1", plan.summary), ""
        else:
            head, kind = (
                self.tr("Activate the tunnel yourself (%1):").replace("%1", plan.summary),
                "warning",
            )
        lines = "".join(f"<li>{_escape(step)}</li>" for step in steps)
        self.plan_message.setTextFormat(Qt.TextFormat.RichText)
        self.plan_message.show_text(_escape(head) + (f"<ol>{lines}</ol>" if lines else ""), kind)

    def _render_tunnel(self, check: checks.TunnelCheck) -> None:
        mark = {True: "✔", False: "✘"}
        self.tunnel_line.show_text(
            f"{mark[check.state.up]} "
            + self.tr("Tunnel: %1").replace("%1", core_text(check.state.message)),
            "ok" if check.state.up else "error",
        )
        self.pool_line.show_text(
            f"{mark[check.pool_ok]} "
            + self.tr("Node pool: %1").replace("%1", core_text(check.pool_message)),
            "ok" if check.pool_ok else "error",
        )
        choice = check.address
        if choice.address:
            text = self.tr("The node pool will reach this computer at %1.").replace(
                "%1", choice.address
            )
            if choice.warning:
                text += " " + choice.warning
            self.address_line.show_text(
                f"{mark[True]} {text}", "warning" if choice.warning else "ok"
            )
        else:
            # The core's line names an environment variable; a volunteer has the tunnel.
            self.address_line.show_text(
                f"{mark[False]} "
                + self.tr(
                    "The node pool cannot reach this computer yet: no WireGuard tunnel is "
                    "up. Activate the tunnel above; its address is then found by itself."
                ),
                "error",
            )

    def retranslate(self) -> None:
        self.setTitle(self.tr("WireGuard tunnel"))
        self.setSubTitle(
            self.tr(
                "The node pool sends tasks to this computer through a private WireGuard tunnel."
            )
        )
        self.intro.setText(
            self.tr(
                "Import the tunnel file HiveMind gave you, paste it below, or generate a new "
                "key pair here and send HiveMind the public key (the private key never "
                "leaves this computer)."
            )
        )
        self.import_button.setText(self.tr("Import file…"))
        self.generate_button.setText(self.tr("Generate a key pair"))
        self.keys_box.setTitle(self.tr("New key pair"))
        self.keys_note.setText(
            self.tr(
                "Send this public key to HiveMind. They reply with your tunnel address, the "
                "node pool's public key and its endpoint: enter them, then click Create config."
            )
        )
        self.copy_button.setText(self.tr("Copy"))
        self.pub_label.setText(self.tr("Your public key:"))
        self.addr_label.setText(self.tr("Your tunnel address:"))
        self.pool_key_label.setText(self.tr("Node pool public key:"))
        self.endpoint_label.setText(self.tr("Node pool endpoint:"))
        self.create_button.setText(self.tr("Create config"))
        self.save_button.setText(self.tr("Save"))
        self.show_folder_button.setText(self.tr("Show in folder"))
        self.copy_path_button.setText(self.tr("Copy path"))
        self.up_button.setText(self.tr("Activate"))
        self.verify_button.setText(self.tr("Check the tunnel"))
        self.skip.setText(
            self.tr(
                "Skip for now: I understand that the node pool cannot send tasks to this "
                "computer until the tunnel works"
            )
        )
        self._render()


def _red(widget: QWidget) -> str:
    """The error red that reads on the volunteer's light or dark theme."""
    return error_colour(widget.palette())


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
