"""`hivemind-desktop demo`: the whole network on one machine.

Starts a local node pool on loopback, a worker signed in to it (advertising 127.0.0.2,
since the pool skips nodes registered as 127.0.0.1), submits the sample tasks, and prints
each result as the pool returns it. With --gui the desktop app opens on the same worker.
"""

from __future__ import annotations

import dataclasses
import secrets
import socket
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hivemind_desktop.core.docker_runner import DockerRunner
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.demo_tasks import sample_tasks
from hivemind_desktop.nodepool.models import UserSpec
from hivemind_desktop.nodepool.server import NodePool
from hivemind_desktop.nodepool.submit import SubmitError, submit_folder

DEMO_USER = "demo-volunteer"
SUBMITTER = "demo-scientist"
IMAGES = ("hivemind/task-python:latest", "hivemind/task-busybox:latest")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def check_images(runner: DockerRunner) -> str:
    status = runner.status()
    if not status.available:
        return status.reason
    missing = [image for image in IMAGES if not runner.has_image(image)]
    if missing:
        return (
            f"task image(s) {', '.join(missing)} not installed: run scripts/build_task_images "
            "(or ./run-demo, which does all the set-up)"
        )
    return ""


def run_demo(base: Settings, *, gui: bool = False, task_count: int = 3) -> int:
    problem = check_images(DockerRunner(install_id="demo-check"))
    if problem:
        print(f"hivemind-desktop demo: {problem}", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="hivemind-demo-"))
    volunteer_pw, scientist_pw = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    pool = NodePool(
        listen=f"127.0.0.1:{free_port()}",
        users=[UserSpec(DEMO_USER, volunteer_pw), UserSpec(SUBMITTER, scientist_pw, 1000)],
        data_dir=scratch / "pool",
        dispatch_interval_s=1.0,
    ).start()
    settings = dataclasses.replace(
        base,
        master_address=pool.address,
        advertise_address="127.0.0.2",
        busy_cpu_percent=0,  # the machine's own load (tests, CI) must not freeze tasks
        allowed_peers=("127.0.0.1",),
        node_port=free_port("127.0.0.2"),
        status_port=0,
        username=DEMO_USER,
        password=volunteer_pw,
        max_cpu_cores=max(1.0, base.max_cpu_cores),
        data_dir=str(scratch / "worker"),
        log_dir=str(scratch / "logs"),
    )
    print(f"local node pool on {pool.address}; worker on 127.0.0.2:{settings.node_port}")
    print(f"demo data in {scratch}")
    if gui:
        from hivemind_desktop.gui.app import run_gui

        threading.Thread(
            target=_submit_all, args=(pool.address, scientist_pw, scratch, task_count), daemon=True
        ).start()
        try:
            return run_gui(settings, first_run_wizard=False)
        finally:
            pool.stop()

    from hivemind_desktop.core.logs import setup_logging
    from hivemind_desktop.core.worker import Worker

    worker = Worker(settings, log=setup_logging(settings.log_path))
    worker.start()
    try:
        ok = _submit_all(pool.address, scientist_pw, scratch, task_count)
        snap = worker.snapshot()
        print(
            f"worker {snap.node_id}: trust {snap.trust_score}/100 ({snap.trust_group}), "
            f"earned {pool.balance(DEMO_USER)} CPT, {snap.counts['completed']} tasks completed"
        )
    finally:
        worker.shutdown()
        pool.stop()
    snap_line = f"results in {scratch / 'results'}"
    print(("all sample tasks succeeded; " if ok else "some sample tasks failed; ") + snap_line)
    return 0 if ok else 1


def _submit_all(pool_address: str, password: str, scratch: Path, count: int) -> bool:
    folders = (sample_tasks() * (count // len(sample_tasks()) + 1))[:count]

    def one(index_folder: tuple[int, Path]) -> bool:
        index, folder = index_folder
        task_id = f"demo-{index + 1}-{folder.name}"
        try:
            result = submit_folder(
                folder,
                pool_address,
                SUBMITTER,
                password,
                task_id=task_id,
                cpu_score=50,
                memory_gb=1,
                out=scratch / "results" / task_id,
                timeout=300,
            )
        except SubmitError as exc:
            print(f"  {task_id}: {exc}")
            return False
        output = (result.out_dir / "task_logs.txt").read_text().strip() if result.out_dir else ""
        print(f"  {task_id}: {result.status} / {result.run_status} -> {output.splitlines()[-1:]}")
        return result.ok

    with ThreadPoolExecutor(max_workers=min(count, 6)) as pool:
        return all(pool.map(one, enumerate(folders)))
