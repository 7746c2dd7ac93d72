"""The one door between the GUI and the core.

The bridge is a QObject moved onto its own QThread. It builds the core `Worker` there,
and every core call (start, sign in, pause, snapshot, shutdown ...) runs there too, so
the GUI thread never waits on Docker, gRPC or the disk. Core events arrive on core
threads; the bridge re-emits each as the Qt signal `core_event`, which Qt queues to the
receivers' (GUI) thread. `_core()` asserts the thread on every call: a core call from the
GUI thread is a bug, and it fails loudly instead of freezing the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from hivemind_desktop.core import autostart
from hivemind_desktop.core import settings as settings_mod
from hivemind_desktop.core.credentials import Credentials, KeyringUnavailable
from hivemind_desktop.core.events import Event
from hivemind_desktop.core.settings import Settings

log = logging.getLogger(__name__)


class CoreThreadViolation(AssertionError):
    """The core was called from a thread other than the bridge thread."""


WorkerFactory = Callable[..., Any]


def _default_worker_factory(settings: Settings, credentials: Credentials | None) -> Any:
    # The core, imported on the bridge thread.
    from hivemind_desktop.core.logs import setup_logging
    from hivemind_desktop.core.worker import Worker

    return Worker(settings, credentials=credentials, log=setup_logging(settings.log_path))


class Bridge(QObject):
    # core -> GUI (all emitted on the bridge thread or core threads; queued to receivers)
    core_event = Signal(str, object)  # kind, data dict (see core/events.py)
    started = Signal(object)  # the first WorkerSnapshot
    start_failed = Signal(str)  # why the core could not start (cause + fix)
    snapshot_ready = Signal(object)
    health_ready = Signal(object)  # dict from worker.health()
    task_output_ready = Signal(str, str)  # task id, everything so far
    history_cleared = Signal(object)  # the task ids the core forgot
    statistics_ready = Signal(object)  # core.statistics.Statistics
    signed_in = Signal(str, bool)  # username, remembered in the keyring
    sign_in_needed = Signal(str, str)  # username to prefill, message ("" = first time)
    sign_in_failed = Signal(str)
    signed_out = Signal()
    session_ended = Signal(str, str)  # username, why ("" = no remembered password)
    session_retry = Signal(str)  # the pool did not answer the re-check: why
    keyring_status = Signal(bool, str, str)  # usable, reason/backend name, message
    paused_changed = Signal(bool)  # pause/resume done: containers frozen/thawed
    settings_applied = Signal(object)  # the new Settings, applied and saved
    command_failed = Signal(str, str)  # command name, message
    stopped = Signal()  # the core has shut down; the thread is ending

    _invoke = Signal(object)  # GUI -> bridge thread: a job (name, callable)

    def __init__(
        self,
        settings: Settings,
        *,
        credentials: Credentials | None = None,
        worker_factory: WorkerFactory = _default_worker_factory,
        config_file: Any = None,
        auto_sign_in: bool = True,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._credentials = credentials if credentials is not None else Credentials()
        self._factory = worker_factory
        self._config_file = config_file
        self._auto_sign_in = auto_sign_in
        self._worker: Any = None
        self._unsubscribe: Callable[[], None] | None = None
        self._thread = QThread()
        self._thread.setObjectName("hivemind-bridge")
        self.moveToThread(self._thread)
        self._invoke.connect(self._execute)  # receiver lives on the bridge thread: queued
        self._thread.started.connect(self._boot)
        self.violations = 0  # how many times the thread assertion fired (for tests/bench)

    # -- lifecycle (called from the GUI thread) --------------------------------------------
    def start(self) -> None:
        self._thread.start()

    @property
    def thread_handle(self) -> QThread:
        return self._thread

    def wait_finished(self, ms: int = 5000) -> bool:
        """Join the bridge thread after `stopped` (it only has to unwind by then)."""
        return self._thread.wait(ms)

    # -- commands (any thread; they run on the bridge thread) ------------------------------
    def pause(self) -> None:
        self._submit("pause", lambda w: self._then_paused(w.pause, True))

    def resume(self) -> None:
        self._submit("resume", lambda w: self._then_paused(w.resume, False))

    def _then_paused(self, command: Callable[[], None], paused: bool) -> None:
        command()
        self.paused_changed.emit(paused)

    def snooze(self, choice: str) -> None:
        """Hold tasks back for an hour ("hour") or until tomorrow morning ("tomorrow");
        the new state arrives as a core event ("snoozed", "until 14:30")."""
        self._submit("snooze", lambda w: w.snooze(choice))

    def unsnooze(self) -> None:
        self._submit("unsnooze", lambda w: w.unsnooze())

    def stop_task(self, task_id: str) -> None:
        self._submit("stop_task", lambda w: w.stop_task(task_id))

    def request_snapshot(self) -> None:
        self._submit("snapshot", lambda w: self.snapshot_ready.emit(w.snapshot()))

    def request_health(self) -> None:
        self._submit("health", lambda w: self.health_ready.emit(w.health()))

    def request_task_output(self, task_id: str) -> None:
        self._submit(
            "task_output",
            lambda w: self.task_output_ready.emit(task_id, w.task_output(task_id)),
        )

    def clear_history(self) -> None:
        self._submit("clear_history", lambda w: self.history_cleared.emit(w.clear_history()))

    def request_statistics(self, days: int = 28) -> None:
        self._submit("statistics", lambda w: self.statistics_ready.emit(w.statistics(days)))

    def sign_in(self, username: str, password: str, remember: bool) -> None:
        self._submit("sign_in", lambda w: self._do_sign_in(w, username, password, remember))

    def sign_out(self) -> None:
        self._submit("sign_out", self._do_sign_out)

    def recheck_session(self, username: str) -> None:
        """The session timed out: prove the password again (see _do_recheck_session)."""
        self._submit("recheck_session", lambda w: self._do_recheck_session(w, username))

    def apply_settings(self, settings: Settings) -> None:
        self._submit("apply_settings", lambda w: self._do_apply(w, settings))

    def finish_tasks(self) -> None:
        self._submit("finish_tasks", lambda w: w.finish_tasks())

    def shutdown(self, stop_tasks: bool = True) -> None:
        self._submit("shutdown", lambda w: self._do_shutdown(w, stop_tasks), needs_worker=False)

    # -- the bridge thread -----------------------------------------------------------------
    def _submit(self, name: str, job: Callable[[Any], None], needs_worker: bool = True) -> None:
        self._invoke.emit((name, job, needs_worker))

    def _core(self) -> Any:
        """The worker, for use on the bridge thread only."""
        current = QThread.currentThread()
        app = QCoreApplication.instance()
        if current != self._thread or (app is not None and current == app.thread()):
            self.violations += 1
            raise CoreThreadViolation(
                f"core called from thread {current.objectName() or current!r}, "
                "not the bridge thread: route it through Bridge"
            )
        return self._worker

    @Slot(object)
    def _execute(self, item: tuple[str, Callable[[Any], None], bool]) -> None:
        name, job, needs_worker = item
        worker = self._core()
        if worker is None and needs_worker:
            self.command_failed.emit(name, "the worker is not running")
            return
        try:
            job(worker)
        except Exception as exc:  # a command's failure is the user's news, not a crash
            log.warning("%s failed: %s", name, exc)
            self.command_failed.emit(name, str(exc) or type(exc).__name__)

    @Slot()
    def _boot(self) -> None:
        try:
            self._worker = self._factory(self._settings, self._credentials)
            worker = self._core()
            self._unsubscribe = worker.subscribe(self._relay)
            worker.start()
            snapshot = worker.snapshot()
        except Exception as exc:
            log.exception("the worker could not start")
            self.start_failed.emit(str(exc) or type(exc).__name__)
            return
        self.started.emit(snapshot)
        self._probe_keyring()
        # Worker.start() already signed in with remembered credentials when it could; a
        # username without signed_in means the pool did not answer and it keeps trying.
        if self._auto_sign_in and not snapshot.signed_in and not snapshot.username:
            self.sign_in_needed.emit(self._settings.username, "")

    def _relay(self, event: Event) -> None:
        """Runs on whichever core thread published; Qt queues the signal to the GUI.
        Task records are immutable values, safe to hand across threads as they are."""
        self.core_event.emit(event.kind, dict(event.data))

    def _probe_keyring(self) -> None:
        try:
            name = self._credentials.backend_name()
        except KeyringUnavailable as exc:
            self.keyring_status.emit(False, exc.reason, str(exc))
        else:
            self.keyring_status.emit(True, name, "")

    def _do_sign_in(self, worker: Any, username: str, password: str, remember: bool) -> None:
        try:
            worker.sign_in(username, password)
        except Exception as exc:
            self.sign_in_failed.emit(str(exc) or type(exc).__name__)
            return
        remembered = False
        try:
            if remember:
                self._credentials.save(username, password)
                remembered = True
            else:
                self._credentials.delete()  # unticked: forget an older remembered sign-in
        except KeyringUnavailable as exc:
            self.keyring_status.emit(False, exc.reason, str(exc))
        self.signed_in.emit(username, remembered)

    def _do_recheck_session(self, worker: Any, username: str) -> None:
        """A remembered password is checked again with the node pool by itself (a fresh
        Login): still right, the session goes on with no prompt. Refused (changed or
        revoked), or nothing remembered: the session ends here, signed out of the pool
        (no new tasks) with the remembered entry kept, and the GUI asks for the password.
        The pool not answering is no verdict: the session goes on and is checked later."""
        from hivemind_desktop.core.pool.session import SignInError

        try:
            saved = self._credentials.load()
        except KeyringUnavailable as exc:
            log.warning("session re-check: keyring unavailable: %s", exc)
            saved = None
        if saved and saved[0] == username:
            try:
                worker.sign_in(*saved)
            except SignInError as exc:
                if exc.unreachable:
                    self.session_retry.emit(str(exc))
                    return
                worker.sign_out(forget=False)
                self.session_ended.emit(username, str(exc))
                return
            log.info("session re-checked with the remembered password")
            self.signed_in.emit(username, True)
            return
        worker.sign_out(forget=False)
        self.session_ended.emit(username, "")

    def _do_sign_out(self, worker: Any) -> None:
        worker.sign_out()  # also forgets the remembered sign-in (the worker holds Credentials)
        self.signed_out.emit()

    def _do_apply(self, worker: Any, new: Settings) -> None:
        # Compare with the system, not the old setting: an installer may have written it.
        if new.start_at_login != autostart.is_enabled():
            autostart.apply(new.start_at_login)  # AutostartError: message names the fix
        worker.apply_settings(new)
        self._settings = new
        try:
            settings_mod.save(new, self._config_file)
        except OSError as exc:  # in force, not kept: said for people, not Python's repr
            self.settings_applied.emit(new)
            where = self._config_file or settings_mod.config_file_path()
            reason = (exc.strerror or str(exc)).lower()
            self.command_failed.emit(
                "save_settings", f"the settings file {where} cannot be written ({reason})"
            )
            return
        self.settings_applied.emit(new)

    def _do_shutdown(self, worker: Any, stop_tasks: bool) -> None:
        try:
            if worker is not None:
                worker.shutdown(stop_tasks=stop_tasks)
        finally:
            if self._unsubscribe is not None:
                self._unsubscribe()
                self._unsubscribe = None
            self._worker = None
            self.stopped.emit()
            self._thread.quit()
