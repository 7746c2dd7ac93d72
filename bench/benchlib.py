"""Shared parts of the benchmark scripts: a local node pool + in-process worker wired as
in the demo, trivial task archives, the `docker run --rm` baseline, cleanup, and the
result table.

The baseline runs the very container the worker runs (same image, command, workspace
bind mount and hardening flags, see `docker_run_args`), so a ratio measures what the
worker adds around a container, not what the hardening costs.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python bench/x.py` from a checkout
    sys.path.insert(0, str(ROOT))

from hivemind_desktop.core import events as ev  # noqa: E402
from hivemind_desktop.core import task_runtime  # noqa: E402
from hivemind_desktop.core.docker_runner import (  # noqa: E402
    GIB,
    LOW_PRIORITY_CPU_SHARES,
    WORKSPACE,
)
from hivemind_desktop.core.models import TaskState  # noqa: E402
from hivemind_desktop.core.settings import Settings  # noqa: E402
from hivemind_desktop.nodepool.models import UserSpec  # noqa: E402
from hivemind_desktop.nodepool.server import NodePool  # noqa: E402
from hivemind_desktop.rpc import MAX_MESSAGE_BYTES, pb, pb_grpc  # noqa: E402

IMAGE = "hivemind/task-python:latest"
MAIN_PY = "print(1)\n"
COMMAND = ["python3", "main.py"]  # what the run convention picks for main.py
VOLUNTEER = "bench-volunteer"
BENCH_LABEL = "hivemind.bench"  # on every baseline container, so cleanup finds strays
WORKER_HOST = "127.0.0.2"  # the pool skips nodes registered as 127.0.0.1 (protocol.md §4)
CPU_SCORE = 100  # one core per task, in the worker and in the baseline
MEMORY_GB = 1
PIDS_LIMIT = 256
TMP_MB = 256


class BenchError(RuntimeError):
    """The benchmark cannot run here; the message names the cause and the fix."""


def console_logging(verbose: bool) -> None:
    """Worker logs on stderr: INFO with --verbose, else warnings only (the worker sets
    the root logger to INFO for its own file and memory handlers)."""
    handler = logging.StreamHandler()
    handler.setLevel(logging.INFO if verbose else logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)


def interrupt_on_sigterm() -> None:
    """SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so the cleanup in `finally`
    blocks still removes containers, processes and scratch folders."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def require_docker_and_image(image: str = IMAGE) -> None:
    try:
        done = subprocess.run(
            ["docker", "image", "inspect", image], capture_output=True, text=True, timeout=30
        )
    except FileNotFoundError:
        raise BenchError("docker CLI not found: install docker.io (the baseline uses it)") from None
    if done.returncode != 0:
        if "No such image" in done.stderr:
            raise BenchError(f"image {image} is not installed: run scripts/build_task_images")
        raise BenchError(f"docker does not answer: {done.stderr.strip()[:200]}")


def headless_worker_cmd(
    pool_port: int, node_port: int, status_port: int, scratch: Path
) -> list[str]:
    """`python -m hivemind_desktop --headless` against a local pool on 127.0.0.1, serving
    on WORKER_HOST, its data and logs under `scratch`; the environment signs it in."""
    return [
        sys.executable, "-m", "hivemind_desktop", "--headless",
        "--master-address", f"127.0.0.1:{pool_port}",
        "--advertise-address", WORKER_HOST, "--allowed-peers", "127.0.0.1",
        "--node-port", str(node_port), "--status-port", str(status_port),
        "--data-dir", str(scratch / "worker"), "--log-dir", str(scratch / "logs"),
    ]  # fmt: skip


def task_zip(main_py: str = MAIN_PY) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("main.py", main_py)
    return buf.getvalue()


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


# -- the docker run baseline ---------------------------------------------------------------


