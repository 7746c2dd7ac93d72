"""SQLite persistence: task history and state, the outbox of result archives the node
pool has not acknowledged yet, and small key/values (trust score, install secret).

One connection guarded by one lock: writes are tiny and rare (a few per task), so a
single writer keeps it simple and safe across the worker's threads.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from hivemind_desktop.core.models import FINAL_STATES, Resources, TaskRecord, TaskState

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    task_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    request TEXT NOT NULL,
    received_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    exit_code INTEGER,
    message TEXT NOT NULL DEFAULT '',
    container_id TEXT,
    extra TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS outbox (
    task_id TEXT PRIMARY KEY,
    zip_path TEXT NOT NULL,
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


_FINAL_VALUES = tuple(sorted(s.value for s in FINAL_STATES))


@dataclass(frozen=True)
class OutboxItem:
    task_id: str
    zip_path: Path
    created_at: float
    attempts: int
    last_error: str


class Store:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        if hasattr(os, "chmod"):
            os.chmod(path, 0o600)  # it holds the local API secret
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- tasks ----------------------------------------------------------------------------
    def save_task(self, task: TaskRecord) -> None:
        row = (
            task.task_id,
            task.state.value,
            json.dumps(task.request.__dict__),
            task.received_at,
            task.started_at,
            task.finished_at,
            task.exit_code,
            task.message,
            task.container_id,
            json.dumps(task.extra),
        )
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?)", row)

    def load_tasks(self, limit: int = 1000) -> list[TaskRecord]:
        """Newest first: every unfinished task plus the latest `limit` finished ones."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM tasks ORDER BY received_at DESC LIMIT ?", (limit,)
            ).fetchall()
            unfinished = self._db.execute(
                "SELECT * FROM tasks WHERE state NOT IN (?, ?, ?)", _FINAL_VALUES
            ).fetchall()
        seen: dict[str, TaskRecord] = {}
        for row in [*unfinished, *rows]:
            seen.setdefault(row[0], _task_from_row(row))
        return sorted(seen.values(), key=lambda t: t.received_at, reverse=True)

    def prune_tasks(self, keep: int) -> int:
        """Forget finished tasks beyond the newest `keep`; returns how many went."""
        with self._lock:
            cursor = self._db.execute(
                "DELETE FROM tasks WHERE state IN (?, ?, ?) AND task_id NOT IN "
                "(SELECT task_id FROM tasks ORDER BY received_at DESC LIMIT ?)",
                (*_FINAL_VALUES, keep),
            )
            return cursor.rowcount

    def task_exists(self, task_id: str) -> bool:
        with self._lock:
            return (
                self._db.execute("SELECT 1 FROM tasks WHERE task_id=?", (task_id,)).fetchone()
                is not None
            )

    # -- outbox ---------------------------------------------------------------------------
    def add_outbox(self, task_id: str, zip_path: Path) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO outbox (task_id, zip_path, created_at) VALUES (?,?,?)",
                (task_id, str(zip_path), time.time()),
            )

    def outbox(self) -> list[OutboxItem]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM outbox ORDER BY created_at").fetchall()
        return [OutboxItem(r[0], Path(r[1]), r[2], r[3], r[4]) for r in rows]

    def outbox_failed(self, task_id: str, error: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error=? WHERE task_id=?",
                (error, task_id),
            )

    def remove_outbox(self, task_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM outbox WHERE task_id=?", (task_id,))

    # -- key/value ------------------------------------------------------------------------
    def get_value(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM kv WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_value(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO kv VALUES (?,?)", (key, value))


def _task_from_row(row: tuple) -> TaskRecord:
    return TaskRecord(
        task_id=row[0],
        state=TaskState(row[1]),
        request=Resources(**json.loads(row[2])),
        received_at=row[3],
        started_at=row[4],
        finished_at=row[5],
        exit_code=row[6],
        message=row[7],
        container_id=row[8],
        extra=json.loads(row[9]),
    )
