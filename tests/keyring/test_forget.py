"""`hivemind-desktop forget` (what the Windows uninstaller runs when the volunteer agrees to
remove their data): against a real Secret Service, a real Docker engine and real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docker
import pytest

from hivemind_desktop.core.credentials import SERVICE, Credentials
from hivemind_desktop.core.docker_runner import LABEL_INSTALL, LABEL_MANAGED, LABEL_TASK
from hivemind_desktop.core.instance_lock import DataFolderLock
from hivemind_desktop.core.store import Store
from hivemind_desktop.core.vpn.config import DEFAULT_CONFIG_NAME
from tests.kit import REPO
from tests.kit.docker_images import BUSYBOX_IMAGE
from tests.kit.secret_service import secret_lookup

pytestmark = [pytest.mark.keyring, pytest.mark.docker]


def forget(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    folders = ["--config", str(tmp_path / "cfg" / "config.toml"),
               "--data-dir", str(tmp_path / "wdata"), "--log-dir", str(tmp_path / "logs")]
    return subprocess.run(
        [sys.executable, "-m", "hivemind_desktop", *folders, "forget", *extra],
        capture_output=True, text=True, timeout=120, cwd=REPO, stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.fixture
def installed(tmp_path: Path, secret_service, task_images):
    """What a volunteer's computer holds after using the app: settings, a WireGuard config,
    the store with its install id (not under tmp_path/data: the keyring daemon keeps its
    files there), logs, a remembered sign-in, a task container; plus a
    container that is not ours (another install's), which must survive."""
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "config.toml").write_text('master_address = "10.0.0.1:50051"\n')
    (tmp_path / "cfg" / DEFAULT_CONFIG_NAME).write_text("[Interface]\nPrivateKey = x\n")
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "hivemind.log").write_text("a log line\n")
    store = Store(tmp_path / "wdata" / "worker.sqlite3")
    install_id = f"forget{os.getpid()}"
    store.set_value("install_id", install_id)
    store.close()
    Credentials(SERVICE).save("vol", "the password")
    client = docker.from_env()
    made = []
    for install in (install_id, f"other{os.getpid()}"):
        made.append(
            client.containers.run(
                BUSYBOX_IMAGE, ["sleep", "300"], detach=True, network_mode="none",
                labels={LABEL_MANAGED: "1", LABEL_INSTALL: install, LABEL_TASK: "t1"},
            )  # fmt: skip
        )
    yield {"ours": made[0].id, "other": made[1].id, "env": secret_service}
    for container in made:
        try:
            container.remove(force=True)
        except docker.errors.NotFound:
            pass
    client.close()


def exists(container_id: str) -> bool:
    client = docker.from_env()
    try:
        client.containers.get(container_id)
        return True
    except docker.errors.NotFound:
        return False
    finally:
        client.close()


def test_forget_removes_what_the_app_left_and_nothing_else(tmp_path, installed):
    done = forget(tmp_path, "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "task containers: removed (1 removed)" in done.stdout
    assert "remembered sign-in (OS keyring): removed" in done.stdout
    assert not exists(installed["ours"])
    assert exists(installed["other"])  # another install's container is never touched
    assert Credentials(SERVICE).load() is None
    assert secret_lookup(installed["env"], SERVICE, "vol") is None
    for gone in ("cfg/config.toml", f"cfg/{DEFAULT_CONFIG_NAME}", "wdata", "logs"):
        assert not (tmp_path / gone).exists(), gone
    again = forget(tmp_path, "--yes")  # nothing left: every step says so, still success
    assert again.returncode == 0 and "did not exist" in again.stdout


def test_forget_refuses_while_the_app_runs_and_without_consent(tmp_path, installed):
    asked = forget(tmp_path)  # without --yes: nothing happens
    assert asked.returncode == 2 and "--yes" in asked.stderr
    lock = DataFolderLock(tmp_path / "wdata")  # a running worker holds its data folder
    lock.acquire()
    try:
        refused = forget(tmp_path, "--yes")
    finally:
        lock.release()
    assert refused.returncode == 1
    assert "still running" in refused.stderr and "--quit" in refused.stderr
    assert exists(installed["ours"])
    assert Credentials(SERVICE).load() == ("vol", "the password")
    assert (tmp_path / "cfg" / DEFAULT_CONFIG_NAME).exists()
    assert (tmp_path / "wdata" / "worker.sqlite3").exists()


def test_an_unreadable_store_is_said_and_the_rest_still_goes(tmp_path, installed):
    """A store from a newer HiveMind (or not a database at all) cannot name this install's
    containers: that step says why and fails, every other step still runs."""
    import sqlite3

    db = sqlite3.connect(tmp_path / "wdata" / "worker.sqlite3")
    db.execute("PRAGMA user_version = 999")
    db.commit()
    db.close()
    done = forget(tmp_path, "--yes")
    assert done.returncode == 1
    assert "task containers: not removed (the task store" in done.stdout
    assert "Traceback" not in done.stderr
    assert exists(installed["ours"])  # not named, so not touched
    assert Credentials(SERVICE).load() is None
    assert not (tmp_path / "cfg" / DEFAULT_CONFIG_NAME).exists()
