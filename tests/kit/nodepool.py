"""For the node pool's own tests: their roster, running-silence timings, and a tiny real
WorkerNodeService (the worker side) recording what the pool sends it. The pool and its
raw client are in tests.kit.pools."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import grpc

from hivemind_desktop.nodepool import UserSpec
from hivemind_desktop.rpc import pb, pb_grpc
from tests.kit.pools import CHANNEL_OPTIONS

USERS = [
    UserSpec("alice", "alice-pw", 100),
    UserSpec("bob", "bob-pw", 50),
    UserSpec("w1", "w1-pw"),
    UserSpec("w2", "w2-pw"),
    UserSpec("w3", "w3-pw"),
    UserSpec("w4", "w4-pw"),
]
PASSWORDS = {u.name: u.password for u in USERS}
SILENCE = {
    "running_silence_fail_s": 30,
    "running_busy_silence_fail_s": 30,
}


class FakeWorker(pb_grpc.WorkerNodeServiceServicer):
    """The worker side of WorkerNodeService, recording what the pool sends it."""

    def __init__(self, host: str = "127.0.0.2") -> None:
        self.lock = threading.Lock()
        self.executed: list[tuple[pb.ExecuteTaskRequest, dict[str, str]]] = []
        self.stopped: list[tuple[str, dict[str, str]]] = []
        self.reply = (True, "accepted")
        self.on_execute: Callable[[pb.ExecuteTaskRequest], None] | None = None
        self.server = grpc.server(ThreadPoolExecutor(max_workers=4), options=CHANNEL_OPTIONS)
        pb_grpc.add_WorkerNodeServiceServicer_to_server(self, self.server)
        self.host = host
        self.port = self.server.add_insecure_port(f"{host}:0")
        assert self.port, f"cannot bind a test worker on {host}"
        self.server.start()

    @staticmethod
    def _metadata(context: grpc.ServicerContext) -> dict[str, str]:
        # grpc-python always adds user-agent itself; anything else was sent by the caller.
        return {k: v for k, v in context.invocation_metadata() if k != "user-agent"}

    def ExecuteTask(self, request, context):
        with self.lock:
            self.executed.append((request, self._metadata(context)))
        if self.on_execute is not None and self.reply[0]:
            threading.Thread(target=self.on_execute, args=(request,), daemon=True).start()
        return pb.ExecuteTaskResponse(success=self.reply[0], message=self.reply[1])

    def StopTaskExecution(self, request, context):
        with self.lock:
            self.stopped.append((request.task_id, self._metadata(context)))
        return pb.StopTaskExecutionResponse(success=True, message="stopping")

    def task_ids(self) -> list[str]:
        with self.lock:
            return [r.task_id for r, _ in self.executed]

    def stop(self) -> None:
        self.server.stop(0).wait()
