"""The task engine: the one owner of every task's lifecycle.

received -> admitted -> preparing -> running -> uploading -> completed / failed / stopped

ExecuteTask is answered only after the archive is unpacked and checked, so the node pool
hears a refusal (full, paused, hostile archive, impossible request) with its reason and
nothing is recorded or run. Admitted tasks are persisted; a restart finds them again
(`recover`). A task leaves `uploading` only when the node pool acknowledged its result.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from hivemind_desktop.core import events as ev
from hivemind_desktop.core import task_runtime
from hivemind_desktop.core.accountant import ResourceAccountant
from hivemind_desktop.core.archive import (
    ArchiveLimits,
    ArchiveRejected,
    ExecutionSummary,
    Manifest,
    ResultTooLarge,
    build_result_archive,
    entry_command,
    unpack_task_archive,
)
from hivemind_desktop.core.disk_guard import DiskGuard, default_floor, folder_usage
from hivemind_desktop.core.docker_runner import (
    EXIT_CODE,
    ContainerHandle,
    ContainerSpec,
    DockerRunner,
    DockerUnavailable,
    ExitInfo,
    default_task_user,
)
from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say
from hivemind_desktop.core.models import Resources, TaskRecord, TaskState, TaskUsage, Usage
from hivemind_desktop.core.progress import ConsoleProgress, read_progress_file
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.core.store import Store
from hivemind_desktop.core.trust import TrustScore
from hivemind_desktop.core.untrusted import shown
from hivemind_desktop.rpc import MAX_MESSAGE_BYTES

# Texts the volunteer sees (task reasons, refusals, replies to Stop): core/i18n.py.
SHUTTING_DOWN = QT_TRANSLATE_NOOP("Core", "the worker is shutting down")
PAUSED_BY_VOLUNTEER = QT_TRANSLATE_NOOP("Core", "the volunteer paused this worker")
WAITING = QT_TRANSLATE_NOOP("Core", "waiting: %1")
GPU_WAITING = QT_TRANSLATE_NOOP("Core", "GPU tasks are waiting: %1")
ALREADY_RAN = QT_TRANSLATE_NOOP("Core", "a task with this id already ran here")
IMAGE_MISSING = QT_TRANSLATE_NOOP("Core", "task image %1 is not installed on this worker")
COULD_NOT_RUN = QT_TRANSLATE_NOOP("Core", "could not run the container: %1")
STOPPED_BEFORE_START = QT_TRANSLATE_NOOP("Core", "stopped by user before it started")
FILES_NOT_RETURNED = QT_TRANSLATE_NOOP(
    "Core", "its files are not returned: the disk limit was reached"
)
TOO_MANY_PROCESSES = QT_TRANSLATE_NOOP("Core", "too many processes: limit %1")
FROZEN_PAUSED = QT_TRANSLATE_NOOP("Core", "paused by the volunteer")
FROZEN = QT_TRANSLATE_NOOP("Core", "frozen")
FROZEN_TOO_LONG = QT_TRANSLATE_NOOP(
    "Core", "stopped after %1 min frozen (%2): returned so the node pool can run it elsewhere"
)
ALREADY_FINISHED = QT_TRANSLATE_NOOP("Core", "the task has already finished")
BEING_UPLOADED = QT_TRANSLATE_NOOP(
    "Core", "the task has already finished; its result is being uploaded"
)
STOPPING = QT_TRANSLATE_NOOP("Core", "stopping: the partial result will be uploaded")
ALREADY_HERE = QT_TRANSLATE_NOOP("Core", "this task is already here")
BUSY = QT_TRANSLATE_NOOP("Core", "busy: %1 tasks already running (MAX_CONCURRENT_TASKS)")
ARCHIVE_REFUSED = QT_TRANSLATE_NOOP("Core", "task archive refused: %1")
BAD_TASK_ID = QT_TRANSLATE_NOOP("Core", "task id must be 1-128 letters, digits, '.', '_' or '-'")
OVER_BUDGET = QT_TRANSLATE_NOOP(
    "Core", "archive of %1 MiB exceeds this worker's disk budget of %2 MiB per task"
)
IMAGE_NOT_ALLOWED = QT_TRANSLATE_NOOP(
    "Core", "image %1 is not allowed: tasks run in %2 or another %3* image"
)
NOT_FINITE = QT_TRANSLATE_NOOP("Core", "impossible request: %1 is %2, not a finite number")
NEGATIVE_REQUEST = QT_TRANSLATE_NOOP("Core", "impossible request: negative resources")
BELOW_SMALLEST_SHARE = QT_TRANSLATE_NOOP(
    "Core",
    "impossible request: cpu_usage %1 is below the smallest CPU share, 1 (a hundredth of a core)",
)

log = logging.getLogger(__name__)

_TASK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")  # fullmatch: no trailing newline
_TRANSITIONS: dict[TaskState, set[TaskState]] = {
    TaskState.RECEIVED: {TaskState.ADMITTED},
    TaskState.ADMITTED: {TaskState.PREPARING, TaskState.REFUSED},
    TaskState.PREPARING: {TaskState.RUNNING, TaskState.UPLOADING, TaskState.REFUSED},
    TaskState.RUNNING: {TaskState.UPLOADING},
    TaskState.UPLOADING: {TaskState.COMPLETED, TaskState.FAILED, TaskState.STOPPED},
}
_HOLDING_SLOT = frozenset(
    {TaskState.RECEIVED, TaskState.ADMITTED, TaskState.PREPARING, TaskState.RUNNING}
)
_CONSOLE_KEEP = 64 * 1024  # console text kept in memory per task for the UI
_CONSOLE_MAX_FILE = 50 * 1024 * 1024  # console text kept on disk for task_logs.txt


@dataclass(frozen=True)
class Tuning:
    """Limits of the engine's own housekeeping (tests shorten them)."""

    pids_grace_s: float = 30.0  # at its process limit this long = a fork bomb, not busy
    console_history: int = 200  # finished tasks whose console tail stays for the Tasks page
    history_rows: int = 5000  # finished tasks kept in the store
    reconcile_s: float = 60.0  # how often Docker's containers are compared with the tasks
    stray_grace_s: float = 30.0  # a container no task owns for this long is removed


