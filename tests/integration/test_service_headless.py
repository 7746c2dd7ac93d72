"""The headless worker started the way the system service starts it, as real processes:
the password from systemd's credential folder (never the environment), the log into the
stream JOURNAL_STREAM names (no file), a real node pool on loopback; and the refusals
(a password file others may read, no username) that stop it before anything is written.
Then `--service --self-test` on a unit file, with a real second user and the real engine.
"""

from __future__ import annotations

import os
import pwd
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from hivemind_desktop.core.service_password import CREDENTIAL_NAME
from hivemind_desktop.nodepool import NodePool
from tests.kit import REPO, free_port, wait_for
from tests.kit.worker import SCRIPT, USERS, WORKER_HOST, WORKER_USER, clean_env

UNIT_SOURCE = REPO / "installer/linux/hivemind-desktop.service"


@pytest.fixture
def pool_users():
    return USERS


def stream_id(path: Path) -> str:
    info = os.stat(path)
    return f"{info.st_dev}:{info.st_ino}"


def service_config(tmp_path: Path, pool: NodePool, **extra: str) -> Path:
    """What an admin writes in /etc/hivemind-desktop/config.toml: no password."""
    lines = {
        "master_address": pool.address,
        "username": WORKER_USER.name,
        "advertise_address": WORKER_HOST,
        "node_port": free_port(WORKER_HOST),
        "status_port": free_port(),
        "busy_cpu_percent": 0,
        **extra,
    }
    config = tmp_path / "config.toml"
    config.write_text(
        "".join(
            f"{k} = {v}\n" if isinstance(v, int) else f'{k} = "{v}"\n' for k, v in lines.items()
        ),
        encoding="utf-8",
    )
    return config


def credentials_folder(tmp_path: Path, password: str) -> Path:
    """As systemd makes it: the folder 0500, the credential 0400, the service user's."""
    folder = tmp_path / "credentials"
    folder.mkdir()
    (folder / CREDENTIAL_NAME).write_text(password + "\n", encoding="utf-8")
    os.chmod(folder / CREDENTIAL_NAME, 0o400)
    os.chmod(folder, 0o500)
    return folder


@pytest.fixture
def service_env(tmp_path: Path) -> dict[str, str]:
    env = clean_env(tmp_path)
    env.pop("HIVEMIND_PASSWORD", None)
    env.pop("HIVEMIND_USERNAME", None)
    return env


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "journal"
    path.touch()
    yield path


@pytest.mark.docker
def test_started_like_the_service_it_signs_in_from_the_credential_and_logs_to_the_journal(
    make_pool, tmp_path: Path, service_env: dict[str, str], journal: Path
) -> None:
    pool = make_pool()
    config = service_config(tmp_path, pool)
    creds = credentials_folder(tmp_path, WORKER_USER.password)
    service_env.update(
        HIVEMIND_CONFIG_FILE=str(config),
        CREDENTIALS_DIRECTORY=str(creds),
        JOURNAL_STREAM=stream_id(journal),
    )
    with open(journal, "a") as out:
        proc = subprocess.Popen(
            [str(SCRIPT), "--headless"],
            env=service_env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )
    try:

        def registered() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"the worker exited: {journal.read_text()}")
            return pool.node(WORKER_USER.name) is not None

        wait_for(registered, "the worker to register with the pool", timeout=90)
        node = pool.node(WORKER_USER.name)
        assert node is not None and node.hostname == WORKER_HOST
        # The password is in no place another process can read it from.
        environ = Path(f"/proc/{proc.pid}/environ").read_bytes()
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        secret = WORKER_USER.password.encode()
        assert secret not in environ and secret not in cmdline
        assert b"HIVEMIND_PASSWORD" not in environ
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    text = journal.read_text()
    assert code == 0, text
    assert WORKER_USER.password not in text
    lines = text.splitlines()
    # Log records carry sd-daemon priorities; the start-up line is plain stdout.
    assert any(
        line.startswith("<6>") and f"password read from the systemd credential {creds}" in line
        for line in lines
    ), text
    assert any(line.startswith("<6>") for line in lines if "sign" in line.lower()), text
    assert any(line.startswith("HiveMind worker worker1 serving on") for line in lines), text
    assert not (tmp_path / "logs").exists()  # the journal holds the log: no second copy


