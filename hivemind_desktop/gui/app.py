"""The desktop app's composition: state, bridge, tray, window, sign-in, notifications.

`main()` is what `hivemind-desktop` with no arguments runs. `DesktopApp` wires the parts
and owns the flows that span them (sign-in, language switch, quit), so tests can build
one inside pytest-qt's QApplication with a real core.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from hivemind_desktop.core import settings as settings_mod
from hivemind_desktop.core.credentials import Credentials
from hivemind_desktop.core.settings import Settings, SettingsError
from hivemind_desktop.core.states import WorkerState
from hivemind_desktop.gui import resources
from hivemind_desktop.gui.bridge import Bridge, WorkerFactory, _default_worker_factory
from hivemind_desktop.gui.notifications import Notifier
from hivemind_desktop.gui.signin import SignInDialog
from hivemind_desktop.gui.single_instance import SingleInstance
from hivemind_desktop.gui.state import AppState
from hivemind_desktop.gui.texts import keyring_text
from hivemind_desktop.gui.tray import Tray

if TYPE_CHECKING:
    from hivemind_desktop.gui.main_window import MainWindow

log = logging.getLogger(__name__)

SNAPSHOT_MS = 5000  # trust, balance, counts; events carry everything in between
MAX_TIMER_MS = 2**31 - 1
Q = Qt.ConnectionType.QueuedConnection


class DesktopApp(QObject):
    finished = Signal()  # the core has shut down and the app may exit

    def __init__(
        self,
        settings: Settings,
        *,
        credentials: Credentials | None = None,
        worker_factory: WorkerFactory = _default_worker_factory,
        config_file: Path | None = None,
        exit_on_finish: bool = False,
        auto_sign_in: bool = True,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.exit_on_finish = exit_on_finish
        self.translations = resources.Translations()
        self.translations.install(resources.resolve_language(settings.language))
        self.state = AppState()
        self.bridge = Bridge(
            settings,
            credentials=credentials,
            worker_factory=worker_factory,
            config_file=config_file,
            auto_sign_in=auto_sign_in,
        )
        self.tray = Tray(self.state, self)
        self.notifier = Notifier(self.state, self)
        self.sign_in_dialog: SignInDialog | None = None
        self.quit_box: QMessageBox | None = None
        self.start_failed_box: QMessageBox | None = None
        self.quitting = False
        self.tray_missing_told = False
        self._snapshot_pending = False

        b = self.bridge
        b.core_event.connect(self.state.on_core_event, Q)
        b.started.connect(self._started, Q)
        b.start_failed.connect(self._start_failed, Q)
        b.snapshot_ready.connect(self._snapshot, Q)
        b.health_ready.connect(self.state.on_health, Q)
        b.task_output_ready.connect(self.state.set_output, Q)
        b.signed_in.connect(self._signed_in, Q)
        b.sign_in_needed.connect(self._sign_in_needed, Q)
        b.sign_in_failed.connect(self._sign_in_failed, Q)
        b.signed_out.connect(self._signed_out, Q)
        b.keyring_status.connect(self._keyring_status, Q)
        b.paused_changed.connect(self.state.set_paused, Q)
        b.settings_applied.connect(self._settings_applied, Q)
        b.command_failed.connect(self._command_failed, Q)
        b.stopped.connect(self._stopped, Q)

        self.tray.open_requested.connect(self.show_window)
        self.tray.pause_requested.connect(self.bridge.pause)
        self.tray.resume_requested.connect(self.bridge.resume)
        self.tray.snooze_requested.connect(self.bridge.snooze)
        self.tray.unsnooze_requested.connect(self.bridge.unsnooze)
        self.tray.quit_requested.connect(self.request_quit)
        self.notifier.message.connect(self._notify)

        # The main window is built when first shown and dropped when closed into the tray:
        # its pages, charts and timers cost memory and wake-ups only while it is open.
        self._window: MainWindow | None = None
        self._fleet: Any = None  # the Computers page's model, made with the first window
        self._config_file = config_file
        self._notice = ""  # the status-bar line, kept while no window exists
        self._window_geometry: Any = None
        self._window_tab = 0
        self.snapshot_timer = QTimer(self)
        self.snapshot_timer.timeout.connect(self.refresh_snapshot)
        self.session_timer = QTimer(self)
        self.session_timer.setSingleShot(True)
        self.session_timer.timeout.connect(self._session_expired)

    # -- start / window --------------------------------------------------------------------
    def start(self, show_window: bool | None = None) -> None:
        """Start the core (on the bridge thread) and show the tray, or the window if none."""
        self.bridge.start()
        has_tray = self.tray.show()
        if not has_tray:
            self._tell_no_tray()
            self.tray.appeared.connect(self._tray_appeared)
            self.tray.watch_for_tray()
        if show_window or (show_window is None and not has_tray):
            self.show_window()
        self.snapshot_timer.start(SNAPSHOT_MS)

    def show_window(self) -> None:
        self.window.bring_forward()

    @property
    def window(self) -> MainWindow:
        """The main window, built on first use (a tray-only app never builds one)."""
        if self._window is None:
            self._window = self._build_window()
        return self._window

    @property
    def has_window(self) -> bool:
        return self._window is not None

    def _show_notice(self, text: str) -> None:
        self._notice = text
        if self._window is not None:
            self._window.show_notice(text)

    def _build_window(self) -> MainWindow:
        from hivemind_desktop.gui.main_window import MainWindow

        if self._fleet is None:
            from hivemind_desktop.core.settings import config_file_path
            from hivemind_desktop.gui.fleet_model import FleetModel

            folder = (self._config_file or config_file_path()).parent
            self._fleet = FleetModel(folder / "computers.json", parent=self)
        window = MainWindow(self.state, self.settings, fleet=self._fleet)
        if self._window_geometry is not None:
            window.setGeometry(self._window_geometry)
        window.tabs.setCurrentIndex(self._window_tab)
        window.show_notice(self._notice)
        window.sign_in_clicked.connect(self._sign_in_clicked)
        window.sign_out_clicked.connect(self.bridge.sign_out)
        window.pause_clicked.connect(self.bridge.pause)
        window.resume_clicked.connect(self.bridge.resume)
        window.close_requested.connect(self._window_closed)
        window.tasks.stop_requested.connect(self.bridge.stop_task)
        window.tasks.output_wanted.connect(self.bridge.request_task_output)
        window.monitor.health_wanted.connect(self.bridge.request_health)
        window.settings_page.apply_requested.connect(self.bridge.apply_settings)
        window.settings_page.setup_requested.connect(self._open_setup_wizard)
        return window

    def _drop_window(self) -> None:
        """Delete the hidden main window (it is built again when opened), unless a dialog
        of it is still open, then hand the freed memory back to the system."""
        window = self._window
        if window is None or window.isVisible():
            return
        if any(w.isVisible() for w in window.findChildren(QWidget) if w.isWindow()):
            return  # e.g. the setup wizard, opened from the Settings page, is still up
        self._window_geometry, self._window_tab = window.geometry(), window.tabs.currentIndex()
        self._window = None
        window.deleteLater()
        QTimer.singleShot(0, _release_memory)

    def _open_setup_wizard(self) -> None:
        from hivemind_desktop.gui.wizard import open_wizard

        self._wizard = open_wizard(self.window, self.settings, on_finished=self._setup_done)

    def _setup_done(self, result) -> None:
        """The wizard saved new settings: apply them live and sign in if it did."""
        new = result.settings
        self.bridge.apply_settings(new)
        if new.username and new.password and (result.signed_in or not self.state.signed_in):
            self.bridge.sign_in(new.username, new.password, result.remembered)

    def _tell_no_tray(self) -> None:
        if self.tray_missing_told:
            return
        self.tray_missing_told = True
        self._show_notice(
            self.tr(
                "This desktop has no system tray: HiveMind keeps running in this window "
                "and the taskbar. Closing the window quits."
            )
        )

    def _tray_appeared(self) -> None:
        self._show_notice(
            self.tr("The system tray is here now: closing this window keeps HiveMind running.")
        )

    def _window_closed(self) -> None:
        if self.tray.icon.isVisible():
            self.window.hide()  # lives on in the tray
            self._drop_window()
        else:
            self.request_quit()

    def refresh_snapshot(self) -> None:
        if not self._snapshot_pending and not self.quitting:
            self._snapshot_pending = True
            self.bridge.request_snapshot()

    def _snapshot(self, snap: Any) -> None:
        self._snapshot_pending = False
        self.state.on_snapshot(snap)

    def _started(self, snap: Any) -> None:
        self.state.on_snapshot(snap)
        if snap.signed_in:  # signed in at start with the remembered credentials
            self._start_session_timer()

    def _start_failed(self, message: str) -> None:
        """No core means nothing to run: say why in a box (a tray-only start may show no
        window at all), then quit when the volunteer closes it."""
        self.state.worker_state = WorkerState.ERROR  # no core to say so: it never started
        self.state.error = message
        self.state.changed.emit()
        text = self.tr("HiveMind could not start: %1").replace("%1", message)
        self._show_notice(text)
        self.show_window()
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("HiveMind Desktop"),
            text,
            QMessageBox.StandardButton.Close,
            self.window,
        )
        box.finished.connect(lambda _result: self.shutdown())
        self.start_failed_box = box
        box.open()

    def _notify(self, title: str, text: str, critical: bool) -> None:
        if self.tray.icon.isVisible():
            self.tray.notify(title, text, critical)
        else:
            self._show_notice(f"{title}: {text}")

    # -- sign-in ---------------------------------------------------------------------------
    def open_sign_in(self, username: str = "", message: str = "") -> SignInDialog:
        if self.sign_in_dialog is None:
            dialog = SignInDialog(self._visible_window())
            dialog.submitted.connect(self.bridge.sign_in)
            dialog.finished.connect(self._sign_in_closed)
            if not self.state.keyring_ok:
                dialog.set_keyring_unavailable(keyring_text(self.state.keyring_message))
            self.sign_in_dialog = dialog
        self.sign_in_dialog.prefill(username or self.state.username, message)
        self.sign_in_dialog.open()
        self.sign_in_dialog.raise_()
        return self.sign_in_dialog

    def _sign_in_clicked(self) -> None:
        self.open_sign_in()

    def _sign_in_closed(self, _result: int) -> None:
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.deleteLater()
            self.sign_in_dialog = None

    def _sign_in_needed(self, username: str, message: str) -> None:
        self.open_sign_in(username, message)

    def _sign_in_failed(self, message: str) -> None:
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.failed(message)
        else:
            self.open_sign_in(message=message)

    def _signed_in(self, username: str, remembered: bool) -> None:
        self.state.signed_in = True
        self.state.username = username
        self.state.changed.emit()
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.succeeded()
        self._start_session_timer()
        self.refresh_snapshot()

    def _start_session_timer(self) -> None:
        """SESSION_TIMEOUT hours after a sign-in, ask for the password again."""
        hours_ms = int(self.settings.session_timeout_h * 3600 * 1000)
        self.session_timer.start(max(1, min(hours_ms, MAX_TIMER_MS)))

    def _signed_out(self) -> None:
        self.session_timer.stop()
        self.state.signed_in = False
        self.state.changed.emit()
        self.refresh_snapshot()

    def _session_expired(self) -> None:
        self.open_sign_in(
            self.state.username,
            self.tr("Your session is over; please sign in again."),
        )

    def _keyring_status(self, usable: bool, reason: str, message: str) -> None:
        self.state.keyring_ok = usable
        self.state.keyring_message = "" if usable else reason
        if not usable:
            text = keyring_text(reason)
            self._show_notice(self.tr("Your password cannot be remembered: %1").replace("%1", text))
            if self.sign_in_dialog is not None:
                self.sign_in_dialog.set_keyring_unavailable(text)
            log.warning("keyring unavailable: %s", message)

    # -- settings --------------------------------------------------------------------------
    def _settings_applied(self, new: Settings) -> None:
        old_language = self.translations.language
        self.settings = new
        language = resources.resolve_language(new.language)
        if language != old_language:
            self.translations.install(language)
            self._rebuild_window()  # live: every page is rebuilt in the new language
            self.tray.retranslate()
        if self._window is not None:
            self._window.settings_page.applied(new)

    def _rebuild_window(self) -> None:
        old = self._window
        if old is None:
            return  # the next window is built in the new language
        visible, geometry, tab = old.isVisible(), old.geometry(), old.tabs.currentIndex()
        self._window = self._build_window()
        self.window.setGeometry(geometry)
        self.window.tabs.setCurrentIndex(tab)
        if visible:
            self.window.show()
        old.hide()
        old.deleteLater()

    def _visible_window(self) -> MainWindow | None:
        return self._window if self._window is not None and self._window.isVisible() else None

    def _command_failed(self, name: str, message: str) -> None:
        if name == "apply_settings" and self._window is not None:
            self._window.settings_page.failed(message)
        elif name in ("snapshot",):
            self._snapshot_pending = False
        else:
            self._show_notice(self.tr("%1 failed: %2").replace("%1", name).replace("%2", message))

    # -- quit ------------------------------------------------------------------------------
    def request_quit(self) -> None:
        """Quit; when tasks run, ask first (their partial results go back to the pool)."""
        running = self.state.counts()["running"]
        if self.quitting:
            return
        if running == 0:
            self.shutdown()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Quit HiveMind"),
            self.tr(
                "%n task(s) are running. Quitting stops them and sends what they produced "
                "so far back to the node pool.",
                "",
                running,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._visible_window(),
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Stop tasks and quit"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(self._quit_answered)
        self.quit_box = box
        box.open()

    def _quit_answered(self, result: int) -> None:
        self.quit_box = None
        if result == QMessageBox.StandardButton.Yes:
            self.shutdown()

    def shutdown(self) -> None:
        """Stop the core on its thread; `finished` follows once it is down."""
        if self.quitting:
            return
        self.quitting = True
        if self._fleet is not None:
            self._fleet.stop()
        self.snapshot_timer.stop()
        self.session_timer.stop()
        self._show_notice(self.tr("Stopping tasks and shutting down…"))
        self.bridge.shutdown(stop_tasks=True)

    def _stopped(self) -> None:
        self.bridge.wait_finished()
        self.tray.hide()
        if self._window is not None:
            self._window.hide()
        self.finished.emit()
        if self.exit_on_finish:
            QApplication.quit()


def _release_memory() -> None:
    """Give freed heap back to the system after the window went (glibc keeps it otherwise,
    and the tray app's resident size would stay at its high-water mark). No gc.collect()
    here: collecting from the GUI thread can finalise Qt wrappers that belong to the
    bridge thread, which crashed the test process once; Python's own gc runs anyway."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (e.g. musl): nothing to trim
            pass


def _install_signal_handlers(desktop: DesktopApp) -> QTimer:
    """SIGTERM/SIGINT shut down cleanly; the timer lets Python run its handlers."""

    def handler(_signum: int, _frame: Any) -> None:
        QTimer.singleShot(0, desktop.shutdown)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    timer = QTimer()
    timer.timeout.connect(lambda: None)
    timer.start(300)
    return timer


def main(
    settings: Settings | None = None,
    argv: Sequence[str] | None = None,
    instance_name: str | None = None,
    show_window: bool | None = None,
    first_run_wizard: bool = False,
) -> int:
    """Run the desktop app; returns the process exit status."""
    app = cast(
        QApplication,
        QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv)),
    )
    app.setApplicationName("HiveMind Desktop")
    app.setOrganizationName("HiveMind")
    app.setQuitOnLastWindowClosed(False)
    app.setWindowIcon(resources.icon("app"))
    if settings is None:
        try:
            settings = settings_mod.load()
        except SettingsError as exc:
            QMessageBox.critical(None, "HiveMind Desktop", str(exc))
            print(f"hivemind-desktop: {exc}", file=sys.stderr)
            return 2
    instance = SingleInstance(instance_name)
    if not instance.claim():
        print("HiveMind Desktop is already running: its window was brought forward.")
        return 0
    if first_run_wizard:
        from hivemind_desktop.gui.wizard import run_first_run_wizard_if_needed

        chosen = run_first_run_wizard_if_needed(settings)
        if chosen is None:  # cancelled: nothing starts; the wizard shows again next time
            instance.close()
            return 0
        settings = chosen
    desktop = DesktopApp(settings, exit_on_finish=True)
    instance.show_requested.connect(desktop.show_window)
    keepalive = _install_signal_handlers(desktop)  # noqa: F841 - must live as long as the loop
    desktop.start(show_window=show_window)
    try:
        return app.exec()
    finally:
        instance.close()


def run_gui(
    settings: Settings | None = None, show_window: bool = True, first_run_wizard: bool = True
) -> int:
    """What `hivemind-desktop` (no arguments) and `demo --gui` call. show_window=False
    starts in the tray only (for start at login); with no tray the window shows anyway.
    On the very first start (no config file yet) the setup wizard runs first."""
    return main(
        settings,
        show_window=None if not show_window else True,
        first_run_wizard=first_run_wizard,
    )