def docker_run_args(
    workspace: Path,
    name: str,
    cpu_score: int = CPU_SCORE,
    image: str = IMAGE,
    *,
    low_priority: bool = True,
    command: list[str] | None = None,
    runtime: str = task_runtime.RUNC,
) -> list[str]:
    """`docker run --rm` of the container the worker would start for the same task
    (docker_runner.build_create_kwargs: same limits, CPU weight, user, mounts, init, log
    driver, runtime)."""
    pids = task_runtime.host_pids_limit(runtime, PIDS_LIMIT)
    priority = ["--cpu-shares", str(LOW_PRIORITY_CPU_SHARES)] if low_priority else []
    uid = "1000:1000" if os.geteuid() == 0 else f"{os.getuid()}:{os.getgid()}"
    return [
        "docker", "run", "--rm", "--name", name, "--label", f"{BENCH_LABEL}={os.getpid()}",
        "--init", "--user", uid, "-w", WORKSPACE, "-e", f"TASK_ID={name}",
        "-v", f"{workspace}:{WORKSPACE}:rw",
        "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
        "--runtime", runtime, "--pids-limit", str(pids),
        "--memory", str(MEMORY_GB * GIB), "--memory-swap", str(MEMORY_GB * GIB),
        "--cpu-period", "100000", "--cpu-quota", str(cpu_score * 1000), *priority,
        "--read-only",
        "--tmpfs", f"/tmp:rw,nosuid,nodev,size={TMP_MB}m",  # noqa: S108 (in the container)
        "--ulimit", "nofile=1024:4096", "--log-driver", "json-file",
        "--log-opt", "max-size=20m", "--log-opt", "max-file=3",
        "--network", "none", image, *(command or COMMAND),
    ]  # fmt: skip


def baseline_workspace(parent: Path, index: int) -> Path:
    """A workspace like the worker's: main.py, handed to the task's uid when root."""
    workspace = parent / f"ws-{index}"
    workspace.mkdir(parents=True)
    (workspace / "main.py").write_text(MAIN_PY)
    if os.geteuid() == 0:
        for path in (workspace, workspace / "main.py"):
            os.chown(path, 1000, 1000)
    return workspace


def docker_run_once(
    workspace: Path, name: str, cpu_score: int = CPU_SCORE, runtime: str = task_runtime.RUNC
) -> float:
    """Seconds for one `docker run --rm`; raises BenchError if the task failed."""
    started = time.perf_counter()
    done = subprocess.run(
        docker_run_args(workspace, name, cpu_score, runtime=runtime),
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or done.stdout.strip() != "1":
        raise BenchError(f"baseline docker run failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def remove_bench_containers() -> None:
    """Remove baseline containers this process left (an interrupted run)."""
    listed = subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"label={BENCH_LABEL}={os.getpid()}"],
        capture_output=True,
        text=True,
    )
    ids = listed.stdout.split()
    if ids:
        subprocess.run(["docker", "rm", "-f", *ids], capture_output=True)


def remove_worker_containers(install_id: str) -> None:
    listed = subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"label=hivemind.node={install_id}"],
        capture_output=True,
        text=True,
    )
    ids = listed.stdout.split()
    if ids:
        subprocess.run(["docker", "rm", "-f", *ids], capture_output=True)


def remove_task_containers(task_ids: list[str]) -> None:
    """Remove the worker's containers of these tasks (label hivemind.task), e.g. when
    the worker was stopped before it could clean up."""
    ids: list[str] = []
    for task_id in task_ids:
        listed = subprocess.run(
            ["docker", "ps", "-aq", "--filter", f"label=hivemind.task={task_id}"],
            capture_output=True,
            text=True,
        )
        ids += listed.stdout.split()
    if ids:
        subprocess.run(["docker", "rm", "-f", *ids], capture_output=True)


# -- a real X display for the GUI benchmarks -------------------------------------------------


def stop_process(popen: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL after `timeout`; reaped either way."""
    if popen.poll() is not None:
        return
    popen.send_signal(signal.SIGTERM)
    try:
        popen.wait(timeout)
    except subprocess.TimeoutExpired:
        popen.kill()
        popen.wait(5)


def xdotool(env: dict[str, str], *args: str) -> str:
    """xdotool's output, or "" when it failed (e.g. no window matched)."""
    done = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=20)
    return done.stdout.strip() if done.returncode == 0 else ""