@pytest.mark.parametrize(
    ("mode", "username", "expected"),
    [
        (0o644, WORKER_USER.name, "can be read or changed by other users (mode 0644)"),
        (0o600, "", "no username: set username in the config file"),
    ],
)
def test_refusals_stop_it_before_anything_is_written(
    make_pool,
    tmp_path: Path,
    service_env: dict[str, str],
    mode: int,
    username: str,
    expected: str,
) -> None:
    pool = make_pool()
    password_file = tmp_path / "password"
    password_file.write_text(WORKER_USER.password, encoding="utf-8")
    os.chmod(password_file, mode)
    config = service_config(tmp_path, pool, password_file=str(password_file))
    if not username:
        config.write_text(
            "\n".join(line for line in config.read_text().splitlines() if "username" not in line)
        )
    service_env["HIVEMIND_CONFIG_FILE"] = str(config)
    done = subprocess.run(
        [str(SCRIPT), "--headless"], env=service_env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hivemind-desktop: "), done.stderr
    assert expected in lines[0]
    assert WORKER_USER.password not in done.stderr + done.stdout
    assert not (tmp_path / "data").exists() and not (tmp_path / "logs").exists()
    assert pool.node(WORKER_USER.name) is None
    assert (password_file.stat().st_mode & 0o777) == mode  # the file is left as it was


# -- --service --self-test ----------------------------------------------------------------


def unit_copy(tmp_path: Path, user: str, config: Path, password_file: Path) -> Path:
    """The shipped unit with only what a test must move: its user, config and password
    file. Everything else (the checks' subject) is the real text."""
    text = UNIT_SOURCE.read_text()
    text = text.replace("User=hivemind", f"User={user}").replace("Group=hivemind\n", "")
    text = text.replace("/etc/hivemind-desktop/config.toml", str(config))
    text = text.replace("/etc/hivemind-desktop/password", str(password_file))
    text = text.replace("/etc/default/hivemind-desktop", str(tmp_path / "default"))
    directives = [line for line in text.splitlines() if not line.startswith("#")]
    assert sum(str(tmp_path) in line for line in directives) == 3  # the three moved
    path = tmp_path / "hivemind-desktop.service"
    path.write_text(text)
    return path


def self_test(unit: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**env, "HIVEMIND_SERVICE_UNIT": str(unit)}
    return subprocess.run(
        [str(SCRIPT), "--service", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def line_of(report: str, name: str) -> str:
    found = [line for line in report.splitlines() if line[6:].startswith(name + " ")]
    assert found, report
    return found[0]


@pytest.fixture
def docker_user() -> Iterator[str]:
    """A real system user in the engine socket's group, removed afterwards."""
    if os.geteuid() != 0:
        pytest.fail("this test makes a user: run it as root (CI does)")
    name = f"hmsvc{os.getpid() % 100000}"
    group = Path("/var/run/docker.sock").stat().st_gid
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
         "-G", str(group), name],
        check=True,
    )  # fmt: skip
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False)


@pytest.mark.docker
def test_service_self_test_passes_for_a_user_with_engine_access(
    make_pool, tmp_path: Path, service_env: dict[str, str], docker_user: str
) -> None:
    pool = make_pool()
    password_file = tmp_path / "password"
    password_file.write_text(WORKER_USER.password + "\n")
    os.chmod(password_file, 0o600)
    unit = unit_copy(tmp_path, docker_user, service_config(tmp_path, pool), password_file)
    service_env["HIVEMIND_PASSWORD"] = "the admin's own, ignored"  # the service never sees it
    done = self_test(unit, service_env)
    report = done.stdout
    assert done.returncode == 0, report + done.stderr
    assert f"runs as {docker_user}; disabled" in line_of(report, "service")
    assert line_of(report, "engine access").startswith("OK")
    assert "root-equivalent" in line_of(report, "engine access")
    assert line_of(report, "password").startswith(f"OK    password    {password_file}")
    assert line_of(report, "account") == (
        f"OK    account     {WORKER_USER.name} signs in at {pool.address}"
    )
    assert "keyring" not in report  # a service has none, and needs none
    assert WORKER_USER.password not in report


