"""The pool's gRPC servicers: UserService, NodeManagerService, MasterNodeService and
the upload half of WorkerNodeService (protocol.md)."""

from __future__ import annotations

import io
import logging
import time
import zipfile
from dataclasses import dataclass

import grpc

from hivemind_desktop.nodepool.accounts import verify_password
from hivemind_desktop.nodepool.dispatch import Dispatcher
from hivemind_desktop.nodepool.models import (
    MAX_TASK_ZIP_BYTES,
    RUNNING,
    TASK_ID_RE,
    TaskView,
)
from hivemind_desktop.nodepool.results import outcome_of_zip
from hivemind_desktop.nodepool.store import PoolStore
from hivemind_desktop.nodepool.tokens import TokenIssuer
from hivemind_desktop.rpc import pb, pb_grpc

log = logging.getLogger("hivemind_desktop.nodepool")

# What the deployed pool answers for a missing, bad or expired token (protocol.md §1).
AUTH_FAILED_DETAILS = "Exception deserializing request!"
_MAX_INT32 = 2**31 - 1


@dataclass
class PoolContext:
    store: PoolStore
    tokens: TokenIssuer
    dispatcher: Dispatcher
    reward_per_task: int


class _Base:
    def __init__(self, ctx: PoolContext) -> None:
        self._ctx = ctx
        self._store = ctx.store

    def _user(self, context: grpc.ServicerContext) -> str:
        """The caller's account from `authorization: Bearer <jwt>`, else abort INTERNAL."""
        header = None
        for key, value in context.invocation_metadata() or ():
            if key.lower() == "authorization":
                header = value
        user = self._ctx.tokens.user_of_bearer(header)
        if user is None or not self._store.account_exists(user):
            context.abort(grpc.StatusCode.INTERNAL, AUTH_FAILED_DETAILS)
            raise AssertionError("abort() raises")  # for the type checker
        return user

    def _owned_task(self, user: str, task_id: str) -> TaskView | None:
        """The task if the caller owns it; others' tasks look like unknown ones."""
        task = self._store.task(task_id)
        return task if task is not None and task.owner == user else None


class UserService(_Base, pb_grpc.UserServiceServicer):
    def Login(self, request: pb.LoginRequest, context: grpc.ServicerContext) -> pb.LoginResponse:
        creds = self._store.credentials(request.username) if request.username else None
        salt, pw_hash = creds if creds else (None, None)
        if not verify_password(request.password, salt, pw_hash):
            log.info("login refused for %r", request.username)
            return pb.LoginResponse(success=False, message="invalid username or password")
        return pb.LoginResponse(
            success=True, message="login successful", token=self._ctx.tokens.issue(request.username)
        )

    def RefreshToken(
        self, request: pb.RefreshTokenRequest, context: grpc.ServicerContext
    ) -> pb.RefreshTokenResponse:
        new = self._ctx.tokens.refresh(request.old_token)
        if new is None or not self._store.account_exists(self._ctx.tokens.user_of(new) or ""):
            return pb.RefreshTokenResponse(
                success=False, message="token invalid or expired: log in again"
            )
        return pb.RefreshTokenResponse(success=True, message="token refreshed", new_token=new)

    def GetBalance(
        self, request: pb.GetBalanceRequest, context: grpc.ServicerContext
    ) -> pb.GetBalanceResponse:
        user = self._user(context)
        if request.username and request.username != user:
            return pb.GetBalanceResponse(
                success=False, message="you can only read your own balance"
            )
        return pb.GetBalanceResponse(
            success=True, message="ok", balance=self._store.balance(user) or 0
        )

    def Transfer(
        self, request: pb.TransferRequest, context: grpc.ServicerContext
    ) -> pb.TransferResponse:
        user = self._user(context)
        if request.amount <= 0:
            return pb.TransferResponse(success=False, message="amount must be a positive integer")
        if request.receiver_username == user:
            return pb.TransferResponse(success=False, message="cannot transfer to yourself")
        reason = self._store.transfer(user, request.receiver_username, request.amount)
        if reason:
            return pb.TransferResponse(success=False, message=reason)
        log.info("transfer %d CPT %s -> %s", request.amount, user, request.receiver_username)
        return pb.TransferResponse(success=True, message="transfer complete")


