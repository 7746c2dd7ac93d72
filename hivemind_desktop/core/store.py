"""SQLite persistence: task history and state, the outbox of result archives the node
pool has not acknowledged yet, and small key/values (trust score, install secret).

One connection guarded by one lock: writes are tiny and rare (a few per task), so a
single writer keeps it simple and safe across the worker's threads.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from hivemind_desktop.core.models import (
    FINAL_STATES,
    Resources,
    TaskRecord,
    TaskState,
    TaskUsage,
)

# The first released schema (version 1, when PRAGMA user_version was still 0): every
# install made before versioning has exactly this. Never edit it; add a migration.
_SCHEMA_V1 = """
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

# Version 2: the free-form `extra` JSON becomes typed columns.
_V1_TO_V2 = """
CREATE TABLE tasks_v2 (
    task_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    request TEXT NOT NULL,
    received_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    exit_code INTEGER,
    message TEXT NOT NULL DEFAULT '',
    container_id TEXT,
    outcome TEXT,
    command TEXT NOT NULL DEFAULT '[]',
    usage TEXT,
    time_limit_s INTEGER,
    pids_limit INTEGER,
    disk_written_mb REAL
);
INSERT INTO tasks_v2
SELECT task_id, state, request, received_at, started_at, finished_at, exit_code, message,
       container_id, json_extract(extra, '$.outcome'),
       coalesce(json_extract(extra, '$.command'), '[]'), json_extract(extra, '$.usage'),
       json_extract(extra, '$.time_limit_s'), json_extract(extra, '$.pids_limit'),
       json_extract(extra, '$.disk_written_mb')
FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_v2 RENAME TO tasks;
CREATE INDEX tasks_received ON tasks (received_at);
"""

# Version 3: the seconds a task spent frozen, so Elapsed leaves them out in the history too.
_V2_TO_V3 = """
ALTER TABLE tasks ADD COLUMN paused_s REAL NOT NULL DEFAULT 0;
"""

# Version 4: the task's reported progress, and what the Statistics page draws. Daily
# counts are kept apart from the task rows so that pruning or clearing the history
# keeps the statistics; one row per day and a capped trust series stay small.
_V3_TO_V4 = """
ALTER TABLE tasks ADD COLUMN progress REAL;
CREATE TABLE daily (
    day TEXT PRIMARY KEY,
    completed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    stopped INTEGER NOT NULL DEFAULT 0,
    credits INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE trust_history (at REAL NOT NULL, score INTEGER NOT NULL);
CREATE INDEX trust_history_at ON trust_history (at);
"""

# Version 5: the container runtime that isolated each task (runc or runsc).
_V4_TO_V5 = "ALTER TABLE tasks ADD COLUMN runtime TEXT;"

# MIGRATIONS[n] takes a database at version n+1 to version n+2; version 1 is the first.
MIGRATIONS = (_V1_TO_V2, _V2_TO_V3, _V3_TO_V4, _V4_TO_V5)
SCHEMA_VERSION = 1 + len(MIGRATIONS)
_TASK_COLUMNS = (
    "task_id", "state", "request", "received_at", "started_at", "finished_at", "exit_code",
    "message", "container_id", "outcome", "command", "usage", "time_limit_s", "pids_limit",
    "disk_written_mb", "paused_s", "progress", "runtime",
)  # fmt: skip
TRUST_HISTORY_ROWS = 5000  # years of changes at a few a day; the oldest go first
_OUTCOME_COLUMN = {"completed": "completed", "failed": "failed", "stopped": "stopped"}


class NewerSchema(RuntimeError):
    """The data folder was written by a newer HiveMind Desktop: opening it could lose data."""


