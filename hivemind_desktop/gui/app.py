"""The desktop app's composition: state, bridge, tray, window, sign-in, notifications.

`main()` is what `hivemind-desktop` with no arguments runs. `DesktopApp` wires the parts
and owns the flows that span them (sign-in, language switch, quit), so tests can build
one inside pytest-qt's QApplication with a real core.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QSessionManager
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget

from hivemind_desktop.core import autostart
from hivemind_desktop.core import settings as settings_mod
from hivemind_desktop.core.credentials import Credentials
from hivemind_desktop.core.settings import Settings, SettingsError
from hivemind_desktop.core.states import WorkerState
from hivemind_desktop.gui import resources
from hivemind_desktop.gui.bridge import Bridge, WorkerFactory, _default_worker_factory
from hivemind_desktop.gui.core_text import core_text
from hivemind_desktop.gui.hints import Hints
from hivemind_desktop.gui.leaving import LeavingProgress, quit_box, sign_out_box, working_count
from hivemind_desktop.gui.notifications import Notifier
from hivemind_desktop.gui.signin import SignInDialog
from hivemind_desktop.gui.single_instance import SingleInstance
from hivemind_desktop.gui.state import AppState
from hivemind_desktop.gui.texts import keyring_text
from hivemind_desktop.gui.tray import Tray

if TYPE_CHECKING:
    from hivemind_desktop.gui.main_window import MainWindow

log = logging.getLogger(__name__)

SESSION_END_MS = 25_000  # Windows shows "this app is preventing shutdown" after ~5 s, and
# lets the volunteer wait; stopping containers and delivering results takes a few seconds.
SNAPSHOT_MS = 5000  # trust, balance, counts; events carry everything in between
MAX_TIMER_MS = 2**31 - 1
SESSION_RETRY_MS = 10 * 60 * 1000  # the pool did not answer the re-check: ask it again
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
        # Start at login as the system has it (the installer may have set it, Task Manager
        # or Login Items may have switched it off), never the config file's default.
        self.settings = settings.replace(start_at_login=autostart.is_enabled())
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
        self.finish_button: QAbstractButton | None = None  # the quit box's "finish first"
        self.sign_out_box: QMessageBox | None = None
        self.leaving: LeavingProgress | None = None  # progress while tasks end on a quit
        self.finishing = False  # waiting for the running tasks before quitting
        self.start_failed_box: QMessageBox | None = None
        self.quitting = False
        self.core_stopped = False  # the bridge said `stopped`: tasks ended, results queued
        self.tray_missing_told = False
        self._snapshot_pending = False

        b = self.bridge
        b.core_event.connect(self.state.on_core_event, Q)
        b.started.connect(self._started, Q)
        b.start_failed.connect(self._start_failed, Q)
        b.snapshot_ready.connect(self._snapshot, Q)
        b.health_ready.connect(self.state.on_health, Q)
        b.task_output_ready.connect(self.state.set_output, Q)
        b.history_cleared.connect(self.state.forget_tasks, Q)
        b.statistics_ready.connect(self.state.set_statistics, Q)
        b.signed_in.connect(self._signed_in, Q)
        b.sign_in_needed.connect(self._sign_in_needed, Q)
        b.sign_in_failed.connect(self._sign_in_failed, Q)
        b.signed_out.connect(self._signed_out, Q)
        b.session_ended.connect(self._session_ended, Q)
        b.session_retry.connect(self._session_retry, Q)
        b.keyring_status.connect(self._keyring_status, Q)
        b.paused_changed.connect(self.state.set_paused, Q)
        b.settings_applied.connect(self._settings_applied, Q)
        b.command_failed.connect(self._command_failed, Q)
        b.stopped.connect(self._stopped, Q)

        self.tray.open_requested.connect(self.show_window)
        self.tray.sign_in_requested.connect(self._sign_in_clicked)
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
        self._watch_session_end()
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

        login = autostart.state()
        self.settings = self.settings.replace(start_at_login=login.enabled)
        if self._fleet is None:
            from hivemind_desktop.core.settings import config_file_path
            from hivemind_desktop.gui.fleet_model import FleetModel

            folder = (self._config_file or config_file_path()).parent
            self._fleet = FleetModel(folder / "computers.json", parent=self)
        window = MainWindow(self.state, self.settings, fleet=self._fleet)
        window.settings_page.show_start_at_login_note(self._start_at_login_note(login))
        if self._window_geometry is not None:
            window.setGeometry(self._window_geometry)
        window.tabs.setCurrentIndex(self._window_tab)
        window.show_notice(self._notice)
        window.sign_in_clicked.connect(self._sign_in_clicked)
        window.sign_out_clicked.connect(self.request_sign_out)
        window.pause_clicked.connect(self.bridge.pause)
        window.resume_clicked.connect(self.bridge.resume)
        window.close_requested.connect(self._window_closed)
        window.tasks.stop_requested.connect(self.bridge.stop_task)
        window.tasks.output_wanted.connect(self.bridge.request_task_output)
        window.tasks.clear_requested.connect(self.bridge.clear_history)
        window.statistics.wanted.connect(self.bridge.request_statistics)
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

    def check_start_at_login(self) -> None:
        """At start (the installed app only, not tests): nothing may stay pointing to a
        deleted app, so an entry left by an older install (or into an ejected disk image)
        is rewritten for this one; an app run from its disk image or a translocated copy
        (macOS) is asked to move to Applications first."""
        try:
            done = autostart.repair()
        except (autostart.AutostartError, ValueError) as exc:
            log.warning("start at login could not be checked: %s", exc)
        else:
            if done != "keep":
                what = {"rewrite": "rewritten for this app", "remove": "removed"}[done]
                log.info("start at login: an entry pointing to a deleted app was %s", what)
        if autostart.location_problem(autostart.launch_command()[0]):
            self._show_notice(
                self.tr(
                    "Move HiveMind Desktop to the Applications folder and open it from there: "
                    "from the disk image it cannot start at login."
                )
            )

    def _start_at_login_note(self, login: autostart.AutostartState) -> str:
        """Why an existing start-at-login entry will not start the app, for the page."""
        if login.reason == "switched-off":
            where = {
                "win32": self.tr("Task Manager > Startup apps"),
                "darwin": self.tr("System Settings > General > Login Items"),
            }.get(sys.platform, self.tr("your desktop's startup applications"))
            return self.tr("Switched off in %1. Tick the box and Apply to turn it on.").replace(
                "%1", where
            )
        if login.reason == "missing":
            return self.tr(
                "The start-at-login entry points to a program that no longer exists. Tick "
                "the box and Apply to point it to this one."
            )
        return ""

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
            if Hints(self.settings.data_path).first_time("closed_to_tray"):
                self.tray.notify(
                    self.tr("HiveMind keeps running"),
                    self.tr(
                        "HiveMind is still lending this computer from the tray. Click its "
                        "icon to open the window; right-click it to pause or quit."
                    ),
                )
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
        self.sign_in_dialog.set_pool(self.settings.master_address)
        self.sign_in_dialog.prefill(
            username or self.state.username or self.state.last_username or self.settings.username,
            message,
        )
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
        message = core_text(message)
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

    def request_sign_out(self) -> None:
        """Sign out; while tasks run, ask first (signing out stops them)."""
        running = working_count(self.state)
        if running == 0:
            self.bridge.sign_out()
            return
        box = sign_out_box(self._visible_window(), running)
        box.finished.connect(self._sign_out_answered)
        self.sign_out_box = box
        box.open()

    def _sign_out_answered(self, result: int) -> None:
        self.sign_out_box = None
        if result == QMessageBox.StandardButton.Yes:
            self.bridge.sign_out()

    def _signed_out(self) -> None:
        self.session_timer.stop()
        self.state.clear_account()  # no old trust or balance under a signed-out app
        self.refresh_snapshot()

    def _session_expired(self) -> None:
        """SESSION_TIMEOUT means: after this long the password is proved again. The
        bridge re-checks a remembered one with the pool by itself (no prompt); only
        without one, or when the pool refuses it, does the session end (_session_ended)."""
        if self.state.signed_in and not self.quitting:
            self.bridge.recheck_session(self.state.username)

    def _session_retry(self, reason: str) -> None:
        log.warning("session re-check postponed: %s", reason)
        self.session_timer.start(SESSION_RETRY_MS)

    def _session_ended(self, username: str, reason: str) -> None:
        """Signed out already (no new tasks): the prompt says so, "Not now" leaves it
        that way, and signing in starts a new session."""
        self.session_timer.stop()
        self.state.signed_in = False
        self.state.changed.emit()
        self.refresh_snapshot()
        hours = f"{self.settings.session_timeout_h:g}"
        text = self.tr(
            "Your session ended after %1 hours: HiveMind takes no new tasks until you sign in "
            "again."
        ).replace("%1", hours)
        if reason:
            text += " " + self.tr("The node pool refused the remembered password: %1").replace(
                "%1", reason
            )
        self._show_notice(text)
        self.open_sign_in(username, text)

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
            note = self._start_at_login_note(autostart.state())
            self._window.settings_page.show_start_at_login_note(note)

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
        elif name == "save_settings" and self._window is not None:
            self._window.settings_page.not_saved(message)
        elif name in ("snapshot",):
            self._snapshot_pending = False
        elif name in ("task_output", "health"):
            # Background fetches for a page: a task gone from the worker simply shows no
            # console; not worth a status line the volunteer cannot act on.
            log.info("%s: %s", name, message)
        else:
            self._show_notice(
                self.tr("%1 did not work: %2")
                .replace("%1", self._command_text(name))
                .replace("%2", core_text(message))
            )

    def _command_text(self, name: str) -> str:
        """What the volunteer asked for, in their words (never the command's name)."""
        words = {
            "pause": self.tr("Pausing"),
            "resume": self.tr("Resuming"),
            "snooze": self.tr("Snoozing"),
            "unsnooze": self.tr("Resuming now"),
            "stop_task": self.tr("Stopping the task"),
            "sign_in": self.tr("Signing in"),
            "sign_out": self.tr("Signing out"),
            "recheck_session": self.tr("Checking the password again"),
        }
        return words.get(name, self.tr("That"))

    # -- quit ------------------------------------------------------------------------------
    def request_quit(self) -> None:
        """Quit; when tasks run, ask first (their partial results go back to the pool)."""
        running = working_count(self.state)
        if self.quitting or self.quit_box is not None:
            return
        if self.finishing:  # asked again while waiting: show the progress
            if self.leaving is not None:
                self.leaving.raise_()
            return
        if running == 0:
            self.shutdown()
            return
        box, self.finish_button = quit_box(self._visible_window(), running)
        box.finished.connect(lambda result, b=box: self._quit_answered(b, result))
        self.quit_box = box
        box.open()

    def _quit_answered(self, box: QMessageBox, result: int) -> None:
        self.quit_box = None
        if box.clickedButton() is self.finish_button:
            self.finish_then_quit()
        elif result == QMessageBox.StandardButton.Yes:
            self.shutdown()

    def finish_then_quit(self) -> None:
        """Take no new task, wait for the running ones, then quit (with progress)."""
        if self.quitting or self.finishing:
            return
        self.finishing = True
        self.bridge.finish_tasks()
        self._show_leaving(finishing=True)
        self.state.changed.connect(self._finished_yet)
        self.state.task_changed.connect(self._finished_yet)
        self._finished_yet()

    def _finished_yet(self, *_args: object) -> None:
        if self.finishing and not self.quitting and working_count(self.state) == 0:
            self.shutdown()

    def _show_leaving(self, finishing: bool) -> None:
        if self.leaving is None:
            self.leaving = LeavingProgress(self.state, finishing, self._visible_window())
            self.leaving.stop_now.connect(self.shutdown)
            self.leaving.show()

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
        if working_count(self.state):
            self._show_leaving(finishing=False)
        self.bridge.shutdown(stop_tasks=True)

    # -- log-off and shutdown --------------------------------------------------------------
    def _watch_session_end(self) -> None:
        """Windows has no SIGTERM: at log-off or shutdown Qt asks the app to commit its data
        (commitDataRequest, from WM_QUERYENDSESSION; macOS likewise) and then quits
        (aboutToQuit), and Windows ends the process soon after. Both stop the tasks first.
        If another app then cancels the shutdown, HiveMind has quit: start at login or the
        volunteer brings it back, and no result was lost."""
        app = QCoreApplication.instance()
        if app is None:
            return
        app.aboutToQuit.connect(self._about_to_quit)
        if isinstance(app, QGuiApplication) and commit_data_ends_session(sys.platform):
            app.commitDataRequest.connect(self._commit_data)

    def _unwatch_session_end(self) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        with contextlib.suppress(RuntimeError, TypeError):  # never connected
            app.aboutToQuit.disconnect(self._about_to_quit)
        if isinstance(app, QGuiApplication) and commit_data_ends_session(sys.platform):
            with contextlib.suppress(RuntimeError, TypeError):
                app.commitDataRequest.disconnect(self._commit_data)

    def _commit_data(self, manager: QSessionManager) -> None:
        # Start at login brings the app back; the session must not restart it twice.
        manager.setRestartHint(QSessionManager.RestartHint.RestartNever)
        self.stop_before_session_ends()

    def _about_to_quit(self) -> None:
        self.stop_before_session_ends()

    def stop_before_session_ends(self, timeout_ms: int = SESSION_END_MS) -> bool:
        """Stop the core now and wait for it (running tasks stopped, their results in the
        persistent outbox or delivered), since the process may not outlive this call.
        True when the core is down within `timeout_ms`."""
        if self.core_stopped:
            return True
        log.info("the session is ending: stopping tasks before the app is ended")
        self.shutdown()
        deadline = QDeadlineTimer(timeout_ms)
        while not self.core_stopped and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            self.bridge.wait_finished(20)
        return self.core_stopped

    def _stopped(self) -> None:
        self.core_stopped = True
        self._unwatch_session_end()
        self.bridge.wait_finished()
        self.tray.hide()
        if self.leaving is not None:
            self.leaving.hide()
            self.leaving.deleteLater()
            self.leaving = None
        if self._window is not None:
            self._window.hide()
        self.finished.emit()
        if self.exit_on_finish:
            QApplication.quit()


def commit_data_ends_session(platform: str) -> bool:
    """Whether Qt's commitDataRequest means the session is ending (stop the tasks now):
    on Windows (WM_QUERYENDSESSION) and macOS. An X11 session manager also sends it for
    checkpoints, and Linux ends a session with SIGTERM, handled in main()."""
    return platform in ("win32", "darwin")


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
            if sys.stderr is not None:
                print(f"hivemind-desktop: {exc}", file=sys.stderr)
            from hivemind_desktop.gui.start_error import show_start_error

            show_start_error(exc, settings_mod.config_file_path())
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
    desktop.check_start_at_login()
    instance.show_requested.connect(desktop.show_window)
    instance.quit_requested.connect(desktop.shutdown)  # --quit: stop tasks, queue results
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