USAGE_INTERVAL_S = 5.0
REFUSAL_MEMORY_S = 60.0  # a task refused after unpacking is refused unopened this long
ALLOWED_IMAGE_PREFIX = "hivemind/task-"
MAX_RESULT_BYTES = MAX_MESSAGE_BYTES - 16 * 1024 * 1024  # room for the rest of the message


class UnknownTask(KeyError):
    def __str__(self) -> str:
        return f"unknown task id '{shown(self.args[0])}'"


class TaskSink(Protocol):
    """Where a task's output, usage and result go (the node-pool client)."""

    def task_output(self, task_id: str, text: str) -> None: ...
    def task_usage(self, task_id: str, usage: Usage) -> None: ...
    def result_ready(self) -> None: ...
    def capacity_changed(self) -> None: ...


@dataclass(frozen=True)
class Admission:
    accepted: bool
    message: str


class _Active:
    """What the engine holds for a task between admission and its result."""

    def __init__(self, record: TaskRecord, workdir: Path, manifest: Manifest | None) -> None:
        self.record = record
        self.workdir = workdir
        self.manifest = manifest
        self.handle: ContainerHandle | None = None
        self.stop_requested = threading.Event()
        self.console_tail = ""
        self.pids_at_limit_since: float | None = None
        self.frozen_since: float | None = None  # monotonic time it was frozen
        self.stop_reason = ""  # stopped by the worker itself (held frozen too long)
        self.progress = ConsoleProgress()
        self.logs_only_reason = ""  # set when the task's files must not be returned