_FINAL_VALUES = tuple(sorted(s.value for s in FINAL_STATES))
_FINAL_MARKS = ", ".join("?" for _ in _FINAL_VALUES)  # one placeholder per final state


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
        self._db.row_factory = sqlite3.Row
        if hasattr(os, "chmod"):
            os.chmod(path, 0o600)  # it holds the local API secret
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        """Bring the file to SCHEMA_VERSION, each step in one transaction: an upgrade
        keeps the history and the outbox, and a crash mid-way leaves the old version."""
        version = self.schema_version() or 1  # 0: new, or the first release (unversioned)
        if version > SCHEMA_VERSION:
            raise NewerSchema(
                f"{self.path} was written by a newer HiveMind Desktop (schema {version}, this "
                f"one knows {SCHEMA_VERSION}): install the newer version again"
            )
        self._db.executescript(_SCHEMA_V1)  # a new file starts at version 1
        for step in range(version, SCHEMA_VERSION):
            try:
                self._db.executescript(
                    f"BEGIN; {MIGRATIONS[step - 1]} PRAGMA user_version = {step + 1}; COMMIT;"
                )
            except sqlite3.Error:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- tasks ----------------------------------------------------------------------------
    def save_task(self, task: TaskRecord) -> None:
        row = {
            "task_id": task.task_id,
            "state": task.state.value,
            "request": json.dumps(dataclasses.asdict(task.request)),
            "received_at": task.received_at,
            "started_at": task.started_at,
            "finished_at": task.finished_at,
            "exit_code": task.exit_code,
            "message": task.message,
            "container_id": task.container_id,
            "outcome": task.outcome.value if task.outcome else None,
            "command": json.dumps(list(task.command)),
            "usage": json.dumps(dataclasses.asdict(task.usage)) if task.usage else None,
            "time_limit_s": task.time_limit_s,
            "pids_limit": task.pids_limit,
            "disk_written_mb": task.disk_written_mb,
            "paused_s": _frozen_so_far(task),
            "progress": task.progress,
            "runtime": task.runtime,
        }
        columns = ", ".join(_TASK_COLUMNS)
        values = ", ".join(f":{c}" for c in _TASK_COLUMNS)
        with self._lock:
            self._db.execute(f"INSERT OR REPLACE INTO tasks ({columns}) VALUES ({values})", row)  # noqa: S608

    def load_tasks(self, limit: int = 1000) -> list[TaskRecord]:
        """Newest first: every unfinished task plus the latest `limit` finished ones."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM tasks ORDER BY received_at DESC LIMIT ?", (limit,)
            ).fetchall()
            unfinished = self._db.execute(
                f"SELECT * FROM tasks WHERE state NOT IN ({_FINAL_MARKS})",  # noqa: S608 - marks only
                _FINAL_VALUES,
            ).fetchall()
        seen: dict[str, TaskRecord] = {}
        for row in [*unfinished, *rows]:
            seen.setdefault(row["task_id"], _task_from_row(row))
        return sorted(seen.values(), key=lambda t: t.received_at, reverse=True)

    def prune_tasks(self, keep: int) -> int:
        """Forget finished tasks beyond the newest `keep`; returns how many went."""
        with self._lock:
            cursor = self._db.execute(
                f"DELETE FROM tasks WHERE state IN ({_FINAL_MARKS}) AND task_id NOT IN "  # noqa: S608
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

    def clear_history(self) -> list[str]:
        """Delete the finished tasks whose result is delivered; returns their ids."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT task_id FROM tasks WHERE state IN ({_FINAL_MARKS}) "  # noqa: S608
                "AND task_id NOT IN (SELECT task_id FROM outbox)",
                _FINAL_VALUES,
            ).fetchall()
            ids = [r["task_id"] for r in rows]
            self._db.executemany("DELETE FROM tasks WHERE task_id=?", [(i,) for i in ids])
        return ids

    # -- statistics -----------------------------------------------------------------------
    def count_outcome(self, outcome: str, at: float) -> None:
        """One task ended (completed, failed or stopped) on the local day of `at`."""
        column = _OUTCOME_COLUMN.get(outcome)
        if column is None:
            raise ValueError(f"not a task outcome: {outcome!r}")
        self._add_to_day(_day(at), column, 1)

    def record_balance(self, account: str, balance: int, at: float) -> int:
        """The pool's balance for `account` now; a rise since the last reading counts as
        credits earned that day (spending lowers it and earns nothing). Returns the rise."""
        key = f"last_balance:{account}"
        with self._lock:
            row = self._db.execute("SELECT value FROM kv WHERE key=?", (key,)).fetchone()
            self._db.execute(
                "INSERT OR REPLACE INTO kv (key, value) VALUES (?,?)", (key, str(balance))
            )
        rise = balance - int(row["value"]) if row else 0
        if rise > 0:
            self._add_to_day(_day(at), "credits", rise)
        return max(rise, 0)

    def record_trust(self, score: int, at: float) -> None:
        with self._lock:
            last = self._db.execute(
                "SELECT score FROM trust_history ORDER BY at DESC, rowid DESC LIMIT 1"
            ).fetchone()
            if last is not None and last["score"] == score:
                return
            self._db.execute("INSERT INTO trust_history (at, score) VALUES (?,?)", (at, score))
            self._db.execute(
                "DELETE FROM trust_history WHERE rowid NOT IN "
                "(SELECT rowid FROM trust_history ORDER BY at DESC LIMIT ?)",
                (TRUST_HISTORY_ROWS,),
            )

    def daily(self, first_day: str) -> dict[str, dict[str, int]]:
        """Counts per local day ("YYYY-MM-DD") from `first_day` on; days without any
        are absent."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM daily WHERE day >= ? ORDER BY day", (first_day,)
            ).fetchall()
        return {
            r["day"]: {k: r[k] for k in ("completed", "failed", "stopped", "credits")}
            for r in rows
        }

    def trust_history(self, since: float) -> list[tuple[float, int]]:
        """(time, score) oldest first, with the last score before `since` as the start."""
        with self._lock:
            before = self._db.execute(
                "SELECT at, score FROM trust_history WHERE at < ? ORDER BY at DESC LIMIT 1",
                (since,),
            ).fetchone()
            rows = self._db.execute(
                "SELECT at, score FROM trust_history WHERE at >= ? ORDER BY at, rowid", (since,)
            ).fetchall()
        points = [(float(r["at"]), int(r["score"])) for r in rows]
        if before is not None:
            points.insert(0, (since, int(before["score"])))
        return points

    def _add_to_day(self, day: str, column: str, amount: int) -> None:
        with self._lock:
            self._db.execute(
                f"INSERT INTO daily (day, {column}) VALUES (?, ?) "  # noqa: S608 - fixed names
                f"ON CONFLICT(day) DO UPDATE SET {column} = {column} + excluded.{column}",
                (day, amount),
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
        return [
            OutboxItem(
                r["task_id"], Path(r["zip_path"]), r["created_at"], r["attempts"], r["last_error"]
            )
            for r in rows
        ]

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
        return row["value"] if row else None

    def set_value(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?,?)", (key, value))


def _day(at: float) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(at))


def _task_from_row(row: sqlite3.Row) -> TaskRecord:
    usage = json.loads(row["usage"]) if row["usage"] else None
    return TaskRecord(
        task_id=row["task_id"],
        state=TaskState(row["state"]),
        request=Resources(**json.loads(row["request"])),
        received_at=row["received_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        exit_code=row["exit_code"],
        message=row["message"],
        container_id=row["container_id"],
        outcome=TaskState(row["outcome"]) if row["outcome"] else None,
        command=tuple(json.loads(row["command"])),
        usage=TaskUsage(**usage) if usage else None,
        time_limit_s=row["time_limit_s"],
        pids_limit=row["pids_limit"],
        disk_written_mb=row["disk_written_mb"],
        paused_s=row["paused_s"],
        progress=row["progress"],
        runtime=row["runtime"],
    )


def _frozen_so_far(task: TaskRecord) -> float:
    """Frozen seconds to keep: a freeze still going counts up to the task's end (or now)."""
    if task.paused_at is None:
        return task.paused_s
    end = task.finished_at if task.finished_at is not None else time.time()
    return task.paused_s + max(0.0, end - task.paused_at)