class NodeManagerService(_Base, pb_grpc.NodeManagerServiceServicer):
    def RegisterWorkerNode(
        self, request: pb.RegisterWorkerNodeRequest, context: grpc.ServicerContext
    ) -> pb.StatusResponse:
        user = self._user(context)
        if request.node_id != user:
            return pb.StatusResponse(
                success=False, message=f"node_id must be your username {user!r}"
            )
        if not request.hostname or not 0 < request.port <= 65535:
            return pb.StatusResponse(
                success=False, message="hostname and a port in 1..65535 are required"
            )
        new = self._store.node(user) is None
        self._store.register_node(
            {
                "node_id": user,
                "hostname": request.hostname,
                "port": request.port,
                "cpu_cores": request.cpu_cores,
                "memory_gb": request.memory_gb,
                "cpu_score": request.cpu_score,
                "gpu_score": request.gpu_score,
                "gpu_memory_gb": request.gpu_memory_gb,
                "gpu_name": request.gpu_name,
                "location": request.location,
                "docker_status": request.docker_status,
            },
            time.time(),
        )
        if new:
            log.info("node %s registered at %s:%d", user, request.hostname, request.port)
        return pb.StatusResponse(success=True, message="node registered")

    def ReportStatus(
        self, request: pb.RunningStatusRequest, context: grpc.ServicerContext
    ) -> pb.RunningStatusResponse:
        user = self._user(context)
        if request.node_id != user:
            return pb.RunningStatusResponse(
                success=False, message=f"node_id must be your username {user!r}"
            )
        report = {
            "status": request.status,
            "cpu_usage": request.cpu_usage,
            "memory_usage": request.memory_usage,
            "gpu_usage": request.gpu_usage,
            "gpu_memory_usage": request.gpu_memory_usage,
            "running_tasks": request.running_tasks,
        }
        if request.docker_status:
            report["docker_status"] = request.docker_status
        if not self._store.report_status(user, report, time.time()):
            return pb.RunningStatusResponse(
                success=False, message="node not registered: call RegisterWorkerNode first"
            )
        return pb.RunningStatusResponse(success=True, message="status updated")


class MasterNodeService(_Base, pb_grpc.MasterNodeServiceServicer):
    def UploadTask(
        self, request: pb.UploadTaskRequest, context: grpc.ServicerContext
    ) -> pb.UploadTaskResponse:
        user = self._user(context)
        problem = _upload_problem(request)
        if problem:
            return pb.UploadTaskResponse(success=False, message=problem)
        task = {
            "task_id": request.task_id,
            "owner": user,
            "memory_gb": request.memory_gb,
            "cpu_score": request.cpu_score,
            "gpu_score": request.gpu_score,
            "gpu_memory_gb": request.gpu_memory_gb,
            "gpu_name": request.gpu_name,
            "location": request.location,
        }
        if not self._store.add_task(task, request.task_zip, time.time()):
            return pb.UploadTaskResponse(
                success=False,
                message=f"task id {request.task_id!r} already exists: choose another task id",
            )
        log.info("task %s uploaded by %s (%d bytes)", request.task_id, user, len(request.task_zip))
        return pb.UploadTaskResponse(success=True, message="task uploaded")

    def GetTaskResult(
        self, request: pb.GetTaskResultRequest, context: grpc.ServicerContext
    ) -> pb.GetTaskResultResponse:
        user = self._user(context)
        task = self._owned_task(user, request.task_id)
        if task is None:
            return pb.GetTaskResultResponse(
                success=False, message=f"unknown task {request.task_id!r}"
            )
        data = self._store.result_zip(task.task_id) if task.has_result else None
        if data is None:
            return pb.GetTaskResultResponse(
                success=False,
                message=f"result of task {task.task_id} not available yet (status {task.status})",
            )
        return pb.GetTaskResultResponse(success=True, message=task.status, result_zip=data)

    def GetAllUserTasks(
        self, request: pb.GetAllUserTasksRequest, context: grpc.ServicerContext
    ) -> pb.GetAllTasksResponse:
        user = self._user(context)
        return pb.GetAllTasksResponse(
            tasks=[
                pb.TaskInfo(
                    task_id=t.task_id,
                    status=t.status,
                    message=t.message,
                    cpu_usage=t.cpu_usage,
                    memory_usage=t.memory_usage,
                    gpu_usage=t.gpu_usage,
                    gpu_memory_usage=t.gpu_memory_usage,
                    worker_ip=t.worker_ip,
                )
                for t in self._store.tasks(owner=user)
            ]
        )

    def StopTask(
        self, request: pb.StopTaskRequest, context: grpc.ServicerContext
    ) -> pb.StopTaskResponse:
        user = self._user(context)
        task = self._owned_task(user, request.task_id)
        if task is None:
            return pb.StopTaskResponse(success=False, message=f"unknown task {request.task_id!r}")
        previous = self._store.stop(task.task_id, time.time())
        if previous is None:
            current = self._store.task(task.task_id)
            return pb.StopTaskResponse(
                success=False,
                message=f"task {task.task_id} already {current.status if current else 'gone'}",
            )
        log.info("task %s STOPPED by its owner (was %s)", task.task_id, previous)
        if previous == RUNNING:
            self._ctx.dispatcher.request_stop(task.task_id, task.node_id)
        # A PENDING task being dialled right now is stopped by the dispatcher itself.
        return pb.StopTaskResponse(success=True, message="task stopped")

    def GetTasklog(
        self, request: pb.TasklogRequest, context: grpc.ServicerContext
    ) -> pb.TasklogResponse:
        user = self._user(context)
        task = self._owned_task(user, request.task_id)
        if task is None:
            return pb.TasklogResponse(success=False, log="")
        return pb.TasklogResponse(success=True, log=self._store.log(task.task_id))