@pytest.mark.docker
def test_service_self_test_names_each_problem_with_its_fix(
    make_pool, tmp_path: Path, service_env: dict[str, str]
) -> None:
    pool = make_pool()
    password_file = tmp_path / "password"
    password_file.write_text("not-the-password\n")
    os.chmod(password_file, 0o600)
    unit = unit_copy(tmp_path, "nobody", service_config(tmp_path, pool), password_file)
    done = self_test(unit, service_env)
    assert done.returncode == 1
    access = line_of(done.stdout, "engine access")
    assert access.startswith("FAIL") and "the service user nobody cannot use" in access
    assert "sudo adduser nobody" in access
    assert line_of(done.stdout, "account").startswith(f"FAIL  account     {WORKER_USER.name}:")

    os.chmod(password_file, 0o640)
    done = self_test(unit, service_env)
    password = line_of(done.stdout, "password")
    assert password.startswith("FAIL") and f"chmod 600 {password_file}" in password

    password_file.unlink()
    done = self_test(unit, service_env)
    password = line_of(done.stdout, "password")
    assert "does not exist" in password and f"install -m 600 /dev/null {password_file}" in password


def test_service_flag_refuses_to_start_the_worker_itself(service_env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(SCRIPT), "--service", "--headless"],
        env=service_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "systemctl enable --now hivemind-desktop" in done.stderr


def test_nobody_exists() -> None:
    """The self-test above relies on a user outside the docker group."""
    user = pwd.getpwnam("nobody")
    assert Path("/var/run/docker.sock").stat().st_gid not in os.getgrouplist("nobody", user.pw_gid)


@pytest.mark.docker
def test_prepare_service_makes_the_parent_cgroup_the_service_user_may_then_use(
    service_env: dict[str, str],
) -> None:
    """The unit's ExecStartPre=+ (root) makes the tasks' lowest-weight parent cgroup;
    the worker, as a user who may not make it, then finds it ready instead of warning."""
    from hivemind_desktop.core.docker_runner import _make_low_priority_parent

    done = subprocess.run(
        [str(SCRIPT), "prepare-service"], env=service_env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "parent cgroup at the lowest CPU weight: ready" in done.stdout  # cgroupfs here
    assert Path("/sys/fs/cgroup/cpu/hivemind-tasks/cpu.shares").read_text().strip() == "2"
    nobody = pwd.getpwnam("nobody")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # as nobody, as the service's user would be: no write access to cgroups
        try:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            ready = _make_low_priority_parent({"CgroupDriver": "cgroupfs", "CgroupVersion": "1"})
            os.write(write_end, b"ready" if ready else b"refused")
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    assert answer == b"ready"


def test_service_commands_use_the_units_settings_not_the_callers(
    tmp_path: Path, service_env: dict[str, str]
) -> None:
    """`--service status` / `task-area status` read the data folder and port the unit
    gives the worker, whatever the admin's own environment says."""
    data = tmp_path / "service-data"
    port = free_port()
    config = tmp_path / "config.toml"
    config.write_text(f"status_port = {port}\n")
    text = UNIT_SOURCE.read_text().replace("/var/lib/hivemind-desktop/worker", str(data))
    text = text.replace("/etc/hivemind-desktop/config.toml", str(config))
    unit = tmp_path / "hivemind-desktop.service"
    unit.write_text(text)
    env = {
        **service_env,
        "HIVEMIND_SERVICE_UNIT": str(unit),
        "HIVEMIND_DATA_DIR": str(tmp_path / "the-admins-own"),
        "FLASK_PORT": "1",
    }
    done = subprocess.run(
        [str(SCRIPT), "--service", "task-area", "status"], env=env, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{data}/tasks is not a size-limited area")
    done = subprocess.run(
        [str(SCRIPT), "--service", "status"], env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert f"no worker answers on http://127.0.0.1:{port}" in done.stderr
    assert not (tmp_path / "the-admins-own").exists()
