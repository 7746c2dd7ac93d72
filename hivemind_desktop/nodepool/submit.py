"""The `submit` client: send a folder to a node pool as a task and fetch its result.

Speaks only the client side of protocol.md (Login, UploadTask, GetAllUserTasks,
GetTaskResult), so it works against the deployed pool as well as ours.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import grpc

from hivemind_desktop.nodepool.models import MAX_TASK_ZIP_BYTES, TASK_ID_RE, TERMINAL
from hivemind_desktop.nodepool.results import EXECUTION_LOG, run_status_of
from hivemind_desktop.rpc import MAX_MESSAGE_BYTES, pb, pb_grpc

CONNECT_TIMEOUT_S = 10.0
CALL_TIMEOUT_S = 30.0
STOPPED_RESULT_WAIT_S = 30.0  # a stopped task's partial result follows the stop


class SubmitError(RuntimeError):
    """Submitting failed; the message names the cause and the fix in one line."""


@dataclass(frozen=True)
class SubmitResult:
    task_id: str
    status: str  # PENDING/RUNNING (timed out), COMPLETED, FAILED or STOPPED
    message: str
    worker_ip: str
    out_dir: Path | None  # where the result was unpacked, None without a result
    execution_log: str
    run_status: str  # the "Status:" of execution_log.txt: Success / Failed / Stopped by user

    @property
    def ok(self) -> bool:
        return self.status == "COMPLETED" and self.run_status.lower() == "success"


def default_task_id(folder: Path) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", folder.resolve().name).strip("-.") or "task"
    return f"{stem[:80]}-{uuid.uuid4().hex[:8]}"


def zip_folder(folder: Path, dest: Path) -> int:
    """Zip `folder`'s files (links skipped) into `dest`, streaming; returns its size."""
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for root, dirs, files in os.walk(folder, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(root, d)))
            for name in sorted(files):
                path = Path(root, name)
                if path.is_symlink() or not path.is_file():
                    continue
                zf.write(path, path.relative_to(folder).as_posix())
    return dest.stat().st_size


def _unsafe_member(info: zipfile.ZipInfo) -> str:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "is a link"
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "has an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "climbs out with '..'"
    return ""


def safe_extract(archive: Path, dest: Path) -> list[str]:
    """Unpack into `dest`, refusing the whole archive if any member is unsafe."""
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        for info in members:
            why = _unsafe_member(info)
            if why:
                raise SubmitError(
                    f"result archive refused: member {info.filename!r} {why}; nothing extracted"
                )
        dest.mkdir(parents=True, exist_ok=True)
        root = dest.resolve()
        names = []
        for info in members:
            target = (root / info.filename).resolve()
            if target != root and root not in target.parents:
                raise SubmitError(f"result archive refused: member {info.filename!r} escapes")
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1024 * 1024)
            names.append(info.filename)
    return names


class _PoolSession:
    """A logged-in channel to the pool that logs in again when the token lapses."""

    def __init__(self, pool: str, username: str, password: str) -> None:
        self._pool = pool
        self._username = username
        self._password = password
        self.channel = grpc.insecure_channel(
            pool,
            options=[
                ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ],
        )
        try:
            grpc.channel_ready_future(self.channel).result(timeout=CONNECT_TIMEOUT_S)
        except grpc.FutureTimeoutError:
            self.channel.close()
            raise SubmitError(
                f"cannot reach the node pool at {pool}: is it running? check --pool"
            ) from None
        self.users = pb_grpc.UserServiceStub(self.channel)
        self.master = pb_grpc.MasterNodeServiceStub(self.channel)
        self.token = ""
        self.login()

    def login(self) -> None:
        reply = self._rpc(
            self.users.Login,
            pb.LoginRequest(username=self._username, password=self._password),
            authed=False,
        )
        if not reply.success:
            raise SubmitError(
                f"login to {self._pool} as {self._username!r} failed: "
                f"{reply.message or 'refused'}; check --user"
            )
        self.token = reply.token

    def _rpc(
        self,
        method: Callable,
        request: object,
        timeout: float = CALL_TIMEOUT_S,
        authed: bool = True,
    ):
        metadata = [("authorization", f"Bearer {self.token}")] if authed else None
        try:
            return method(request, timeout=timeout, metadata=metadata)
        except grpc.RpcError as exc:
            raise SubmitError(
                f"node pool {self._pool} call failed: {exc.code().name}: {exc.details()}"
            ) from None

    def call(self, method: Callable, request: object, timeout: float = CALL_TIMEOUT_S):
        """Authenticated call; one fresh login on the pool's INTERNAL auth failure (§1)."""
        try:
            return self._rpc(method, request, timeout)
        except SubmitError as exc:
            if "INTERNAL" not in str(exc):
                raise
        self.login()
        if hasattr(request, "token"):
            request.token = self.token
        return self._rpc(method, request, timeout)

    def close(self) -> None:
        self.channel.close()