class WorkerUploadService(_Base, pb_grpc.WorkerNodeServiceServicer):
    """The pool's half of WorkerNodeService; ExecuteTask/StopTaskExecution stay
    UNIMPLEMENTED here (the worker serves those)."""

    def _node_task(self, user: str, task_id: str) -> tuple[TaskView | None, str]:
        task = self._store.task(task_id)
        if task is None:
            return None, f"unknown task {task_id!r}"
        if task.node_id != user:
            return None, f"task {task_id} was not dispatched to node {user}"
        return task, ""

    def _append_output(self, user: str, task_id: str, output: str) -> tuple[bool, str]:
        task, why = self._node_task(user, task_id)
        if task is None:
            return False, why
        self._store.append_log(task.task_id, output)
        return True, "output stored"

    def TaskOutputUpload(
        self, request: pb.TaskOutputUploadRequest, context: grpc.ServicerContext
    ) -> pb.TaskOutputUploadResponse:
        ok, msg = self._append_output(self._user(context), request.task_id, request.output)
        return pb.TaskOutputUploadResponse(success=ok, message=msg)

    def TaskOutput(
        self, request: pb.TaskOutputRequest, context: grpc.ServicerContext
    ) -> pb.TaskOutputResponse:
        ok, msg = self._append_output(self._user(context), request.task_id, request.output)
        return pb.TaskOutputResponse(success=ok, message=msg)

    def TaskUsage(
        self, request: pb.TaskUsageRequest, context: grpc.ServicerContext
    ) -> pb.TaskUsageResponse:
        # request.token carries the node id, not a JWT (protocol.md §7); the
        # metadata token is what identifies the caller.
        user = self._user(context)
        task, why = self._node_task(user, request.task_id)
        if task is None:
            return pb.TaskUsageResponse(success=False, message=why)
        self._store.set_usage(
            task.task_id,
            request.cpu_usage,
            request.memory_usage,
            request.gpu_usage,
            request.gpu_memory_usage,
        )
        return pb.TaskUsageResponse(success=True, message="usage stored")

    def TaskResultUpload(
        self, request: pb.TaskResultUploadRequest, context: grpc.ServicerContext
    ) -> pb.TaskResultUploadResponse:
        user = self._user(context)
        task, why = self._node_task(user, request.task_id)
        if task is None:
            return pb.TaskResultUploadResponse(success=False, message=why)
        if not request.result_zip:
            return pb.TaskResultUploadResponse(success=False, message="result_zip is empty")
        # The protocol carries no status: the worker's execution log says how it ended.
        outcome = outcome_of_zip(request.result_zip)
        status, paid = self._store.store_result(
            task.task_id,
            request.result_zip,
            time.time(),
            self._ctx.reward_per_task,
            failure=outcome.describe() if outcome.failed else "",
            stopped=outcome.stopped,
        )
        log.info(
            "task %s %s: result %d bytes from node %s%s%s",
            task.task_id,
            status,
            len(request.result_zip),
            user,
            f" (+{self._ctx.reward_per_task} CPT)" if paid else "",
            f" ({outcome.describe()})" if outcome.failed else "",
        )
        return pb.TaskResultUploadResponse(success=True, message=f"result stored ({status})")


def _upload_problem(request: pb.UploadTaskRequest) -> str:
    """Why an upload is refused, as one line naming the fix; empty when fine."""
    if not TASK_ID_RE.match(request.task_id):
        return f"invalid task id {request.task_id!r}: use 1-128 letters, digits, '.', '_' or '-'"
    if not request.task_zip:
        return "task_zip is empty: upload a zip of the task folder"
    if len(request.task_zip) > MAX_TASK_ZIP_BYTES:
        return (
            f"task_zip is {len(request.task_zip) // (1024 * 1024)} MB: the limit is "
            f"{MAX_TASK_ZIP_BYTES // (1024 * 1024)} MB"
        )
    if not zipfile.is_zipfile(io.BytesIO(request.task_zip)):
        return "task_zip is not a zip archive: upload a zip of the task folder"
    for name in ("memory_gb", "cpu_score", "gpu_score", "gpu_memory_gb"):
        value = getattr(request, name)
        if not 0 <= value <= _MAX_INT32:
            return f"{name} must not be negative"
    return ""


__all__ = [
    "AUTH_FAILED_DETAILS",
    "MasterNodeService",
    "NodeManagerService",
    "PoolContext",
    "UserService",
    "WorkerUploadService",
]
