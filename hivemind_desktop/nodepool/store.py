"""The pool's state in SQLite: accounts, nodes, tasks; archives as files beside it.

One connection behind one lock. With a data dir the database and the archives
live there, so a pool killed and restarted still knows its tasks; without one the
database is in memory and archives go to a scratch folder the pool removes.
Every state change is a guarded UPDATE (compare-and-set on the status), so a
late dispatch answer can never overwrite a result that arrived first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from hivemind_desktop.nodepool.models import (
    COMPLETED,
    DEFAULT_TRUST,
    FAILED,
    LOG_KEEP_BYTES,
    PENDING,
    RUNNING,
    STOPPED,
    TERMINAL,
    NodeView,
    TaskView,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY, salt BLOB NOT NULL, hash BLOB NOT NULL,
    balance INTEGER NOT NULL DEFAULT 0, trust TEXT NOT NULL DEFAULT 'normal');
CREATE TABLE IF NOT EXISTS nodes (
    node_id TEXT PRIMARY KEY, hostname TEXT NOT NULL, port INTEGER NOT NULL,
    cpu_cores INTEGER NOT NULL, memory_gb INTEGER NOT NULL, cpu_score INTEGER NOT NULL,
    gpu_score INTEGER NOT NULL, gpu_memory_gb INTEGER NOT NULL, gpu_name TEXT NOT NULL,
    location TEXT NOT NULL, docker_status TEXT NOT NULL, status TEXT NOT NULL DEFAULT '',
    cpu_usage REAL NOT NULL DEFAULT 0, memory_usage REAL NOT NULL DEFAULT 0,
    gpu_usage REAL NOT NULL DEFAULT 0, gpu_memory_usage REAL NOT NULL DEFAULT 0,
    running_tasks INTEGER NOT NULL DEFAULT 0,
    registered_at REAL NOT NULL, last_seen REAL NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT UNIQUE NOT NULL,
    owner TEXT NOT NULL, status TEXT NOT NULL, message TEXT NOT NULL DEFAULT '',
    memory_gb INTEGER NOT NULL, cpu_score INTEGER NOT NULL, gpu_score INTEGER NOT NULL,
    gpu_memory_gb INTEGER NOT NULL, gpu_name TEXT NOT NULL, location TEXT NOT NULL,
    zip_size INTEGER NOT NULL, created_at REAL NOT NULL,
    node_id TEXT NOT NULL DEFAULT '', worker_ip TEXT NOT NULL DEFAULT '',
    started_at REAL, finished_at REAL,
    cpu_usage REAL NOT NULL DEFAULT 0, memory_usage REAL NOT NULL DEFAULT 0,
    gpu_usage REAL NOT NULL DEFAULT 0, gpu_memory_usage REAL NOT NULL DEFAULT 0,
    log TEXT NOT NULL DEFAULT '', has_result INTEGER NOT NULL DEFAULT 0,
    rewarded INTEGER NOT NULL DEFAULT 0, dispatch_attempts INTEGER NOT NULL DEFAULT 0);
"""

_TASK_COLS = (
    "task_id, owner, status, message, memory_gb, cpu_score, gpu_score, gpu_memory_gb, "
    "gpu_name, location, zip_size, created_at, node_id, worker_ip, started_at, finished_at, "
    "cpu_usage, memory_usage, gpu_usage, gpu_memory_usage, has_result, rewarded, "
    "dispatch_attempts"
)
_NODE_COLS = (
    "n.node_id, n.hostname, n.port, n.cpu_cores, n.memory_gb, n.cpu_score, n.gpu_score, "
    "n.gpu_memory_gb, n.gpu_name, n.location, n.docker_status, n.status, n.cpu_usage, "
    "n.memory_usage, n.gpu_usage, n.gpu_memory_usage, n.running_tasks, n.registered_at, "
    f"n.last_seen, COALESCE(a.trust, '{DEFAULT_TRUST}')"
)


def _task(row: tuple) -> TaskView:
    values = list(row)
    values[20] = bool(values[20])
    values[21] = bool(values[21])
    return TaskView(*values)


