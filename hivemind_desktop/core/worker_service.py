"""The worker's gRPC service (WorkerNodeService.ExecuteTask / StopTaskExecution).

The deployed node pool calls it with no metadata and over plaintext, so who may call is
decided by the caller's address: only peers in HIVEMIND_ALLOWED_PEERS (default: the node
pool's host); anyone else gets PERMISSION_DENIED and nothing runs. The server listens on
the advertised address alone, never on every interface.
"""

from __future__ import annotations

import ipaddress
import logging
from concurrent import futures

import grpc

from hivemind_desktop.core.engine import TaskEngine, UnknownTask
from hivemind_desktop.rpc import MAX_MESSAGE_BYTES, pb, pb_grpc

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


class WorkerService(pb_grpc.WorkerNodeServiceServicer):
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

    def ExecuteTask(self, request, context):  # noqa: N802 (gRPC names)
        self._check_peer(context, "ExecuteTask")
        admission = self._engine.submit(
            request.task_id,
            request.task_zip,
            cpu_score=request.cpu_usage,
            gpu_score=request.gpu_usage,
            memory_gb=request.memory_gb,
            gpu_memory_gb=request.gpu_memory_gb,
        )
        return pb.ExecuteTaskResponse(success=admission.accepted, message=admission.message)

    def StopTaskExecution(self, request, context):  # noqa: N802
        self._check_peer(context, "StopTaskExecution")
        try:
            message = self._engine.stop_task(request.task_id)
        except UnknownTask as exc:
            return pb.StopTaskExecutionResponse(success=False, message=str(exc))
        return pb.StopTaskExecutionResponse(success=True, message=message)

    # The upload methods share the service name but are the node pool's to serve.
    def _not_here(self, request, context):
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "served by the node pool, not the worker")

    TaskOutputUpload = TaskResultUpload = TaskOutput = TaskUsage = _not_here  # noqa: N815


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
    pb_grpc.add_WorkerNodeServiceServicer_to_server(
        WorkerService(engine, PeerPolicy(allowed)), server
    )
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