def submit_folder(
    folder: Path,
    pool: str,
    username: str,
    password: str,
    *,
    task_id: str | None = None,
    cpu_score: int = 100,
    memory_gb: int = 1,
    gpu_score: int = 0,
    gpu_memory_gb: int = 0,
    gpu_name: str = "",
    out: Path | None = None,
    timeout: float = 600.0,
    poll_interval: float = 1.0,
    on_status: Callable[[str, str], None] | None = None,
) -> SubmitResult:
    """Zip `folder`, run it on the pool, unpack the result into `out`.

    Raises SubmitError (one line: cause and fix) when the task cannot be submitted
    or its result cannot be fetched; a task that ends FAILED or STOPPED, or is
    still running at `timeout`, is reported in the returned SubmitResult.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SubmitError(f"{folder} is not a folder: give the task folder to submit")
    task_id = task_id or default_task_id(folder)
    if not TASK_ID_RE.match(task_id):
        raise SubmitError(
            f"invalid task id {task_id!r}: use 1-128 letters, digits, '.', '_' or '-'"
        )
    for name, value in (
        ("cpu score", cpu_score),
        ("memory", memory_gb),
        ("gpu score", gpu_score),
        ("gpu memory", gpu_memory_gb),
    ):
        if value < 0:
            raise SubmitError(f"{name} must not be negative, got {value}")
    out = Path(out) if out is not None else Path.cwd() / f"{task_id}-result"
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SubmitError(f"output folder {out} exists and is not empty: choose another --out")

    with tempfile.TemporaryDirectory(prefix="hivemind-submit-") as tmp:
        task_zip = Path(tmp) / "task.zip"
        size = zip_folder(folder, task_zip)
        if size > MAX_TASK_ZIP_BYTES:
            raise SubmitError(
                f"{folder} zips to {size // (1024 * 1024)} MB: the pool accepts up to "
                f"{MAX_TASK_ZIP_BYTES // (1024 * 1024)} MB"
            )
        session = _PoolSession(pool, username, password)
        try:
            reply = session.call(
                session.master.UploadTask,
                pb.UploadTaskRequest(
                    task_id=task_id,
                    task_zip=task_zip.read_bytes(),
                    memory_gb=memory_gb,
                    cpu_score=cpu_score,
                    gpu_score=gpu_score,
                    gpu_memory_gb=gpu_memory_gb,
                    gpu_name=gpu_name,
                    token=session.token,
                ),
                timeout=CALL_TIMEOUT_S + 2 * size / (1024 * 1024),
            )
            if not reply.success:
                raise SubmitError(f"upload of task {task_id} refused: {reply.message}")
            info = _wait_until_done(session, task_id, timeout, poll_interval, on_status)
            if info.status not in TERMINAL:
                return SubmitResult(
                    task_id,
                    info.status,
                    f"still {info.status} after {timeout:g} s; it goes on running on the pool",
                    info.worker_ip,
                    None,
                    "",
                    "",
                )
            result = _fetch_result(session, task_id, info.status, Path(tmp) / "result.zip")
        finally:
            session.close()
        if result is None:
            return SubmitResult(
                task_id, info.status, info.message or "no result", info.worker_ip, None, "", ""
            )
        safe_extract(result, out)
    log_path = out / EXECUTION_LOG
    execution_log = log_path.read_text(errors="replace") if log_path.is_file() else ""
    return SubmitResult(
        task_id,
        info.status,
        info.message,
        info.worker_ip,
        out,
        execution_log,
        run_status_of(execution_log),
    )


def _wait_until_done(
    session: _PoolSession,
    task_id: str,
    timeout: float,
    poll_interval: float,
    on_status: Callable[[str, str], None] | None,
) -> pb.TaskInfo:
    deadline = time.monotonic() + timeout
    last = ""
    while True:
        tasks = session.call(
            session.master.GetAllUserTasks, pb.GetAllUserTasksRequest(token=session.token)
        ).tasks
        info = next((t for t in tasks if t.task_id == task_id), None)
        if info is None:
            raise SubmitError(f"task {task_id} vanished from the pool's task list")
        if info.status != last and on_status is not None:
            on_status(info.status, info.message)
        last = info.status
        if info.status in TERMINAL or time.monotonic() >= deadline:
            return info
        time.sleep(min(poll_interval, max(0.0, deadline - time.monotonic())))


def _fetch_result(session: _PoolSession, task_id: str, status: str, dest: Path) -> Path | None:
    # A stopped task's partial result arrives after the stop; wait a little for it.
    wait_until = time.monotonic() + (STOPPED_RESULT_WAIT_S if status == "STOPPED" else 0)
    while True:
        reply = session.call(
            session.master.GetTaskResult,
            pb.GetTaskResultRequest(task_id=task_id, token=session.token),
            timeout=300,
        )
        if reply.success and reply.result_zip:
            dest.write_bytes(reply.result_zip)
            return dest
        if time.monotonic() >= wait_until:
            if status == "COMPLETED":
                raise SubmitError(f"task {task_id} completed but its result: {reply.message}")
            return None
        time.sleep(1.0)