def trim_log(text: str) -> str:
    """Keep the newest LOG_KEEP_BYTES of UTF-8 (a split character is dropped)."""
    raw = text.encode("utf-8")
    if len(raw) <= LOG_KEEP_BYTES:
        return text
    return raw[-LOG_KEEP_BYTES:].decode("utf-8", errors="ignore")


class PoolStore:
    """All pool state; every method is safe to call from any thread."""

    def __init__(self, db_path: Path | None, blob_dir: Path) -> None:
        self._lock = threading.RLock()
        self._blobs = blob_dir
        self._blobs.mkdir(parents=True, exist_ok=True)
        target = ":memory:" if db_path is None else str(db_path)
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        if db_path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _one(self, sql: str, args: tuple = ()) -> tuple | None:
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    def _all(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _exec(self, sql: str, args: tuple = ()) -> int:
        with self._lock:
            return self._db.execute(sql, args).rowcount

    # -- key/value ---------------------------------------------------------------

    def kv_get(self, key: str) -> bytes | None:
        row = self._one("SELECT value FROM kv WHERE key=?", (key,))
        return None if row is None else bytes(row[0])

    def kv_set(self, key: str, value: bytes) -> None:
        self._exec("INSERT OR REPLACE INTO kv(key, value) VALUES (?, ?)", (key, value))

    # -- accounts ----------------------------------------------------------------

    def upsert_account(self, name: str, salt: bytes, pw_hash: bytes, balance: int) -> None:
        """Create the account, or replace its password; an existing balance is kept."""
        with self._tx() as db:
            db.execute(
                "INSERT INTO accounts(name, salt, hash, balance) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET salt=excluded.salt, hash=excluded.hash",
                (name, salt, pw_hash, balance),
            )

    def credentials(self, name: str) -> tuple[bytes, bytes] | None:
        row = self._one("SELECT salt, hash FROM accounts WHERE name=?", (name,))
        return None if row is None else (bytes(row[0]), bytes(row[1]))

    def account_exists(self, name: str) -> bool:
        return self._one("SELECT 1 FROM accounts WHERE name=?", (name,)) is not None

    def balance(self, name: str) -> int | None:
        row = self._one("SELECT balance FROM accounts WHERE name=?", (name,))
        return None if row is None else int(row[0])

    def transfer(self, sender: str, receiver: str, amount: int) -> str | None:
        """Move CPT atomically; returns the reason on refusal, None on success."""
        with self._tx() as db:
            row = db.execute("SELECT balance FROM accounts WHERE name=?", (sender,)).fetchone()
            if row is None:
                return f"unknown account {sender!r}"
            if db.execute("SELECT 1 FROM accounts WHERE name=?", (receiver,)).fetchone() is None:
                return f"receiver {receiver!r} does not exist: check the username"
            if row[0] < amount:
                return f"insufficient balance: {row[0]} CPT available, {amount} requested"
            db.execute("UPDATE accounts SET balance=balance-? WHERE name=?", (amount, sender))
            db.execute("UPDATE accounts SET balance=balance+? WHERE name=?", (amount, receiver))
        return None

    def set_trust(self, name: str, level: str) -> bool:
        return self._exec("UPDATE accounts SET trust=? WHERE name=?", (level, name)) == 1

    # -- nodes -------------------------------------------------------------------

    def register_node(self, node: dict, now: float) -> None:
        """Insert or refresh a node; its status and usage survive a re-registration."""
        cols = (
            "node_id",
            "hostname",
            "port",
            "cpu_cores",
            "memory_gb",
            "cpu_score",
            "gpu_score",
            "gpu_memory_gb",
            "gpu_name",
            "location",
            "docker_status",
        )
        values = tuple(node[c] for c in cols) + (now, now)
        updates = ", ".join(f"{c}=excluded.{c}" for c in cols[1:])
        self._exec(
            f"INSERT INTO nodes({', '.join(cols)}, registered_at, last_seen) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(values))}) ON CONFLICT(node_id) DO UPDATE SET "
            f"{updates}, registered_at=excluded.registered_at, last_seen=excluded.last_seen",
            values,
        )

    def report_status(self, node_id: str, report: dict, now: float) -> bool:
        sets = ", ".join(f"{k}=?" for k in report)
        return (
            self._exec(
                f"UPDATE nodes SET {sets}, last_seen=? WHERE node_id=?",  # noqa: S608
                (*report.values(), now, node_id),
            )
            == 1
        )

    def mark_node_busy(self, node_id: str) -> None:
        """After a dispatch the node counts as Busy until it reports again."""
        self._exec("UPDATE nodes SET status='Busy' WHERE node_id=?", (node_id,))

    def nodes(self) -> list[NodeView]:
        rows = self._all(
            f"SELECT {_NODE_COLS} FROM nodes n LEFT JOIN accounts a "  # noqa: S608
            "ON a.name = n.node_id ORDER BY n.node_id"
        )
        return [NodeView(*r) for r in rows]

    def node(self, node_id: str) -> NodeView | None:
        row = self._one(
            f"SELECT {_NODE_COLS} FROM nodes n LEFT JOIN accounts a "  # noqa: S608
            "ON a.name = n.node_id WHERE n.node_id=?",
            (node_id,),
        )
        return None if row is None else NodeView(*row)

    def delete_nodes_silent_since(self, cutoff: float) -> list[str]:
        with self._tx() as db:
            gone = [
                r[0] for r in db.execute("SELECT node_id FROM nodes WHERE last_seen < ?", (cutoff,))
            ]
            db.execute("DELETE FROM nodes WHERE last_seen < ?", (cutoff,))
        return gone

    # -- archives ----------------------------------------------------------------

    def _blob(self, task_id: str, kind: str) -> Path:
        digest = hashlib.sha256(task_id.encode("utf-8")).hexdigest()[:40]
        return self._blobs / f"{digest}.{kind}.zip"

    def _write_blob(self, path: Path, data: bytes) -> None:
        tmp = path.with_suffix(f".tmp{threading.get_ident()}")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def task_zip(self, task_id: str) -> bytes | None:
        try:
            return self._blob(task_id, "task").read_bytes()
        except FileNotFoundError:
            return None

    def result_zip(self, task_id: str) -> bytes | None:
        try:
            return self._blob(task_id, "result").read_bytes()
        except FileNotFoundError:
            return None

    # -- tasks -------------------------------------------------------------------

    def add_task(self, task: dict, task_zip: bytes, now: float) -> bool:
        """Store a new PENDING task; False when the id is taken."""
        path = self._blob(task["task_id"], "task")
        with self._lock:
            if self._one("SELECT 1 FROM tasks WHERE task_id=?", (task["task_id"],)):
                return False
            self._write_blob(path, task_zip)
            cols = list(task) + ["status", "zip_size", "created_at"]
            values = (*task.values(), PENDING, len(task_zip), now)
            self._exec(
                f"INSERT INTO tasks({', '.join(cols)}) "  # noqa: S608
                f"VALUES ({', '.join('?' * len(values))})",
                values,
            )
        return True

    def task(self, task_id: str) -> TaskView | None:
        row = self._one(f"SELECT {_TASK_COLS} FROM tasks WHERE task_id=?", (task_id,))  # noqa: S608
        return None if row is None else _task(row)

    def tasks(self, owner: str | None = None, status: str | None = None) -> list[TaskView]:
        where, args = [], []
        if owner is not None:
            where.append("owner=?")
            args.append(owner)
        if status is not None:
            where.append("status=?")
            args.append(status)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._all(
            f"SELECT {_TASK_COLS} FROM tasks{clause} ORDER BY created_at, seq",  # noqa: S608
            tuple(args),
        )
        return [_task(r) for r in rows]

    def begin_dispatch(self, task_id: str, node_id: str, worker_ip: str) -> bool:
        """Name the node before dialling it, so a result racing the answer is accepted."""
        return (
            self._exec(
                "UPDATE tasks SET node_id=?, worker_ip=?, dispatch_attempts=dispatch_attempts+1 "
                "WHERE task_id=? AND status=?",
                (node_id, worker_ip, task_id, PENDING),
            )
            == 1
        )

    def mark_running(self, task_id: str, now: float) -> str | None:
        """PENDING -> RUNNING; returns the status the task has afterwards."""
        with self._tx() as db:
            db.execute(
                "UPDATE tasks SET status=?, started_at=?, message='' WHERE task_id=? AND status=?",
                (RUNNING, now, task_id, PENDING),
            )
            row = db.execute("SELECT status FROM tasks WHERE task_id=?", (task_id,)).fetchone()
        return None if row is None else row[0]

    def set_pending_message(self, task_id: str, message: str) -> None:
        self._exec(
            "UPDATE tasks SET message=? WHERE task_id=? AND status=?", (message, task_id, PENDING)
        )

    def fail_running(self, task_id: str, message: str, now: float) -> bool:
        done = self._exec(
            "UPDATE tasks SET status=?, message=?, finished_at=? WHERE task_id=? AND status=?",
            (FAILED, message, now, task_id, RUNNING),
        )
        if done:
            self._blob(task_id, "task").unlink(missing_ok=True)
        return done == 1

    def stop(self, task_id: str, now: float) -> str | None:
        """Mark STOPPED; returns the previous status (None if it was already final)."""
        with self._tx() as db:
            row = db.execute("SELECT status FROM tasks WHERE task_id=?", (task_id,)).fetchone()
            if row is None or row[0] in TERMINAL:
                return None
            db.execute(
                "UPDATE tasks SET status=?, message=?, finished_at=? WHERE task_id=?",
                (STOPPED, "stopped by the owner", now, task_id),
            )
        if row[0] == PENDING:
            self._blob(task_id, "task").unlink(missing_ok=True)
        return row[0]

    def append_log(self, task_id: str, text: str) -> None:
        with self._tx() as db:
            row = db.execute("SELECT log FROM tasks WHERE task_id=?", (task_id,)).fetchone()
            if row is not None:
                db.execute(
                    "UPDATE tasks SET log=? WHERE task_id=?", (trim_log(row[0] + text), task_id)
                )

    def log(self, task_id: str) -> str:
        row = self._one("SELECT log FROM tasks WHERE task_id=?", (task_id,))
        return "" if row is None else row[0]

    def set_usage(self, task_id: str, cpu: float, mem: float, gpu: float, gpu_mem: float) -> bool:
        return (
            self._exec(
                "UPDATE tasks SET cpu_usage=?, memory_usage=?, gpu_usage=?, gpu_memory_usage=? "
                "WHERE task_id=?",
                (cpu, mem, gpu, gpu_mem, task_id),
            )
            == 1
        )

    def store_result(
        self,
        task_id: str,
        result_zip: bytes,
        now: float,
        reward: int,
        failure: str = "",
        stopped: bool = False,
    ) -> tuple[str, str | None]:
        """Keep the result zip; STOPPED stays STOPPED, a run stopped on the worker becomes
        STOPPED, one that failed (`failure`: why) FAILED, anything else COMPLETED; pay the
        node on its first completion only.

        Returns (status afterwards, node paid or None) — a retried upload never pays twice.
        """
        with self._lock:
            self._write_blob(self._blob(task_id, "result"), result_zip)
            with self._tx() as db:
                row = db.execute(
                    "SELECT status, rewarded, node_id FROM tasks WHERE task_id=?", (task_id,)
                ).fetchone()
                status, rewarded, node_id = row
                payee = None
                message = "stopped by the owner"
                if status != STOPPED and failure:
                    status, message = (STOPPED if stopped else FAILED), failure
                elif status != STOPPED:
                    status, message = COMPLETED, ""
                    payee = None if rewarded else node_id
                db.execute(
                    "UPDATE tasks SET status=?, has_result=1, rewarded=?, message=?, "
                    "finished_at=COALESCE(finished_at, ?) WHERE task_id=?",
                    (status, 1 if (rewarded or payee) else 0, message, now, task_id),
                )
                if payee:
                    db.execute(
                        "UPDATE accounts SET balance=balance+? WHERE name=?", (reward, payee)
                    )
        self._blob(task_id, "task").unlink(missing_ok=True)
        return status, payee
