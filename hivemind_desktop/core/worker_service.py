"""The worker's gRPC service (WorkerNodeService.ExecuteTask / StopTaskExecution).

The deployed node pool calls it with no metadata and over plaintext, so who may call is
decided by the caller's address: only peers in HIVEMIND_ALLOWED_PEERS (default: the node
pool's host); anyone else gets PERMISSION_DENIED and nothing runs. The server listens on
the advertised address alone, never on every interface.

The peer is checked before a byte of the request is read. gRPC Python reads a unary
request in full (up to 1 GiB) before calling a unary handler, so a refused caller could
make the worker buffer gigabytes only to be told no. Every method is therefore served
as a *stream*-unary handler: the wire is the same (one message each way, the deployed
pool calls it as a plain unary RPC), but the handler runs as soon as the call's headers
are in, refuses with PERMISSION_DENIED and resets the stream; what was in flight is
bounded by HTTP/2 flow control. An allowed ExecuteTask is parsed by `execute_request`,
which keeps the archive as a view instead of copying it twice more.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterator
from concurrent import futures
from typing import Any

import grpc

from hivemind_desktop.core.engine import TaskEngine, UnknownTask
from hivemind_desktop.core.execute_request import ExecuteTaskCall, parse_execute_task
from hivemind_desktop.core.heap import release_free_heap
from hivemind_desktop.rpc import MAX_MESSAGE_BYTES, pb

log = logging.getLogger(__name__)


def peer_ip(peer: str) -> str:
    """'ipv4:10.0.0.1:5000' / 'ipv6:[::1]:5000' -> the IP address; '' if not IP."""
    kind, _, rest = peer.partition(":")
    if kind == "ipv4":
        return rest.rpartition(":")[0]
    if kind == "ipv6":
        return rest.rpartition(":")[0].strip("[]")
    return ""


class PeerPolicy:
    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.networks = [ipaddress.ip_network(p, strict=False) for p in allowed]

    def allows(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer_ip(peer))
        except ValueError:
            return False
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in net for net in self.networks)


_SERVICE = pb.DESCRIPTOR.services_by_name["WorkerNodeService"].full_name
# The upload methods share the service name but are the node pool's to serve.
_POOL_SIDE = ("TaskOutputUpload", "TaskResultUpload", "TaskOutput", "TaskUsage")

Deserializer = Callable[[bytes], Any]


class WorkerService:
    """ExecuteTask and StopTaskExecution, each behind the peer check."""

    def __init__(self, engine: TaskEngine, policy: PeerPolicy) -> None:
        self._engine = engine
        self._policy = policy

    def _check_peer(self, context: grpc.ServicerContext, method: str) -> None:
        if not self._policy.allows(context.peer()):
            log.warning(
                "%s from %s refused: not an allowed node-pool address", method, context.peer()
            )
            context.abort(
                grpc.StatusCode.PERMISSION_DENIED,
                "this worker accepts tasks only from its node pool (HIVEMIND_ALLOWED_PEERS)",
            )

    def ExecuteTask(self, call: ExecuteTaskCall, context) -> pb.ExecuteTaskResponse:  # noqa: N802
        admission = self._engine.submit(
            call.task_id,
            call.task_zip,
            cpu_score=call.cpu_usage,
            gpu_score=call.gpu_usage,
            memory_gb=call.memory_gb,
            gpu_memory_gb=call.gpu_memory_gb,
        )
        return pb.ExecuteTaskResponse(success=admission.accepted, message=admission.message)

    def StopTaskExecution(self, request, context) -> pb.StopTaskExecutionResponse:  # noqa: N802
        try:
            message = self._engine.stop_task(request.task_id)
        except UnknownTask as exc:
            return pb.StopTaskExecutionResponse(success=False, message=str(exc))
        return pb.StopTaskExecutionResponse(success=True, message=message)

    def _guarded(
        self, method: str, deserialize: Deserializer, serialize: Callable[[Any], bytes], serve
    ) -> grpc.RpcMethodHandler:
        """A handler that checks the peer first and only then reads the one request."""

        def handle(requests: Iterator[Any], context: grpc.ServicerContext):
            self._check_peer(context, method)
            if serve is None:
                context.abort(
                    grpc.StatusCode.UNIMPLEMENTED, "served by the node pool, not the worker"
                )
            request = next(requests, None)
            if request is None:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, "no request message")
            try:
                return serve(request, context)
            finally:
                del request
                if method == "ExecuteTask":
                    release_free_heap()  # the archive's slices, not kept by an idle worker

        return grpc.stream_unary_rpc_method_handler(
            handle, request_deserializer=deserialize, response_serializer=serialize
        )

    def handlers(self) -> grpc.GenericRpcHandler:
        methods = {
            "ExecuteTask": self._guarded(
                "ExecuteTask",
                parse_execute_task,
                pb.ExecuteTaskResponse.SerializeToString,
                self.ExecuteTask,
            ),
            "StopTaskExecution": self._guarded(
                "StopTaskExecution",
                pb.StopTaskExecutionRequest.FromString,
                pb.StopTaskExecutionResponse.SerializeToString,
                self.StopTaskExecution,
            ),
        }
        for name in _POOL_SIDE:
            methods[name] = self._guarded(name, _never_read, _never_sent, None)
        return grpc.method_handlers_generic_handler(_SERVICE, methods)


def _never_read(data: bytes) -> None:
    raise AssertionError("the node pool's methods are refused before their request is read")


def _never_sent(message: object) -> bytes:
    raise AssertionError("the node pool's methods never answer from here")


def serve(engine: TaskEngine, address: str, port: int, allowed: tuple[str, ...]) -> grpc.Server:
    """Start the worker's gRPC server on address:port only; raises OSError if it cannot bind."""
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="worker-rpc"),
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", 16 * 1024 * 1024),
            ("grpc.so_reuseport", 0),
        ],
    )
    server.add_generic_rpc_handlers((WorkerService(engine, PeerPolicy(allowed)).handlers(),))
    host = f"[{address}]" if ":" in address else address
    try:
        bound = server.add_insecure_port(f"{host}:{port}")
    except RuntimeError as exc:
        raise OSError(f"cannot listen on {host}:{port}: {exc}") from None
    if not bound:
        raise OSError(
            f"cannot listen on {host}:{port}: the address is not on this machine or the port is "
            "taken (set HIVEMIND_ADVERTISE_ADDRESS / NODE_PORT)"
        )
    server.start()
    log.info(
        "worker service listening on %s:%s (allowed callers: %s)", host, bound, ", ".join(allowed)
    )
    return server
