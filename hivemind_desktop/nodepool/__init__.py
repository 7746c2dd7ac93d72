"""The local node pool (demo, tests, local clusters) and the `submit` client.

A real gRPC server speaking the node-pool side of the protocol (docs/architecture.md).
"""

from hivemind_desktop.nodepool.models import NodeView, TaskView, UserSpec
from hivemind_desktop.nodepool.server import NodePool, NodePoolError
from hivemind_desktop.nodepool.services import AUTH_FAILED_DETAILS
from hivemind_desktop.nodepool.submit import SubmitError, SubmitResult, submit_folder

__all__ = [
    "AUTH_FAILED_DETAILS",
    "NodePool",
    "NodePoolError",
    "NodeView",
    "SubmitError",
    "SubmitResult",
    "TaskView",
    "UserSpec",
    "submit_folder",
]
