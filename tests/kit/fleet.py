"""Several real headless workers with their remote status API on, each on its own
loopback address, and the `hivemind-desktop pair` command run beside one of them: what
the Computers page and bench/bench_fleet_gui.py watch."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.kit import free_port
from tests.kit.worker import SCRIPT, Headless, clean_env

NO_POOL = "127.0.0.1:9"  # nothing answers: a worker runs signed out, watched all the same


@dataclass
class RemoteWorker:
    """One `hivemind-desktop --headless` with remote access on `host`."""

    root: Path
    host: str
    port: int
    env: dict[str, str]
    process: Headless | None = None

    @property
    def key(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> RemoteWorker:
        self.process = Headless(self.env)
        return self

    def wait_serving(self) -> None:
        assert self.process is not None
        self.process.wait_serving()

    def stop(self, sig: int = 15) -> None:
        if self.process is not None:
            self.process.stop(sig)
            self.process = None

    def pair(self, *flags: str) -> str:
        """The pairing link `hivemind-desktop pair` prints (flags: --control, --file F)."""
        done = subprocess.run(
            [str(SCRIPT), "pair", *flags], env=self.env, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return next(x.strip() for x in done.stdout.splitlines() if x.startswith("  "))

    def run_pair(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SCRIPT), "pair", *args], env=self.env, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip


def remote_worker(root: Path, host: str) -> RemoteWorker:
    """A headless worker's settings (not started): its own data folder, status port and
    remote API on `host`, registered as `host` with no reachable pool."""
    root.mkdir(parents=True, exist_ok=True)
    port = free_port(host)
    env = clean_env(root) | {
        "FLASK_PORT": str(free_port()),
        "MASTER_ADDRESS": NO_POOL,
        "NODE_PORT": str(free_port(host)),
        "HIVEMIND_ADVERTISE_ADDRESS": host,
        "HIVEMIND_ALLOWED_PEERS": "127.0.0.1",
        "HIVEMIND_BUSY_CPU_PERCENT": "0",
        "HIVEMIND_REMOTE_API_ADDRESS": host,
        "HIVEMIND_REMOTE_API_PORT": str(port),
        "HIVEMIND_SHARE_GPU": "false",
        "MAX_CPU_CORES": "1",
        "MAX_MEMORY_GB": "1",
    }
    return RemoteWorker(root, host, port, env)


def start_remote_workers(root: Path, count: int, first: int = 11) -> list[RemoteWorker]:
    """`count` headless workers on 127.0.0.<first>... started together, each serving."""
    workers = [
        remote_worker(root / f"w{i}", f"127.0.0.{first + i}").start() for i in range(count)
    ]
    try:
        for worker in workers:
            worker.wait_serving()
    except BaseException:
        for worker in workers:
            worker.stop()
        raise
    return workers
