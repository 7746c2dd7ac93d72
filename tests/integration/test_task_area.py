"""The task area: a loop-mounted ext4 at <data_dir>/tasks that holds all task files
together to the size the volunteer chose. Real mkfs, mount and loop devices (as root, as
CI runs), a real worker and a real task that writes past the area's size, and the
`hivemind-desktop task-area` command as a subprocess for its refusals."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from hivemind_desktop.core import task_area
from hivemind_desktop.core.instance_lock import DataFolderLock
from hivemind_desktop.core.models import TaskState
from hivemind_desktop.core.worker import Worker
from tests.kit import free_port, make_zip, wait_for
from tests.kit.worker import SCRIPT, WorkerChannel, clean_env, running_worker, worker_settings

pytestmark = pytest.mark.docker

AREA_BYTES = 64 * 2**20
AREA_GB = AREA_BYTES / 2**30
NOBODY = 65534
# Writes 1 MiB blocks as fast as it can, far past the area, then says it finished.
WRITER = make_zip(
    {
        "main.py": (
            "import os\n"
            "print('writing', flush=True)\n"
            "block = os.urandom(1 << 20)\n"
            "with open('fill.bin', 'wb') as f:\n"
            "    for _ in range(1024):\n"
            "        f.write(block)\n"
            "        f.flush()\n"
            "print('wrote 1 GiB unhindered', flush=True)\n"
        )
    }
)


@pytest.fixture(autouse=True, scope="module")
def _root() -> None:
    if os.geteuid() != 0:
        pytest.fail("the task area tests need root (CI runs them as root)", pytrace=False)


def loop_devices(image: Path) -> str:
    return subprocess.run(
        ["losetup", "-n", "-j", str(image)], capture_output=True, text=True, check=True
    ).stdout.strip()


def tear_down(data: Path, image_dir: Path, fstab: Path) -> None:
    """Whatever a test left: no mount, no loop device, no image (runs even on failure)."""
    tasks = data / "tasks"
    image = task_area.image_path(Path(os.path.realpath(data)), image_dir)
    try:
        task_area.remove(data, image_dir=image_dir, fstab=fstab)
    except task_area.TaskAreaError:
        pass
    if os.path.ismount(tasks):
        subprocess.run(["umount", "-l", str(tasks)], check=False)
    for device in loop_devices(image).splitlines():
        subprocess.run(["losetup", "-d", device.split(":")[0]], check=False)
    image.unlink(missing_ok=True)


def cli(env: dict[str, str], *args: str, user: int | None = None) -> subprocess.CompletedProcess:
    prefix = []
    if user is not None:
        prefix = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]
    return subprocess.run(
        [*prefix, str(SCRIPT), "task-area", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def area(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Path]]:
    """(data dir, image dir, fstab) with a 64 MiB area mounted at data/tasks, the data
    folder owned by nobody (so the area's default owner is visible)."""
    root = tmp_path_factory.mktemp("area")
    data, image_dir, fstab = root / "data", root / "images", root / "fstab"
    data.mkdir()
    os.chown(data, NOBODY, NOBODY)
    try:
        done = task_area.create(
            data, AREA_GB, image_dir=image_dir, fstab=fstab, min_bytes=AREA_BYTES
        )
        assert any("mounted it at" in line for line in done), done
        yield data, image_dir, fstab
    finally:
        tear_down(data, image_dir, fstab)


@pytest.fixture(scope="module")
def worker(
    area: tuple[Path, Path, Path], task_images: None, docker_client: docker.DockerClient
) -> Iterator[Worker]:
    data = area[0]
    settings = worker_settings(
        data.parent,
        f"127.0.0.1:{free_port()}",  # no pool: results stay in the outbox
        data_dir=str(data),
        task_disk_budget_mb=1024,  # far more than the area: only the area can stop it
    )
    with running_worker(settings, docker_client) as w:
        yield w


def test_the_area_is_mounted_sized_and_owned(area: tuple[Path, Path, Path]) -> None:
    data, image_dir, _ = area
    tasks = data / "tasks"
    assert os.path.ismount(tasks)
    st = os.stat(tasks)
    assert (st.st_uid, st.st_gid) == (NOBODY, NOBODY)  # the data folder's owner
    assert st.st_mode & 0o777 == 0o700
    assert os.listdir(tasks) == []  # no lost+found to look like a task
    total = shutil.disk_usage(tasks).total
    assert AREA_BYTES * 0.8 < total <= AREA_BYTES
    image = task_area.image_path(data, image_dir)
    ist = os.stat(image)
    assert (ist.st_uid, ist.st_mode & 0o777) == (0, 0o600)
    assert ist.st_blocks * 512 < AREA_BYTES  # sparse
    mounts = Path("/proc/self/mounts").read_text().splitlines()
    line = next(m for m in mounts if m.split()[1] == str(tasks))
    assert {"nosuid", "nodev"} <= set(line.split()[3].split(","))
    status = task_area.status(data)
    assert status.limited and status.source == str(image)


def test_a_task_writing_past_the_area_fails_and_the_area_never_holds_more(
    area: tuple[Path, Path, Path], worker: Worker
) -> None:
    tasks = area[0] / "tasks"
    peak, largest = [0], [0]  # most bytes used, largest file system size seen
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            st = os.statvfs(tasks)
            largest[0] = max(largest[0], st.f_blocks * st.f_frsize)
            peak[0] = max(peak[0], (st.f_blocks - st.f_bfree) * st.f_frsize)
            stop.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    channel = WorkerChannel(worker.settings)
    try:
        reply = channel.execute("area-hog", WRITER)
        assert reply.success, reply.message

        def ended():
            record = worker.task("area-hog")
            return record if record and record.state == TaskState.UPLOADING else None

        record = wait_for(ended, "the task to end", timeout=120)
        wait_for(lambda: worker.running_count() == 0, "the slot to be free")
    finally:
        stop.set()
        sampler.join(timeout=5)
        channel.close()
    assert record.outcome == "failed", record.message
    assert "disk budget" not in record.message  # the kernel stopped it, not the guard
    output = worker.task_output("area-hog")
    assert "writing" in output and "wrote 1 GiB unhindered" not in output
    assert "No space left on device" in output, output[-2000:]
    assert 0 < largest[0] <= AREA_BYTES
    assert 0 < peak[0] <= AREA_BYTES
    assert peak[0] > AREA_BYTES // 2  # it did fill the area
    detail = worker.health()["checks"]["disk"]["detail"]
    assert "in its own size-limited area" in detail


def test_refused_while_a_worker_runs_on_the_folder(
    area: tuple[Path, Path, Path], worker: Worker
) -> None:
    data = area[0]
    env = clean_env(data.parent)
    for args in (["remove"], ["create", "--size-gb", "1"]):
        result = cli(env, *args, "--data-dir", str(data))
        assert result.returncode == 1, result
        assert "another HiveMind worker" in result.stderr, result.stderr
        assert f"(process {os.getpid()})" in result.stderr
    assert os.path.ismount(data / "tasks")  # untouched
    status = cli(env, "status", "--data-dir", str(data))
    assert status.returncode == 0, status
    assert "is a size-limited area of " in status.stdout
    assert str(task_area.image_path(data, area[1])) in status.stdout


def test_refused_when_task_folders_exist(tmp_path: Path) -> None:
    data, image_dir, fstab = tmp_path / "data", tmp_path / "images", tmp_path / "fstab"
    (data / "tasks" / "old-task").mkdir(parents=True)
    (data / "tasks" / "old-task" / "console.log").write_text("done\n")
    try:
        with pytest.raises(task_area.TaskAreaError, match="holds 1 task folder"):
            task_area.create(data, AREA_GB, image_dir=image_dir, fstab=fstab, min_bytes=AREA_BYTES)
        assert not os.path.ismount(data / "tasks")
        assert not task_area.image_path(data, image_dir).exists()
        assert (data / "tasks" / "old-task" / "console.log").exists()
    finally:
        tear_down(data, image_dir, fstab)


def test_refused_held_lock_and_sizes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    env = clean_env(tmp_path)
    small = cli(env, "create", "--size-gb", "0.5", "--data-dir", str(data))
    assert small.returncode == 1 and "too small" in small.stderr, small
    huge = cli(env, "create", "--size-gb", "1000000", "--data-dir", str(data))
    assert huge.returncode == 1 and "more than the" in huge.stderr, huge
    lock = DataFolderLock(data)  # what a worker holds for its whole life
    lock.acquire()
    try:
        held = cli(env, "create", "--size-gb", "1", "--data-dir", str(data))
    finally:
        lock.release()
    assert held.returncode == 1 and "another HiveMind worker" in held.stderr, held
    assert not os.path.ismount(data / "tasks")


def test_refused_for_a_non_root_user(tmp_path: Path) -> None:
    env = {
        **clean_env(tmp_path),
        "HOME": "/nonexistent",
        "HIVEMIND_CONFIG_FILE": "/nonexistent/config.toml",
    }
    for args in (["create", "--size-gb", "1"], ["remove"]):
        result = cli(env, *args, "--data-dir", str(tmp_path), user=NOBODY)
        assert result.returncode == 2, result
        assert "needs root: run it with sudo" in result.stderr
        assert "Traceback" not in result.stderr


def test_persist_adds_one_fstab_line_and_remove_undoes_everything(tmp_path: Path) -> None:
    data, image_dir, fstab = tmp_path / "my data", tmp_path / "images", tmp_path / "fstab"
    data.mkdir()
    fstab.write_text("UUID=abc / ext4 defaults 0 1\n")
    image = task_area.image_path(data, image_dir)
    try:
        task_area.create(
            data,
            AREA_GB,
            persist_fstab=True,
            image_dir=image_dir,
            fstab=fstab,
            min_bytes=AREA_BYTES,
        )
        line = task_area.fstab_line(image, data / "tasks")
        assert "my\\040data/tasks ext4 loop,nosuid,nodev,nofail" in line
        assert fstab.read_text().splitlines().count(line) == 1
        assert not task_area.persist(image, data / "tasks", fstab)  # idempotent
        assert fstab.read_text().splitlines().count(line) == 1
        assert loop_devices(image)

        done = task_area.remove(data, image_dir=image_dir, fstab=fstab)
        assert any("unmounted" in d for d in done), done
        assert not os.path.ismount(data / "tasks")
        assert not image.exists()
        assert loop_devices(image) == ""
        assert fstab.read_text() == "UUID=abc / ext4 defaults 0 1\n"
    finally:
        tear_down(data, image_dir, fstab)
