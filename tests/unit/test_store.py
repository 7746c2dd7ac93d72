"""The SQLite store on a real file: tasks survive a reopen (unfinished ones always), the
result outbox, and key/values."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from hivemind_desktop.core.models import Resources, TaskRecord, TaskState, TaskUsage
from hivemind_desktop.core.store import SCHEMA_VERSION, NewerSchema, Store


def record(task_id: str, state: TaskState, received_at: float, **fields: object) -> TaskRecord:
    return TaskRecord(task_id, state, Resources(150, 2, 0, 0), received_at=received_at, **fields)


def test_task_round_trips_through_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "data" / "worker.sqlite3"
    store = Store(path)
    original = record(
        "t-1",
        TaskState.RUNNING,
        1000.0,
        started_at=1001.5,
        exit_code=None,
        message="running",
        container_id="abc123",
        command=("python3", "main.py"),
        time_limit_s=60,
        usage=TaskUsage(12.5, 40.0, 100.0),
    )
    store.save_task(original)
    store.close()

    reopened = Store(path)
    (loaded,) = reopened.load_tasks()
    assert loaded == original
    assert reopened.task_exists("t-1") and not reopened.task_exists("t-2")
    reopened.close()


def test_save_again_replaces_the_row(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.sqlite3")
    task = record("t-1", TaskState.ADMITTED, 1.0)
    store.save_task(task)
    task = replace(task, state=TaskState.UPLOADING, exit_code=3, finished_at=9.0)
    store.save_task(task)
    (loaded,) = store.load_tasks()
    assert (loaded.state, loaded.exit_code, loaded.finished_at) == (TaskState.UPLOADING, 3, 9.0)


def test_load_keeps_every_unfinished_task_beyond_the_limit(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.sqlite3")
    # two old unfinished tasks, then five newer finished ones
    store.save_task(record("old-running", TaskState.RUNNING, 1.0))
    store.save_task(record("old-uploading", TaskState.UPLOADING, 2.0))
    for i in range(5):
        store.save_task(record(f"done-{i}", TaskState.COMPLETED, 10.0 + i))

    ids = [t.task_id for t in store.load_tasks(limit=2)]
    # newest first: the latest two finished ones, and both unfinished ones regardless of age
    assert ids == ["done-4", "done-3", "old-uploading", "old-running"]


def test_outbox_add_fail_remove_and_persist(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    store = Store(path)
    store.add_outbox("a", tmp_path / "a.zip")
    store.add_outbox("b", tmp_path / "b.zip")
    store.outbox_failed("a", "UNAVAILABLE")
    store.outbox_failed("a", "node pool said no")
    store.close()

    store = Store(path)
    items = {i.task_id: i for i in store.outbox()}
    assert [i.task_id for i in store.outbox()] == ["a", "b"]  # oldest first
    assert items["a"].attempts == 2 and items["a"].last_error == "node pool said no"
    assert items["a"].zip_path == tmp_path / "a.zip"
    assert items["b"].attempts == 0 and items["b"].last_error == ""

    store.remove_outbox("a")
    store.remove_outbox("missing")  # idempotent
    assert [i.task_id for i in store.outbox()] == ["b"]


def test_key_values_get_set_overwrite_persist(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    store = Store(path)
    assert store.get_value("trust_score") is None
    store.set_value("trust_score", "50")
    store.set_value("trust_score", "52")
    store.set_value("api_secret", "s")
    store.close()
    store = Store(path)
    assert store.get_value("trust_score") == "52"
    assert store.get_value("api_secret") == "s"


def test_writes_from_many_threads_all_land(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.sqlite3")

    def work(n: int) -> None:
        for i in range(20):
            store.save_task(record(f"t{n}-{i}", TaskState.COMPLETED, n * 100.0 + i))
            store.set_value(f"k{n}", str(i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.load_tasks()) == 80
    assert all(store.get_value(f"k{n}") == "19" for n in range(4))


def test_data_folder_is_private(tmp_path: Path) -> None:
    Store(tmp_path / "fresh" / "w.sqlite3").close()
    assert (tmp_path / "fresh").stat().st_mode & 0o077 == 0


# What the first released worker wrote (schema 1, unversioned), verbatim: an install made
# by it must open with its history and outbox intact.
FIRST_RELEASED_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    task_id TEXT PRIMARY KEY, state TEXT NOT NULL, request TEXT NOT NULL,
    received_at REAL NOT NULL, started_at REAL, finished_at REAL, exit_code INTEGER,
    message TEXT NOT NULL DEFAULT '', container_id TEXT, extra TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS outbox (
    task_id TEXT PRIMARY KEY, zip_path TEXT NOT NULL, created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def first_release_install(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(FIRST_RELEASED_SCHEMA)
    request = json.dumps({"cpu_score": 150, "memory_gb": 2, "gpus": 0, "gpu_memory_gb": 0})
    done = {
        "command": ["python3", "main.py"],
        "time_limit_s": 600,
        "outcome": "completed",
        "usage": {"cpu_percent": 99.5, "memory_percent": 3.0, "memory_mb": 61.2},
    }
    db.execute(  # positional, as that release wrote rows
        "INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?)",
        ("old-done", "completed", request, 10.0, 11.0, 15.0, 0, "exit code 0", "c1",
         json.dumps(done)),
    )  # fmt: skip
    db.execute(
        "INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?)",
        ("old-upl", "uploading", request, 20.0, 21.0, 22.0, 1, "exit code 1", "c2",
         json.dumps({"outcome": "failed", "command": ["sh", "run.sh"]})),
    )  # fmt: skip
    db.execute(
        "INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?)",
        ("old-bare", "failed", request, 5.0, None, 6.0, None, "refused", None, "{}"),
    )
    db.execute(
        "INSERT INTO outbox (task_id, zip_path, created_at) VALUES (?,?,?)",
        ("old-upl", "/data/results/old-upl.zip", 22.5),
    )
    db.execute("INSERT INTO kv VALUES (?,?)", ("trust_score", "62"))
    db.commit()
    db.close()


def test_an_install_of_the_first_release_upgrades_with_history_and_outbox(tmp_path: Path) -> None:
    path = tmp_path / "worker.sqlite3"
    first_release_install(path)

    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION
    tasks = {t.task_id: t for t in store.load_tasks()}
    assert tasks["old-done"] == TaskRecord(
        "old-done", TaskState.COMPLETED, Resources(150, 2, 0, 0), 10.0,
        started_at=11.0, finished_at=15.0, exit_code=0, message="exit code 0",
        container_id="c1", outcome=TaskState.COMPLETED, command=("python3", "main.py"),
        usage=TaskUsage(99.5, 3.0, 61.2), time_limit_s=600,
    )  # fmt: skip
    assert tasks["old-upl"].outcome == TaskState.FAILED
    assert tasks["old-upl"].command == ("sh", "run.sh")
    assert tasks["old-bare"].command == () and tasks["old-bare"].usage is None
    (item,) = store.outbox()
    assert (item.task_id, item.zip_path, item.attempts) == (
        "old-upl",
        Path("/data/results/old-upl.zip"),
        0,
    )
    assert store.get_value("trust_score") == "62"
    assert all(t.runtime is None for t in tasks.values())  # before runtimes were recorded
    store.save_task(replace(tasks["old-upl"], state=TaskState.FAILED))  # and it writes
    store.save_task(replace(tasks["old-bare"], runtime="runsc"))
    store.close()

    again = Store(path)  # a second open migrates nothing twice
    assert again.schema_version() == SCHEMA_VERSION
    assert {t.task_id for t in again.load_tasks()} == {"old-done", "old-upl", "old-bare"}
    assert {t.task_id: t.runtime for t in again.load_tasks()}["old-bare"] == "runsc"
    again.close()


def test_a_new_install_starts_at_the_current_schema(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.sqlite3")
    assert store.schema_version() == SCHEMA_VERSION
    store.close()


def test_a_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(NewerSchema, match="newer HiveMind Desktop"):
        Store(path)


def test_frozen_time_is_kept_and_left_out_of_elapsed(tmp_path: Path) -> None:
    """Elapsed counts the time a task worked: pauses (the volunteer's, the policy's) are
    left out, in the history after a restart too."""
    path = tmp_path / "worker.sqlite3"
    store = Store(path)
    done = record(
        "t-done", TaskState.COMPLETED, 100.0,
        started_at=100.0, finished_at=160.0, paused_s=20.0,
    )  # fmt: skip
    frozen_at_end = record(
        "t-frozen", TaskState.STOPPED, 100.0,
        started_at=100.0, finished_at=200.0, paused_s=10.0, paused_at=150.0, paused=True,
    )  # fmt: skip
    assert done.elapsed_s == 40.0
    assert frozen_at_end.elapsed_s == 40.0  # 100 s, less 10 s and the last 50 s frozen
    store.save_task(done)
    store.save_task(frozen_at_end)
    store.close()
    again = Store(path)
    loaded = {t.task_id: t for t in again.load_tasks()}
    again.close()
    assert loaded["t-done"].elapsed_s == 40.0
    assert loaded["t-frozen"].paused_s == 60.0 and loaded["t-frozen"].elapsed_s == 40.0
