"""A throwaway non-root user with its own rootless Podman API service: what a volunteer
who is not in the docker group has.

The fixture (root only, as CI runs) creates the user with subordinate uid/gid ranges and
a runtime folder, starts `podman system service --time=0 unix://$XDG_RUNTIME_DIR/podman/
podman.sock` as that user, copies the task images into the user's own image store with
scripts/import_task_images_rootless, and stages the worker's code where the user can read
it (the repository and the venv's interpreter may sit under /root). Everything it made is
removed afterwards: the user's processes (by pid), the user, its ranges and folders.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from tests.kit import REPO, wait_for

SYSTEM_PYTHON = "/usr/bin/python3"  # world-executable, unlike a venv made from pyenv
# What `hivemind_desktop.core.docker_runner` and `selftest` import from site-packages.
PACKAGES = (
    "certifi", "charset_normalizer", "docker", "idna", "platformdirs", "psutil", "requests",
    "urllib3",
)  # fmt: skip
PROBE = Path(__file__).with_name("rootless_probe.py")
RANGE = 65536
# cgroup v2 has one unified hierarchy with cgroup.controllers at its root; this machine
# kind is v1, where an ordinary user can set no limits (machine.md).
CGROUP_V1 = not Path("/sys/fs/cgroup/cgroup.controllers").exists()


@dataclass(frozen=True)
class RootlessUser:
    name: str
    uid: int
    home: Path
    runtime: Path  # its XDG_RUNTIME_DIR
    stage: Path  # the worker's code, readable by the user

    @property
    def socket(self) -> Path:
        return self.runtime / "podman" / "podman.sock"

    def env(self, **extra: str) -> dict[str, str]:
        base = {
            "HOME": str(self.home),
            "USER": self.name,
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "XDG_RUNTIME_DIR": str(self.runtime),
            "PYTHONPATH": str(self.stage),
            "PYTHONDONTWRITEBYTECODE": "1",
            "LANG": "C.UTF-8",
        }
        return base | extra

    def run(
        self, argv: list[str], env: dict[str, str] | None = None, **kw
    ) -> subprocess.CompletedProcess:
        settings = [f"{k}={v}" for k, v in (env or self.env()).items()]
        return subprocess.run(
            ["runuser", "-u", self.name, "--", "env", "-i", *settings, *argv],
            cwd="/",
            capture_output=True,
            text=True,
            timeout=kw.pop("timeout", 180),
            **kw,
        )

    def probe(self, scenario: str, *args: str, env: dict[str, str] | None = None) -> dict:
        """Run tests/kit/rootless_probe.py SCENARIO as the user; its JSON answer."""
        done = self.run([SYSTEM_PYTHON, str(self.stage / PROBE.name), scenario, *args], env)
        if done.returncode != 0:
            raise AssertionError(f"probe {scenario} failed ({done.returncode}): {done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def _free_range() -> int:
    """A subordinate id range start above every range already given out."""
    top = 200_000
    for table in ("/etc/subuid", "/etc/subgid"):
        try:
            lines = Path(table).read_text().splitlines()
        except FileNotFoundError:
            continue
        for line in lines:
            parts = line.split(":")
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                top = max(top, int(parts[1]) + int(parts[2]))
    return top


def _stage(into: Path) -> None:
    shutil.copytree(
        REPO / "hivemind_desktop",
        into / "hivemind_desktop",
        ignore=shutil.ignore_patterns("__pycache__", "*.qm"),
    )
    import importlib

    for name in PACKAGES:
        module = importlib.import_module(name)
        source = Path(module.__file__).parent  # type: ignore[arg-type]
        shutil.copytree(source, into / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROBE, into / PROBE.name)
    for root, dirs, files in os.walk(into):
        os.chmod(root, 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)


def _kill_processes_of(uid: int) -> None:
    """End what the user still runs (Podman's pause process, conmon), each by its pid."""
    for proc in psutil.process_iter(["uids"]):
        uids = proc.info["uids"]
        if uids is not None and uids.real == uid:
            try:
                proc.kill()
            except psutil.Error:
                pass
    wait_for(
        lambda: (
            not [
                p
                for p in psutil.process_iter(["uids"])
                if p.info["uids"] and p.info["uids"].real == uid
            ]
        ),
        "the test user's processes to end",
        timeout=20,
    )


@pytest.fixture(scope="module")
def rootless_user(task_images: None) -> Iterator[RootlessUser]:
    if os.geteuid() != 0:
        pytest.fail("rootless-engine tests create a user: run them as root (CI does)")
    for tool in ("podman", "runuser", "useradd", "newuidmap", "catatonit"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: .ci/install-system installs it")
    name = f"hm-rl-{secrets.token_hex(3)}"
    subprocess.run(
        ["useradd", "--create-home", "--user-group", "--shell", "/bin/sh", name], check=True
    )
    service: subprocess.Popen | None = None
    stage = Path(tempfile.mkdtemp(prefix="hm-rootless-"))
    entry = pwd.getpwnam(name)
    runtime = Path(f"/run/user/{entry.pw_uid}")
    try:
        start = _free_range()
        ids = f"{start}-{start + RANGE - 1}"
        subprocess.run(["usermod", "--add-subuids", ids, "--add-subgids", ids, name], check=True)
        runtime.mkdir(parents=True, mode=0o700)
        os.chown(runtime, entry.pw_uid, entry.pw_gid)
        os.chmod(stage, 0o755)
        _stage(stage)
        user = RootlessUser(name, entry.pw_uid, Path(entry.pw_dir), runtime, stage)
        user.run(["mkdir", "-p", str(user.socket.parent)]).check_returncode()
        settings = [f"{k}={v}" for k, v in user.env().items()]
        service = subprocess.Popen(
            ["runuser", "-u", name, "--", "env", "-i", *settings,
             "podman", "system", "service", "--time=0", f"unix://{user.socket}"],
            cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: user.socket.exists() or service.poll() is not None, "Podman's socket")
        if service.poll() is not None:
            pytest.fail(f"podman system service did not start: {service.stderr.read()}")  # type: ignore[union-attr]
        subprocess.run(
            [str(REPO / "scripts" / "import_task_images_rootless"), name],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        yield user
    finally:
        if service is not None:
            os.killpg(service.pid, signal.SIGTERM)  # runuser and the service: our session
            try:
                service.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(service.pid, signal.SIGKILL)
                service.wait()
        _kill_processes_of(entry.pw_uid)
        subprocess.run(["userdel", "--remove", name], capture_output=True)
        for table in ("/etc/subuid", "/etc/subgid"):  # userdel leaves them on some versions
            path = Path(table)
            if path.exists():
                kept = [ln for ln in path.read_text().splitlines() if not ln.startswith(f"{name}:")]
                path.write_text("".join(f"{ln}\n" for ln in kept))
        shutil.rmtree(runtime, ignore_errors=True)
        shutil.rmtree(stage, ignore_errors=True)


ROOTLESS_DOCKERD = (
    "/usr/bin/dockerd-rootless.sh",  # docker-ce-rootless-extras
    "/usr/share/docker.io/contrib/dockerd-rootless.sh",  # Debian's docker.io
)


@pytest.fixture(scope="module")
def rootless_docker(rootless_user: RootlessUser) -> Iterator[Path]:
    """Rootless Docker for the test user (dockerd-rootless.sh under rootlesskit), with the
    task images loaded; yields its socket, $XDG_RUNTIME_DIR/docker.sock. This machine gives
    an ordinary user no /dev/net/tun and no iptables: the daemon runs in the host's network
    namespace with no bridge, which tasks (network none) do not use."""
    script = next((p for p in ROOTLESS_DOCKERD if Path(p).exists()), None)
    if script is None or not shutil.which("rootlesskit"):
        pytest.fail("rootless Docker needs rootlesskit and dockerd-rootless.sh: .ci/install-system")
    sock = rootless_user.runtime / "docker.sock"
    env = rootless_user.env(
        DOCKERD_ROOTLESS_ROOTLESSKIT_NET="host",
        DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER="none",
        PATH=f"/usr/sbin:/usr/bin:/sbin:/bin:{Path(script).parent}",
    )
    settings = [f"{k}={v}" for k, v in env.items()]
    daemon = subprocess.Popen(
        ["runuser", "-u", rootless_user.name, "--", "env", "-i", *settings,
         script, "--iptables=false", "--bridge=none"],
        cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        host = f"unix://{sock}"

        def answers() -> bool:
            if daemon.poll() is not None:
                return True
            done = rootless_user.run(["docker", "-H", host, "version"], timeout=30)
            return done.returncode == 0

        wait_for(answers, "rootless dockerd", timeout=90, interval=0.5)
        if daemon.poll() is not None:
            pytest.fail(f"rootless dockerd did not start: {daemon.stderr.read()[-2000:]}")  # type: ignore[union-attr]
        save = subprocess.Popen(
            ["docker", "save", "hivemind/task-python:latest"], stdout=subprocess.PIPE
        )
        settings_load = [f"{k}={v}" for k, v in rootless_user.env().items()]
        subprocess.run(
            ["runuser", "-u", rootless_user.name, "--", "env", "-i", *settings_load,
             "docker", "-H", host, "load", "-q"],
            stdin=save.stdout, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        save.wait()
        yield sock
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
