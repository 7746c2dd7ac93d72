"""A running task's console output and resource use, on their way to the node pool.

Output is kept (the last OUTPUT_BACKLOG characters per task) until it is sent, in chunks,
so that a pool away for a while gets it afterwards; usage keeps only the latest reading.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from hivemind_desktop.core.pool.session import PoolSession
from hivemind_desktop.rpc import pb

OUTPUT_CHUNK = 64 * 1024
OUTPUT_BACKLOG = 1024 * 1024


class UsageReading(Protocol):
    """A container's use as the runner measures it (only what TaskUsage carries)."""

    @property
    def cpu_percent(self) -> float: ...

    @property
    def memory_percent(self) -> float: ...


class TaskFeed:
    """Buffers filled by the engine's threads and emptied by `send` on the upload thread."""

    def __init__(self, session: PoolSession, node_id: Callable[[], str]) -> None:
        self._session = session
        self._node_id = node_id
        self._lock = threading.Lock()
        self._output: dict[str, str] = {}
        self._usage: dict[str, UsageReading] = {}

    def task_output(self, task_id: str, text: str) -> None:
        with self._lock:
            self._output[task_id] = (self._output.get(task_id, "") + text)[-OUTPUT_BACKLOG:]

    def task_usage(self, task_id: str, usage: UsageReading) -> None:
        with self._lock:
            self._usage[task_id] = usage

    def send_output(self) -> None:
        """Send the buffered output; what a failure left unsent waits for the next try."""
        with self._lock:
            pending, self._output = self._output, {}
        for task_id, text in pending.items():
            sent = 0
            try:
                while sent < len(text):
                    chunk = text[sent : sent + OUTPUT_CHUNK]
                    self._session.call(
                        self._session.workers.TaskOutputUpload,
                        pb.TaskOutputUploadRequest(
                            task_id=task_id, output=chunk, token=self._session.token
                        ),
                    )
                    sent += len(chunk)
            except Exception:
                with self._lock:  # keep the unsent rest for the next round, before newer output
                    rest = text[sent:] + self._output.get(task_id, "")
                    self._output[task_id] = rest[-OUTPUT_BACKLOG:]
                raise

    def send_usage(self) -> None:
        """Send the latest readings (a failed one is not worth keeping: a newer comes)."""
        with self._lock:
            pending, self._usage = self._usage, {}
        for task_id, usage in pending.items():
            # The deployed pool reads TaskUsageRequest.token as the node id (protocol.md §7).
            self._session.call(
                self._session.workers.TaskUsage,
                pb.TaskUsageRequest(
                    task_id=task_id,
                    cpu_usage=usage.cpu_percent,
                    memory_usage=usage.memory_percent,
                    token=self._node_id(),
                ),
            )
