"""The SQLite store on a real file: tasks survive a reopen (unfinished ones always), the
result outbox, and key/values."""

from __future__ import annotations

import threading
from pathlib import Path

from hivemind_desktop.core.models import Resources, TaskRecord, TaskState
from hivemind_desktop.core.store import Store


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
        extra={"command": ["python3", "main.py"], "time_limit_s": 60},
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
    task.state, task.exit_code, task.finished_at = TaskState.UPLOADING, 3, 9.0
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