class TaskEngine:
    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        accountant: ResourceAccountant,
        runner: DockerRunner,
        trust: TrustScore,
        events: ev.EventBus,
        account: Callable[[], str],
        install_id: str,
        sink: TaskSink,
        tuning: Tuning = Tuning(),
    ) -> None:
        self.settings = settings
        self._store = store
        self._accountant = accountant
        self._runner = runner
        self._trust = trust
        self._events = events
        self._account = account  # the account's node id, named in execution logs
        self._install_id = install_id  # labels containers so a restart finds its own
        self._sink = sink
        self._tuning = tuning
        self._strays: dict[str, float] = {}  # container id -> first seen without a task
        self._lock = threading.RLock()
        self._active: dict[str, _Active] = {}
        self._paused = False
        self._waiting = ""  # why the contribution policy holds tasks back, or ""
        self._gpu_waiting = ""  # the same for GPU tasks only
        self._closing = False
        self._draining = False  # finishing the tasks in hand before a quit: take no more
        # task id -> (until, reason) for tasks refused after unpacking (a bad archive, an
        # image not installed): a pool that sends one again at once gets the same answer
        # without another unpack, and the volunteer's list does not flicker to Preparing.
        self._refused_recently: dict[str, tuple[float, str]] = {}
        self._root = settings.data_path / "tasks"
        self._results = settings.data_path / "results"
        for folder in (self._root, self._results):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._disk = DiskGuard(self._root, settings.data_path, self._free_disk_floor)

    # -- queries --------------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        return self._paused

    def running_count(self) -> int:
        """Tasks holding a slot: admitted up to the end of their container."""
        with self._lock:
            return sum(1 for a in self._active.values() if a.record.state in _HOLDING_SLOT)

    def can_admit_more(self) -> bool:
        smallest = Resources(cpu_score=1, memory_gb=1)
        return (
            not self._paused
            and not self._waiting
            and not self._closing
            and not self._draining
            and self.running_count() < self.settings.max_concurrent_tasks
            and smallest.fits_in(self._accountant.available())
            and not self._disk.floor_problem()
        )

    def disk_problem(self) -> str:
        """Why tasks cannot run for lack of free disk space, or ""."""
        return self._disk.floor_problem()

    def disk_summary(self) -> str:
        """What is enforced on the disk, for the Monitor page and `status`."""
        return self._disk.summary(self.settings.task_disk_budget_mb)

    def _free_disk_floor(self, disk_bytes: int) -> int:
        chosen = self.settings.min_free_disk_gb
        if chosen is None:
            return default_floor(disk_bytes)
        return int(chosen * 1024**3)

    def active_tasks(self) -> list[TaskRecord]:
        """The tasks in flight only: no store read, cheap enough for every sample."""
        with self._lock:
            return [a.record for a in self._active.values()]

    def tasks(self) -> list[TaskRecord]:
        """History from the store with the active ones on top (records are values)."""
        with self._lock:
            live = {tid: a.record for tid, a in self._active.items()}
        history = [t for t in self._store.load_tasks() if t.task_id not in live]
        return sorted([*live.values(), *history], key=lambda t: t.received_at, reverse=True)

    def task_output(self, task_id: str) -> str:
        with self._lock:
            active = self._active.get(task_id)
            if active is not None:
                return active.console_tail
        console = self._root / task_id / "console.log"
        if console.exists():
            return _read_tail(console, _CONSOLE_KEEP)
        if not self._store.task_exists(task_id):
            raise UnknownTask(task_id)
        return ""

    # -- admission ------------------------------------------------------------------------
    def submit(
        self,
        task_id: str,
        task_zip: bytes | memoryview,  # a view of the received request: not copied
        *,
        cpu_score: float,
        gpu_score: float,
        memory_gb: int,
        gpu_memory_gb: int,
    ) -> Admission:
        """Admit and start a task, or refuse it with the reason (nothing kept then)."""
        refusal = self._precheck(
            task_id, len(task_zip), cpu_score, gpu_score, memory_gb, gpu_memory_gb
        )
        if refusal:
            duplicate = refusal == ALREADY_RAN
            return self._refuse(task_id, refusal, show=not duplicate)
        request = Resources(
            cpu_score=int(round(cpu_score)) if cpu_score > 0 else 100,
            memory_gb=memory_gb if memory_gb > 0 else 1,
            gpus=1 if gpu_score > 0 else 0,
            gpu_memory_gb=gpu_memory_gb,
        )
        if not self._accountant.fits_ever(request):
            return self._refuse(task_id, self._accountant.explain_refusal(request), request)

        record = TaskRecord(task_id, TaskState.RECEIVED, request, received_at=time.time())
        with self._lock:
            if task_id in self._active:
                return self._refuse(task_id, ALREADY_HERE, show=False)
            if self.running_count() >= self.settings.max_concurrent_tasks:
                return self._refuse(
                    task_id,
                    say(BUSY, self.settings.max_concurrent_tasks),
                    request,
                )
            if not self._accountant.allocate(task_id, request):
                return self._refuse(task_id, self._accountant.explain_refusal(request), request)
            active = _Active(record, self._root / task_id, None)
            self._active[task_id] = active
        self._set_state(active, TaskState.ADMITTED)
        self._notify_capacity()

        self._set_state(active, TaskState.PREPARING)
        try:
            active.manifest = self._unpack(task_zip, active.workdir)
            command = entry_command(active.workdir / "workspace", active.manifest)
        except (ArchiveRejected, OSError) as exc:
            return self._refuse_active(active, say(ARCHIVE_REFUSED, exc))
        # The runtime first: "gVisor is missing" is the fix a volunteer needs, not the image.
        image_problem = self._runtime_problem(active.manifest) or self._image_problem(
            active.manifest
        )
        if image_problem:
            return self._refuse_active(active, image_problem)
        self._update(active, command=tuple(command))
        runner = threading.Thread(target=self._run, args=(active,), name=f"task-{task_id}")
        runner.daemon = True
        runner.start()
        log.info("task %s admitted (%s)", task_id, _describe(request))
        return Admission(True, "accepted: the task runs in a locked-down container")

    def _precheck(
        self,
        task_id: str,
        size: int,
        cpu_score: float,
        gpu_score: float,
        memory_gb: int,
        gpu_memory_gb: int,
    ) -> str:
        if not _TASK_ID.fullmatch(task_id or ""):
            return BAD_TASK_ID
        with self._lock:
            until, reason = self._refused_recently.get(task_id, (0.0, ""))
        if until > time.monotonic():
            return reason
        problem = _request_problem(cpu_score, gpu_score, memory_gb, gpu_memory_gb)
        if problem:
            return problem
        if self._closing or self._draining:
            return SHUTTING_DOWN
        if self._paused:
            return PAUSED_BY_VOLUNTEER
        if self._waiting:
            return say(WAITING, self._waiting)
        if gpu_score > 0 and self._gpu_waiting:
            return say(GPU_WAITING, self._gpu_waiting)
        if not self._runner.enabled:  # DOCKER_ENABLED off: refuse before unpacking anything
            return self._runner.status().reason
        if self._store.task_exists(task_id):
            return ALREADY_RAN
        disk = self._disk.floor_problem()
        if disk:
            return disk
        budget = self.settings.task_disk_budget_mb * 1024 * 1024
        if size > budget:
            return say(OVER_BUDGET, f"{size / 2**20:.0f}", self.settings.task_disk_budget_mb)
        return ""  # Docker itself is checked with the image, after the unpack

    def _image_problem(self, manifest: Manifest) -> str:
        """Tasks may pick among HiveMind's task images only, and only installed ones:
        a worker never pulls at run time nor runs an arbitrary local image."""
        image = manifest.image or self.settings.task_image
        if image != self.settings.task_image and not image.startswith(ALLOWED_IMAGE_PREFIX):
            return say(IMAGE_NOT_ALLOWED, image, self.settings.task_image, ALLOWED_IMAGE_PREFIX)
        try:
            installed = self._runner.has_image(image)
        except DockerUnavailable as exc:
            return str(exc)
        return "" if installed else say(IMAGE_MISSING, image)

    def _runtime_problem(self, manifest: Manifest) -> str:
        """Why no runtime may isolate this task (gVisor required but missing), or ""."""
        try:
            return self._runner.runtime_choice(network=self._network(manifest) != "none").problem
        except DockerUnavailable as exc:
            return str(exc)

    def _network(self, manifest: Manifest | None) -> str:
        """The task's network: the volunteer's DOCKER_NETWORK if its manifest asks, else none."""
        if manifest and manifest.network and self.settings.docker_network != "none":
            return self.settings.docker_network
        return "none"

    def _refuse(
        self,
        task_id: str,
        reason: str,
        request: Resources | None = None,
        *,
        show: bool = True,
    ) -> Admission:
        """Refuse a task with its reason. A well-formed task id that is not already
        here also shows as a REFUSED record (never stored, never holding a slot), so the
        volunteer sees what was turned away and why; a duplicate must not overwrite the
        record of the task that is here."""
        log.warning("task %s refused: %s", shown(task_id) if task_id else "(no id)", reason)
        if show and _TASK_ID.fullmatch(task_id or ""):
            now = time.time()
            record = TaskRecord(
                task_id,
                TaskState.REFUSED,
                request or Resources(),
                received_at=now,
                finished_at=now,
                message=reason,
            )
            self._publish_refused(record)
        return Admission(False, reason)

    def _refuse_active(self, active: _Active, reason: str) -> Admission:
        """Refuse a task admitted already (unpacked, image checked): its slot and files go
        and its record ends as REFUSED instead of staying in Preparing."""
        self._forget(active)
        task_id = active.record.task_id
        now = time.monotonic()
        with self._lock:
            for old, (until, _) in list(self._refused_recently.items()):
                if until <= now:
                    del self._refused_recently[old]
            self._refused_recently[task_id] = (now + REFUSAL_MEMORY_S, reason)
        log.warning("task %s refused: %s", shown(task_id), reason)
        with self._lock:
            record = transition(
                active.record, TaskState.REFUSED, message=reason, finished_at=time.time()
            )
            active.record = record
        self._publish_refused(record)
        return Admission(False, reason)

    def _publish_refused(self, record: TaskRecord) -> None:
        self._events.publish(ev.TASK_CHANGED, task=record)
        self._events.publish(
            ev.NOTICE, title="task_refused", text=f"{record.task_id}: {record.message}"
        )

    def _unpack(self, task_zip: bytes | memoryview, workdir: Path) -> Manifest:
        workspace = workdir / "workspace"
        workspace.mkdir(parents=True, exist_ok=False)
        limits = ArchiveLimits(max_total_bytes=self.settings.task_disk_budget_mb * 1024 * 1024)
        return unpack_task_archive(task_zip, workspace, limits)

    # -- running --------------------------------------------------------------------------
    def _run(self, active: _Active) -> None:
        """A task's thread: start its container (or, after a restart, keep the one it was
        re-attached to), supervise it to its end, then conclude it."""
        info: ExitInfo | None = None
        reason = ""
        try:
            if active.handle is None:
                reason = self._start_container(active)
            if active.handle is not None:
                info = self._supervise(active)
        except DockerUnavailable as exc:
            reason = str(exc)
        except Exception as exc:  # keep the engine alive; the pool still gets a result
            log.exception("task %s failed to run", active.record.task_id)
            reason = say(COULD_NOT_RUN, exc)
        finally:
            self._accountant.release(active.record.task_id)
        self._finish(active, info, reason)
        if active.handle is not None:  # after the result is queued: off its critical path
            _quietly(active.handle.remove)

    def _start_container(self, active: _Active) -> str:
        """Start the task's container; returns why it was not started, or ""."""
        if active.stop_requested.is_set():
            return STOPPED_BEFORE_START
        spec = self._container_spec(active)
        self._update(active, time_limit_s=spec.time_limit_s, pids_limit=spec.pids_limit)
        handle = active.handle = self._runner.start(spec)
        with self._lock:
            paused = self._should_freeze(active.record)
            if paused:
                handle.pause()
                active.frozen_since = time.monotonic()
            now = time.time()
            self._set_state(
                active,
                TaskState.RUNNING,
                container_id=handle.id,
                started_at=now,
                paused=paused,
                runtime=handle.runtime,  # as the engine reports it
                paused_at=now if paused else None,
            )
        if active.stop_requested.is_set():  # a stop raced the start
            handle.stop()
        return ""

    def _container_spec(self, active: _Active) -> ContainerSpec:
        manifest = active.manifest
        limit = self.settings.task_time_limit_s
        if manifest and manifest.time_limit_s:
            limit = min(limit, manifest.time_limit_s)
        network = self._network(manifest)
        choice = self._runner.runtime_choice(network=network != "none")
        if choice.problem:  # e.g. gVisor was removed since the task was admitted
            raise DockerUnavailable(choice.problem)
        record = active.record
        return ContainerSpec(
            task_id=record.task_id,
            install_id=self._install_id,
            image=(manifest.image if manifest and manifest.image else self.settings.task_image),
            command=list(record.command),
            workspace=active.workdir / "workspace",
            env=dict(manifest.env) if manifest else {},
            cpu_score=self._capped(record.request.cpu_score),
            memory_gb=record.request.memory_gb,
            gpus=record.request.gpus,
            network=network,
            time_limit_s=limit,
            pids_limit=self.settings.pids_limit,
            low_priority=self.settings.low_priority,
            user=default_task_user(),
            runtime=choice.runtime,
        )

    def _supervise(self, active: _Active) -> ExitInfo:
        """Pump output and usage and guard the disk while the container runs; return how
        it ended."""
        assert active.handle is not None
        handle = active.handle
        task_id = active.record.task_id
        pump = threading.Thread(target=self._pump_output, args=(active,), daemon=True)
        pump.start()
        done = threading.Event()
        usage = threading.Thread(target=self._pump_usage, args=(active, done), daemon=True)
        usage.start()
        budget = self.settings.task_disk_budget_mb * 1024 * 1024
        self._disk.watch(task_id, active.workdir, budget, lambda why: self._disk_full(active, why))
        try:
            info = handle.wait()  # the handle enforces the time limit itself
        finally:
            self._disk.unwatch(task_id)
            done.set()
        pump.join(timeout=10)
        return info

    def _disk_full(self, active: _Active, reason: str) -> None:
        """Called by the disk guard (its thread): end the task at once, off that thread so
        the guard keeps watching the others; its files are not returned (too many)."""
        active.logs_only_reason = FILES_NOT_RETURNED
        assert active.handle is not None
        threading.Thread(
            target=active.handle.end_for_limit, args=(reason,), name="disk-limit", daemon=True
        ).start()

    def _pump_output(self, active: _Active) -> None:
        assert active.handle is not None
        console = active.workdir / "console.log"
        # After a restart the container's log is replayed from its start: skip what the
        # console file already holds so nothing is written or uploaded twice.
        skip = console.stat().st_size if console.exists() else 0
        written = skip
        with console.open("a", encoding="utf-8") as out:
            for chunk in active.handle.output():
                if skip:
                    raw = chunk.encode("utf-8")
                    if skip >= len(raw):
                        skip -= len(raw)
                        continue
                    chunk, skip = raw[skip:].decode("utf-8", errors="replace"), 0
                if written < _CONSOLE_MAX_FILE:
                    out.write(chunk)
                    out.flush()
                    written += len(chunk)
                active.console_tail = (active.console_tail + chunk)[-_CONSOLE_KEEP:]
                self._progress(active, active.progress.feed(chunk))
                self._events.publish(ev.TASK_OUTPUT, task_id=active.record.task_id, text=chunk)
                self._sink.task_output(active.record.task_id, chunk)

    def _pump_usage(self, active: _Active, done: threading.Event) -> None:
        assert active.handle is not None
        while not done.wait(USAGE_INTERVAL_S):
            usage = active.handle.usage()
            if usage is None:
                continue
            self._check_processes(active, usage)
            sample = TaskUsage(
                cpu_percent=round(usage.cpu_percent, 1),
                memory_percent=round(usage.memory_percent, 1),
                memory_mb=round(usage.memory_bytes / 2**20, 1),
            )
            self._update(active, persist=False, usage=sample)
            self._sink.task_usage(active.record.task_id, usage)
            self._progress(active, read_progress_file(active.workdir / "workspace"))

    def _progress(self, active: _Active, value: float | None) -> None:
        """A new progress value from the task (console or file); shown, not sent."""
        if value is not None and value != active.record.progress:
            self._update(active, persist=False, progress=value)

    def _check_processes(self, active: _Active, usage: Usage) -> None:
        """A task pinned at its process limit for the grace period is a fork bomb (or a
        runaway pool of workers): it only burns a core until the time limit, so end it
        the way the kernel ends a task out of memory."""
        limit = active.record.pids_limit or self.settings.pids_limit
        # Under gVisor the sample counts the sandbox's threads: compare with its cgroup's.
        held_at = (active.handle.pids_cgroup_limit if active.handle else None) or limit
        if usage.pids < held_at - 1 or active.record.paused:  # -1: the init process
            active.pids_at_limit_since = None
            return
        now = time.monotonic()
        if active.pids_at_limit_since is None:
            active.pids_at_limit_since = now
        elif now - active.pids_at_limit_since >= self._tuning.pids_grace_s:
            assert active.handle is not None
            log.warning("task %s: at its process limit (%d)", active.record.task_id, limit)
            active.handle.end_for_limit(say(TOO_MANY_PROCESSES, limit))

    # -- concluding -----------------------------------------------------------------------
    def _finish(self, active: _Active, info: ExitInfo | None, reason: str) -> None:
        """The task's container is gone: decide its outcome, write its result, score the
        node, queue the result for the pool, and tell everyone, in that order."""
        outcome, status = _outcome(active, info)
        self._conclude(active, info, reason, outcome)
        self._write_result(active, status)
        self._score(outcome)
        self._store.count_outcome(outcome.value, active.record.finished_at or time.time())
        with self._lock:  # an acknowledgement may not overtake the state change
            self._store.add_outbox(active.record.task_id, self._result_path(active))
            self._set_state(active, TaskState.UPLOADING)
        self._announce(active.record, status)

    def _conclude(
        self, active: _Active, info: ExitInfo | None, reason: str, outcome: TaskState
    ) -> None:
        """Exit code, the reason in one line, and the end time into the record."""
        exit_code = info.exit_code if info is not None else active.record.exit_code
        if info is not None:
            reason = reason or info.error
        self._update(
            active,
            persist=False,
            exit_code=exit_code,
            message=reason or (say(EXIT_CODE, 0) if outcome == TaskState.COMPLETED else ""),
            # After a restart the container may have ended long ago: its own time counts.
            finished_at=(info.finished_at if info else None) or time.time(),
            paused=False,
            outcome=outcome,
        )

    def _write_result(self, active: _Active, status: str) -> None:
        """The result zip: the workspace within the budget, else the logs and why."""
        zip_path = self._result_path(active)
        console = active.workdir / "console.log"
        console_text = _read_tail(console, _CONSOLE_MAX_FILE) if console.exists() else ""
        problem = active.logs_only_reason or self._build_result(
            active, zip_path, self._summary(active, status), console_text
        )
        if not problem:
            return
        written = None
        if active.logs_only_reason:  # how far past the budget it got, for the record
            written = round(folder_usage(active.workdir / "workspace") / 2**20, 1)
            problem = f"{problem} ({written:.0f} MiB written)"
        shutil.rmtree(active.workdir / "workspace", ignore_errors=True)
        message = f"{active.record.message}; {problem}".strip("; ")
        self._update(active, persist=False, message=message, disk_written_mb=written)
        try:
            build_result_archive(
                _empty_dir(active.workdir), zip_path, self._summary(active, status), console_text
            )
        except Exception:  # e.g. the disk is full: still leave RUNNING, keep going
            log.exception("task %s: not even the logs could be archived", active.record.task_id)

    def _summary(self, active: _Active, status: str) -> ExecutionSummary:
        record = active.record
        return ExecutionSummary(
            task_id=record.task_id,
            status=status,
            exit_code=record.exit_code,
            node_id=self._account(),
            started_at=_utc(record.started_at or record.received_at),
            finished_at=_utc(record.finished_at or time.time()),
            reason=record.message,
            isolation=task_runtime.describe(record.runtime) if record.runtime else "",
        )

    def _build_result(
        self, active: _Active, zip_path: Path, summary: ExecutionSummary, console_text: str
    ) -> str:
        """The workspace as the result zip; returns what went wrong, if anything."""
        workspace = active.workdir / "workspace"
        budget = self.settings.task_disk_budget_mb * 1024 * 1024
        limit = min(budget, MAX_RESULT_BYTES)
        try:
            workspace.mkdir(parents=True, exist_ok=True)
            # Consumed file by file: the disk never holds the workspace and its zip at once.
            build_result_archive(
                workspace, zip_path, summary, console_text, max_bytes=limit, consume=True
            )
        except ResultTooLarge:
            which = "the disk budget" if limit == budget else "what the node pool accepts"
            return f"the result exceeds {which} ({limit // 2**20} MiB): only the logs are returned"
        except Exception as exc:
            log.exception("task %s: result archive failed", active.record.task_id)
            return f"result archive failed: {exc}"
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
        return ""

    def _score(self, outcome: TaskState) -> None:
        if outcome == TaskState.COMPLETED:
            self._trust.task_completed()
        elif outcome == TaskState.FAILED:
            self._trust.task_failed()

    def _announce(self, record: TaskRecord, status: str) -> None:
        log.info("task %s ended: %s %s", record.task_id, status, record.message)
        if record.outcome == TaskState.FAILED:
            self._events.publish(
                ev.NOTICE, title="task_failed", text=f"{record.task_id}: {record.message}"
            )
        self._notify_capacity()
        self._sink.result_ready()

    def _result_path(self, active: _Active) -> Path:
        return self._results / f"{active.record.task_id}.zip"

    def result_acknowledged(self, task_id: str) -> None:
        """The node pool has the result: the task reaches its final state."""
        self._store.remove_outbox(task_id)
        (self._results / f"{task_id}.zip").unlink(missing_ok=True)
        with self._lock:
            active = self._active.get(task_id)
        if active is None:  # acknowledged after a restart: finish the stored record
            for record in self._store.load_tasks():
                if record.task_id == task_id and record.state == TaskState.UPLOADING:
                    final = transition(record, record.outcome or TaskState.FAILED)
                    self._persist(final)
                    self._events.publish(ev.TASK_CHANGED, task=final)
        else:
            self._forget(active, keep_console=True)
            self._set_state(active, active.record.outcome or TaskState.FAILED)
        self._trim_history(task_id)

    def _trim_history(self, task_id: str) -> None:
        """Once a result is delivered, keep of the task only what the Tasks page shows
        (the console's tail), and only for the newest few hundred tasks: nothing under
        the data folder grows with the number of tasks run."""
        console = self._root / task_id / "console.log"
        try:
            if console.stat().st_size > _CONSOLE_KEEP:
                tail = _read_tail(console, _CONSOLE_KEEP)
                partial = console.with_suffix(".tail")
                partial.write_text(tail, encoding="utf-8")
                os.replace(partial, console)
        except OSError:
            pass
        with self._lock:
            busy = set(self._active)
        kept = [d for d in self._root.iterdir() if d.name not in busy and d.is_dir()]
        if len(kept) > self._tuning.console_history:
            kept.sort(key=_mtime, reverse=True)
            for old in kept[self._tuning.console_history :]:
                shutil.rmtree(old, ignore_errors=True)
        self._store.prune_tasks(self._tuning.history_rows)

    def clear_history(self) -> list[str]:
        """Forget finished tasks whose result the pool has (rows and console tails);
        tasks still running or uploading stay. Statistics keep their own daily counts."""
        with self._lock:
            busy = set(self._active)
        gone = [t for t in self._store.clear_history() if t not in busy]
        for task_id in gone:
            shutil.rmtree(self._root / task_id, ignore_errors=True)
        log.info("task history cleared: %d task(s)", len(gone))
        return gone

    # -- commands -------------------------------------------------------------------------
    def stop_task(self, task_id: str) -> str:
        """Stop a task; returns what happened. Raises UnknownTask."""
        with self._lock:
            active = self._active.get(task_id)
        if active is None:
            if self._store.task_exists(task_id):
                return ALREADY_FINISHED
            raise UnknownTask(task_id)
        if active.record.state == TaskState.UPLOADING:
            return BEING_UPLOADED
        active.stop_requested.set()
        handle = active.handle
        if handle is not None:
            if active.record.paused:
                _quietly(handle.resume)
            handle.stop()
        log.info("task %s: stop requested", task_id)
        return STOPPING

    def pause(self) -> None:
        """Take no new tasks and freeze running containers (the machine is free at once)."""
        with self._lock:
            self._paused = True
        self._apply_freezing()
        self._notify_capacity()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
        self._apply_freezing()
        self._notify_capacity()

    def set_waiting(self, reason: str, gpu_reason: str = "") -> None:
        """The contribution policy's word. While `reason` is set no task is taken and
        running ones freeze; `gpu_reason` does the same for tasks that use a GPU only."""
        with self._lock:
            if (reason, gpu_reason) == (self._waiting, self._gpu_waiting):
                return
            self._waiting, self._gpu_waiting = reason, gpu_reason
        self._apply_freezing()
        self._notify_capacity()

    @property
    def waiting(self) -> str:
        return self._waiting

    def release_long_frozen(self) -> list[str]:
        """Stop tasks frozen longer than max_frozen_minutes, with a result that says why,
        so the node pool can run them elsewhere rather than wait on this computer."""
        limit = self.settings.max_frozen_minutes * 60
        now = time.monotonic()
        with self._lock:
            due = [
                a
                for a in self._active.values()
                if a.frozen_since is not None and now - a.frozen_since >= limit and a.handle
            ]
        for active in due:
            why = self._waiting or (FROZEN_PAUSED if self._paused else FROZEN)
            reason = say(FROZEN_TOO_LONG, f"{self.settings.max_frozen_minutes:g}", why)
            log.info("task %s: %s", active.record.task_id, reason)
            active.stop_reason = reason
            active.frozen_since = None
            assert active.handle is not None
            active.handle.end_for_limit(reason)
        return [a.record.task_id for a in due]

    def _should_freeze(self, record: TaskRecord) -> bool:
        return bool(self._paused or self._waiting or (record.request.gpus and self._gpu_waiting))

    def _apply_freezing(self) -> None:
        """Freeze or thaw each running container to match pause and the policy."""
        with self._lock:
            actives = list(self._active.values())
        for active in actives:
            record = active.record
            if active.handle is None or record.state != TaskState.RUNNING:
                continue
            want = self._should_freeze(record)
            if want == record.paused:
                continue
            try:
                now = time.time()
                if want:
                    active.handle.pause()
                    active.frozen_since = time.monotonic()
                    self._update(active, persist=False, paused=True, paused_at=now)
                else:
                    active.handle.resume()
                    active.frozen_since = None
                    self._update(active, persist=False, **_thawed(record, now))
            except Exception as exc:
                what = "frozen" if want else "thawed"
                log.warning("task %s could not be %s: %s", record.task_id, what, exc)

    def _capped(self, cpu_score: int) -> int:
        """A task's CPU share under the volunteer's "use at most X % of CPU time"."""
        return max(1, cpu_score * self.settings.cpu_cap_percent // 100)

    def apply_settings(self, settings: Settings) -> None:
        old, self.settings = self.settings, settings
        if settings.cpu_cap_percent != old.cpu_cap_percent:  # live, not only for new tasks
            with self._lock:
                running = [(a.handle, a.record) for a in self._active.values() if a.handle]
            for handle, record in running:
                try:
                    handle.set_cpu(self._capped(record.request.cpu_score))
                except Exception as exc:
                    log.warning("task %s: CPU cap not applied: %s", record.task_id, exc)
        self._notify_capacity()

    def shutdown(self, stop_tasks: bool = True, timeout: float = 30.0) -> None:
        """Stop taking tasks; with stop_tasks, stop running ones so their partial results
        are uploaded, and wait until their containers are gone."""
        self._closing = True
        if stop_tasks:
            self.stop_all(timeout)

    def drain(self) -> None:
        """Take no new task and let the running ones finish (the volunteer chose "finish
        running tasks, then quit"); the pool sees a busy node and sends nothing more."""
        with self._lock:
            self._draining = True
        self._notify_capacity()

    def stop_all(self, timeout: float = 30.0) -> int:
        """Stop every task holding a slot and wait until their containers are gone (their
        partial results go to the outbox); returns how many were asked to stop."""
        with self._lock:
            ids = [tid for tid, a in self._active.items() if a.record.state in _HOLDING_SLOT]
        for task_id in ids:
            _quietly(lambda t=task_id: self.stop_task(t))
        deadline = time.time() + timeout
        while self.running_count() and time.time() < deadline:
            time.sleep(0.1)
        return len(ids)

    # -- restart --------------------------------------------------------------------------
    def recover(self) -> None:
        """After a restart: re-attach to containers still running, report the ones that
        ended meanwhile, fail what never started, and remove stray containers."""
        containers = {c.task_id: c for c in self._safe_labelled()}
        for record in self._store.load_tasks():
            if record.state.is_final or record.state == TaskState.UPLOADING:
                continue
            active = _Active(record, self._root / record.task_id, None)
            with self._lock:
                self._active[record.task_id] = active
            container = containers.pop(record.task_id, None)
            if container is None or record.state != TaskState.RUNNING:
                if container is not None:
                    _quietly(lambda c=container: self._runner.remove(c.container_id))
                self._accountant.release(record.task_id)
                self._finish(active, None, "interrupted: the worker restarted before it ran")
                continue
            try:
                active.handle = self._runner.attach(container.container_id)
            except Exception as exc:  # gone meanwhile, or Docker dropped: report it
                self._accountant.release(record.task_id)
                self._finish(active, None, f"lost the container after a restart: {exc}")
                continue
            if not self._accountant.allocate(record.task_id, record.request):
                log.warning("task %s: re-attached beyond the current shares", record.task_id)
            if container.running:  # it may be frozen by a pause before the restart
                _quietly(active.handle.resume)
            log.info("task %s: re-attached to its container after a restart", record.task_id)
            threading.Thread(target=self._run, args=(active,), daemon=True).start()
        for stray in containers.values():
            log.warning("removing stray container %s (task %s)", stray.container_id, stray.task_id)
            _quietly(lambda s=stray: self._runner.remove(s.container_id))
        self._sink.result_ready()

    def reconcile_forever(self, stop: threading.Event) -> None:
        """Reconcile on a timer, not only at start-up: a container left by a crash of
        Docker's own, a failed removal, or another copy of this install is found."""
        while not stop.wait(self._tuning.reconcile_s):
            self.reconcile()

    def reconcile(self) -> list[str]:
        """Compare what Docker runs for this install (by label) with the tasks held here,
        and remove containers no task owns once they have been strays for a grace period
        (as Nomad's docker driver does: one being started or removed right now is not a
        stray). Returns the ids removed."""
        now = time.monotonic()
        with self._lock:
            owned = {a.handle.id for a in self._active.values() if a.handle is not None}
            starting = {tid for tid, a in self._active.items() if a.handle is None}
        strays: dict[str, float] = {}
        removed = []
        for container in self._safe_labelled():
            if container.container_id in owned or container.task_id in starting:
                continue
            first_seen = self._strays.get(container.container_id, now)
            if now - first_seen < self._tuning.stray_grace_s:
                strays[container.container_id] = first_seen
                continue
            try:
                self._runner.remove(container.container_id)
            except Exception as exc:
                log.warning("could not remove stray container %s: %s", container.container_id, exc)
                strays[container.container_id] = first_seen
                continue
            log.warning(
                "removed stray container %s (task %s): no task of this worker owns it",
                container.container_id[:12],
                shown(container.task_id),
            )
            removed.append(container.container_id)
        self._strays = strays
        return removed

    def _safe_labelled(self) -> list:
        try:
            return self._runner.labelled_containers()
        except Exception as exc:
            log.warning("could not list containers to reconcile: %s", exc)
            return []

    # -- internals ------------------------------------------------------------------------
    def _set_state(self, active: _Active, state: TaskState, **changes: Any) -> None:
        """Move a task along the state machine (and change other fields with it)."""
        with self._lock:
            active.record = transition(active.record, state, **changes)
            record = active.record
        if state not in (TaskState.ADMITTED, TaskState.PREPARING):  # kept once unpacked
            self._persist(record)
        self._events.publish(ev.TASK_CHANGED, task=record)

    def _update(self, active: _Active, *, persist: bool = True, **changes: Any) -> None:
        """Change a task's fields other than its state: a new record replaces the old."""
        if "state" in changes:
            raise ValueError("a task's state changes through _set_state only")
        with self._lock:
            active.record = dataclasses.replace(active.record, **changes)
            record = active.record
        if persist:
            self._persist(record)
        self._events.publish(ev.TASK_CHANGED, task=record)

    def _persist(self, record: TaskRecord) -> None:
        self._store.save_task(record)

    def _forget(self, active: _Active, keep_console: bool = False) -> None:
        with self._lock:
            self._active.pop(active.record.task_id, None)
        self._accountant.release(active.record.task_id)
        if keep_console:
            shutil.rmtree(active.workdir / "workspace", ignore_errors=True)
        else:
            shutil.rmtree(active.workdir, ignore_errors=True)
        self._notify_capacity()

    def _notify_capacity(self) -> None:
        self._sink.capacity_changed()


def transition(record: TaskRecord, state: TaskState, **changes: Any) -> TaskRecord:
    """The record in `state`, if the state machine allows that move; else RuntimeError."""
    if state not in _TRANSITIONS.get(record.state, set()):
        raise RuntimeError(f"task {record.task_id}: {record.state} -> {state} not allowed")
    return dataclasses.replace(record, state=state, **changes)


def _outcome(active: _Active, info: ExitInfo | None) -> tuple[TaskState, str]:
    """The final state a task reaches once the pool has its result, and its status word."""
    if active.stop_reason:
        return TaskState.STOPPED, "Stopped by the worker"
    if active.stop_requested.is_set() or (info is not None and info.stopped):
        return TaskState.STOPPED, "Stopped by user"
    if info is not None and info.exit_code == 0 and not info.error:
        return TaskState.COMPLETED, "Success"
    return TaskState.FAILED, "Failed"


def _request_problem(cpu_score: float, gpu_score: float, memory_gb: int, gpu_memory_gb: int) -> str:
    """What is impossible in a request's numbers (the pool's own units), or "".
    Refused up front: a NaN or 0.4 would otherwise fail only when the container starts."""
    for name, value in (("cpu_usage", cpu_score), ("gpu_usage", gpu_score)):
        if not math.isfinite(value):
            return say(NOT_FINITE, name, value)
    if min(cpu_score, gpu_score, memory_gb, gpu_memory_gb) < 0:
        return NEGATIVE_REQUEST
    if 0 < cpu_score < 1:
        return say(BELOW_SMALLEST_SHARE, f"{cpu_score:g}")
    return ""


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def _read_tail(path: Path, limit: int) -> str:
    with path.open("rb") as f:
        size = f.seek(0, os.SEEK_END)
        f.seek(max(0, size - limit))
        return f.read().decode("utf-8", errors="replace")


def _empty_dir(workdir: Path) -> Path:
    empty = workdir / "empty"
    empty.mkdir(parents=True, exist_ok=True)
    return empty


def _describe(request: Resources) -> str:
    text = f"{request.cpu_score / 100:g} CPU, {request.memory_gb} GiB"
    if request.gpus:
        text += f", {request.gpus} GPU"
    return text


def _quietly(fn) -> None:
    """Clean-up that must not stop the caller; what fails is still logged (a container
    left behind is found again by the reconcile timer)."""
    try:
        fn()
    except Exception as exc:
        log.warning("clean-up step failed: %s", exc)


def _thawed(record: TaskRecord, now: float) -> dict[str, Any]:
    """The fields of a record whose freeze ends now: its frozen time is added up, so the
    Elapsed column counts only the time the task worked."""
    frozen = max(0.0, now - record.paused_at) if record.paused_at is not None else 0.0
    return {"paused": False, "paused_s": record.paused_s + frozen, "paused_at": None}
