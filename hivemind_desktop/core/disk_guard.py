"""Per-task disk budgets and the data disk's free-space floor, enforced while tasks run.

A task's workspace is a bind mount on the volunteer's disk, and no container option
limits what a task writes there on common set-ups (Docker's `--storage-opt size` needs
XFS project quotas; a bind mount is outside the container's layer anyway). So the guard
watches: every POLL_S it reads the file system's used-space counter (one statvfs call,
microseconds), and walks a task's folder only when that counter grew enough to push the
task past its budget. Overshoot is therefore bounded by what a writer manages in one poll
plus the time to kill its container; an idle worker does not poll at all.

Where the tasks folder is its own size-limited file system (the Linux task area made by
`hivemind-desktop task-area`), the kernel refuses writes past the area's size as well.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say

log = logging.getLogger(__name__)

DISK_BUDGET_USED = QT_TRANSLATE_NOOP("Core", "disk budget of %1 MiB used up")
UNREADABLE = QT_TRANSLATE_NOOP("Core", "the data folder %1 cannot be read: %2")
BELOW_FLOOR = QT_TRANSLATE_NOOP(
    "Core",
    "free disk space is below the floor: %1 GiB free on the data disk, at least %2 GiB must "
    "stay free (HIVEMIND_MIN_FREE_DISK_GB)",
)
SUMMARY = QT_TRANSLATE_NOOP(
    "Core", "%1 GiB free, floor %2 GiB; each task may write %3 MiB, on the data disk"
)
SUMMARY_AREA = QT_TRANSLATE_NOOP(
    "Core",
    "%1 GiB free, floor %2 GiB; each task may write %3 MiB, in its own size-limited area",
)

POLL_S = 0.02
FULL_WALK_S = 2.0  # walk every task now and then: a deletion elsewhere can hide growth
GIB = 1024**3
MIB = 1024**2


@dataclass
class _Watched:
    folder: Path
    budget: int
    on_exceeded: Callable[[str], None]
    budget_text: str
    used: int = 0  # bytes in the folder at the last walk
    fs_mark: int = 0  # the file system's used bytes at that walk
    ended: bool = False


def folder_usage(folder: Path) -> int:
    """Bytes a folder takes: the larger of apparent and allocated size of each file (a
    sparse file still counts at its length: zipping it would read all of it), hard links
    once. A folder the task made unreadable is opened up again (it is the worker's own,
    or the worker is root); one that stays unreadable raises PermissionError."""
    total = 0
    seen: set[tuple[int, int]] = set()
    pending = [str(folder)]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except FileNotFoundError:
            continue
        except PermissionError:
            os.chmod(current, stat.S_IRWXU)
            entries = list(os.scandir(current))
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            if st.st_nlink > 1 and not stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in seen:
                    continue
                seen.add(key)
            allocated = getattr(st, "st_blocks", 0) * 512
            if stat.S_ISDIR(st.st_mode):
                total += allocated
                pending.append(entry.path)
            else:
                total += max(st.st_size, allocated)
    return total


def _used_bytes(path: Path) -> int:
    st = os.statvfs(path)
    return (st.f_blocks - st.f_bfree) * st.f_frsize


def default_floor(total_bytes: int) -> int:
    """The smaller of 5 GiB and 5 % of the disk: a small disk is still usable."""
    return min(5 * GIB, total_bytes // 20)


class DiskGuard:
    """Watches running tasks' folders and the data disk; calls a task's `on_exceeded`
    once with the reason when it must end. Thread-safe."""

    def __init__(
        self,
        tasks_root: Path,
        data_root: Path,
        floor: Callable[[int], int],
        *,
        poll_s: float = POLL_S,
    ) -> None:
        self._tasks_root = tasks_root
        self._data_root = data_root
        self._floor = floor  # disk size in bytes -> minimum free bytes
        self._poll_s = poll_s
        self._lock = threading.Lock()
        self._watched: dict[str, _Watched] = {}
        self._polling = False  # a loop thread runs exactly while tasks are watched

    # -- queries --------------------------------------------------------------------------
    def floor_problem(self) -> str:
        """Why no task may run for lack of free space, or "" (cheap: one statvfs)."""
        try:
            usage = shutil.disk_usage(self._data_root)
        except OSError as exc:
            return say(UNREADABLE, self._data_root, exc)
        floor = self._floor(usage.total)
        if usage.free >= floor:
            return ""
        return say(BELOW_FLOOR, f"{usage.free / GIB:.1f}", f"{floor / GIB:.1f}")

    def summary(self, budget_mb: int) -> str:
        usage = shutil.disk_usage(self._data_root)
        limited = os.path.ismount(self._tasks_root)
        return say(
            SUMMARY_AREA if limited else SUMMARY,
            f"{usage.free / GIB:.1f}",
            f"{self._floor(usage.total) / GIB:.1f}",
            budget_mb,
        )

    # -- watching -------------------------------------------------------------------------
    def watch(
        self, task_id: str, folder: Path, budget_bytes: int, on_exceeded: Callable[[str], None]
    ) -> None:
        budget_text = say(DISK_BUDGET_USED, budget_bytes // MIB)
        watched = _Watched(folder, budget_bytes, on_exceeded, budget_text)
        self._walk(task_id, watched)
        with self._lock:
            self._watched[task_id] = watched
            if not self._polling:
                self._polling = True
                threading.Thread(target=self._loop, name="disk-guard", daemon=True).start()
        self._check_one(task_id, watched)

    def unwatch(self, task_id: str) -> None:
        with self._lock:
            self._watched.pop(task_id, None)

    # -- the loop -------------------------------------------------------------------------
    def _loop(self) -> None:
        last_full = time.monotonic()
        last_floor = 0.0
        while True:
            time.sleep(self._poll_s)
            with self._lock:
                if not self._watched:  # nothing runs: no polling until a task starts
                    self._polling = False
                    return
                items = [(k, w) for k, w in self._watched.items() if not w.ended]
            if not items:
                continue
            now = time.monotonic()
            if now - last_floor >= 0.25:  # free space changes slowly: four looks a second
                last_floor = now
                problem = self.floor_problem()
                if problem:
                    for task_id, watched in items:
                        self._end(task_id, watched, problem)
                    continue
            try:
                used = _used_bytes(self._tasks_root)
            except OSError:
                continue
            full = now - last_full >= FULL_WALK_S
            for task_id, watched in items:
                # The folder grew at most as much as the whole file system did.
                if full or watched.used + (used - watched.fs_mark) >= watched.budget:
                    self._walk(task_id, watched, used)
                    self._check_one(task_id, watched)
            if full:
                last_full = now

    def _walk(self, task_id: str, watched: _Watched, fs_used: int | None = None) -> None:
        try:
            watched.fs_mark = _used_bytes(self._tasks_root) if fs_used is None else fs_used
            watched.used = folder_usage(watched.folder)
        except OSError as exc:
            self._end(task_id, watched, f"the task's files cannot be measured: {exc}")

    def _check_one(self, task_id: str, watched: _Watched) -> None:
        if watched.used > watched.budget:
            self._end(task_id, watched, watched.budget_text)

    def _end(self, task_id: str, watched: _Watched, reason: str) -> None:
        with self._lock:
            if watched.ended:
                return
            watched.ended = True
        log.warning("task %s: %s", task_id, reason)
        try:
            watched.on_exceeded(reason)
        except Exception:
            log.exception("task %s: could not end it", task_id)