@contextmanager
def xvfb_display(tray: bool = True) -> Iterator[dict[str, str]]:
    """A private Xvfb display (it picks a free number itself, -displayfd) and, with
    `tray`, trayer as the tray host (docs: shared/machine.md). Yields the environment X
    clients need: DISPLAY set, QT_QPA_PLATFORM unset, and no D-Bus session bus (Qt must
    not start a stray one). Both processes are stopped on exit."""
    missing = [tool for tool in ("Xvfb", "trayer", "xdotool") if shutil.which(tool) is None]
    if missing:
        raise BenchError(
            f"{', '.join(missing)} not found: install xvfb, trayer and xdotool (.ci/install-system)"
        )
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    procs = [xvfb]
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()  # "" when Xvfb died: its end of the pipe closed
        if not number:
            raise BenchError("Xvfb did not start: run `Xvfb -displayfd 1` to see why")
        env = dict(os.environ, DISPLAY=f":{number}", DBUS_SESSION_BUS_ADDRESS="disabled:")
        env.pop("QT_QPA_PLATFORM", None)
        if tray:
            procs.append(_start_trayer(env))
        yield env
    finally:
        for proc in reversed(procs):
            stop_process(proc, 10)


def _start_trayer(env: dict[str, str], attempts: int = 3) -> subprocess.Popen:
    """trayer, once its panel window exists; a trayer that exits at once (seen when it
    starts in the same instant as the X server's first client) is started again."""
    why = ""
    for _ in range(attempts):
        with tempfile.TemporaryFile("w+") as log:  # its messages, if it fails
            trayer = subprocess.Popen(
                ["trayer", "--edge", "bottom", "--align", "right", "--widthtype", "pixel",
                 "--width", "200", "--height", "32", "--SetDockType", "true",
                 "--transparent", "false"],
                env=env, stdout=subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and trayer.poll() is None:
                if xdotool(env, "search", "--name", "^panel$"):
                    return trayer
                time.sleep(0.2)
            stop_process(trayer, 5)
            log.seek(0)
            why = f"exit status {trayer.returncode}: {log.read().strip()[-300:]}"
        time.sleep(0.5)
    raise BenchError(f"trayer's panel did not appear on display {env['DISPLAY']} ({why})")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0-100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil
    return ordered[int(rank) - 1]


# -- the worker side -----------------------------------------------------------------------


class Acks:
    """Waits for tasks to reach COMPLETED on the worker: the engine only moves a task
    there once the node pool acknowledged its result upload."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict[str, float] = {}
        self._states: dict[str, TaskState] = {}
        self.phases: dict[str, dict[TaskState, float]] = {}  # first time in each state
        self._waiting: dict[str, threading.Event] = {}

    def on_event(self, event: ev.Event) -> None:
        if event.kind != ev.TASK_CHANGED:
            return
        task = event.data["task"]
        with self._lock:
            self.phases.setdefault(task.task_id, {}).setdefault(task.state, time.perf_counter())
        if task.state in (TaskState.COMPLETED, TaskState.FAILED, TaskState.STOPPED):
            with self._lock:
                self._done.setdefault(task.task_id, time.perf_counter())
                self._states[task.task_id] = task.state
                waiter = self._waiting.get(task.task_id)
            if waiter:
                waiter.set()

    def expect(self, task_id: str) -> threading.Event:
        with self._lock:
            waiter = self._waiting.setdefault(task_id, threading.Event())
            if task_id in self._done:
                waiter.set()
            return waiter

    def finished_at(self, task_id: str) -> float:
        return self._done[task_id]

    def state(self, task_id: str) -> TaskState:
        return self._states[task_id]


@dataclasses.dataclass
class Rig:
    pool: NodePool
    worker: object  # hivemind_desktop.core.worker.Worker
    stub: pb_grpc.WorkerNodeServiceStub
    acks: Acks
    scratch: Path

    def queue(self, task_id: str, data: bytes, cpu_score: int = CPU_SCORE) -> None:
        """The pool has the task PENDING, as after a scientist's UploadTask (no RPC adds a
        task for another owner, so this writes the pool's own store; not timed)."""
        self.pool._live_store.add_task(
            {"task_id": task_id, "owner": "bench-scientist", "memory_gb": MEMORY_GB,
             "cpu_score": cpu_score, "gpu_score": 0, "gpu_memory_gb": 0, "gpu_name": "",
             "location": ""},
            data,
            time.time(),
        )  # fmt: skip

    def execute(self, task_id: str, data: bytes, cpu_score: int = CPU_SCORE) -> None:
        """What the pool's dispatcher does for a queued task: name the node, ExecuteTask
        with no metadata, mark the task RUNNING once accepted."""
        store = self.pool._live_store
        store.begin_dispatch(task_id, VOLUNTEER, WORKER_HOST)
        reply = self.stub.ExecuteTask(
            pb.ExecuteTaskRequest(
                task_id=task_id, task_zip=data, cpu_usage=float(cpu_score), memory_gb=MEMORY_GB
            ),
            timeout=30,
        )
        if not reply.success:
            raise BenchError(f"worker refused {task_id}: {reply.message}")
        store.mark_running(task_id, time.time())

    def check_result(self, task_id: str) -> None:
        state = self.acks.state(task_id)
        view = self.pool.task(task_id)
        if state != TaskState.COMPLETED or view is None or not view.has_result:
            raise BenchError(f"task {task_id} ended {state.value} / pool: {view}")


@contextmanager
def rig(max_concurrent: int, runtime: str = task_runtime.RUNC) -> Iterator[Rig]:
    """A local node pool on 127.0.0.1 and a signed-in, registered worker on 127.0.0.2,
    both in this process; everything is stopped and removed on exit. Its tasks run in
    `runtime`, as the baseline's `docker run` does (bench_runtime.py compares them)."""
    import grpc

    from hivemind_desktop.core.logs import setup_logging
    from hivemind_desktop.core.worker import Worker

    scratch = Path(tempfile.mkdtemp(prefix="hivemind-bench-"))
    password = secrets.token_urlsafe(12)
    # A dispatch round every hour: this script plays the dispatcher itself.
    pool = NodePool(
        listen=f"127.0.0.1:{free_port()}",
        users=[UserSpec(VOLUNTEER, password)],
        data_dir=scratch / "pool",
        dispatch_interval_s=3600,
    ).start()
    settings = dataclasses.replace(
        Settings(),
        master_address=pool.address,
        advertise_address=WORKER_HOST,
        busy_cpu_percent=0,  # the machine's own load (tests, CI) must not freeze tasks
        allowed_peers=("127.0.0.1",),
        node_port=free_port(WORKER_HOST),
        status_port=0,
        username=VOLUNTEER,
        password=password,
        max_concurrent_tasks=max_concurrent,
        max_cpu_cores=float(max(max_concurrent, os.cpu_count() or 1)),
        max_memory_gb=max(max_concurrent * MEMORY_GB, 4),
        data_dir=str(scratch / "worker"),
        log_dir=str(scratch / "logs"),
        task_image=IMAGE,
        pids_limit=PIDS_LIMIT,
        task_runtime=runtime,
    )
    worker = Worker(settings, log=setup_logging(settings.log_path))
    acks = Acks()
    worker.subscribe(acks.on_event)
    channel = None
    try:
        worker.start()
        deadline = time.time() + 30
        while (pool.node(VOLUNTEER) is None or not pool.node(VOLUNTEER).status) and (
            time.time() < deadline
        ):
            time.sleep(0.05)
        if pool.node(VOLUNTEER) is None:
            raise BenchError("the worker did not register with the local node pool in 30 s")
        channel = grpc.insecure_channel(
            f"{WORKER_HOST}:{settings.node_port}",
            options=[("grpc.max_send_message_length", MAX_MESSAGE_BYTES)],
        )
        grpc.channel_ready_future(channel).result(timeout=10)
        yield Rig(pool, worker, pb_grpc.WorkerNodeServiceStub(channel), acks, scratch)
    finally:
        if channel is not None:
            channel.close()
        worker.shutdown()
        pool.stop()
        remove_worker_containers(worker.install_id)
        shutil.rmtree(scratch, ignore_errors=True)


# -- output --------------------------------------------------------------------------------


def print_table(title: str, rows: list[tuple[str, str, str, str, str, bool | None]]) -> None:
    """rows: (what, measured, baseline, ratio, target, ok); ok None: a figure with no
    target (shown as "-")."""
    header = ("measure", "measured", "baseline", "ratio", "target", "result")
    verdict = {True: "PASS", False: "MISS", None: "-"}
    lines = [header, *[(*r[:5], verdict[r[5]]) for r in rows]]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    print(f"\n{title}")
    for i, line in enumerate(lines):
        print("  " + "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))
        if i == 0:
            print("  " + "  ".join("-" * w for w in widths))
