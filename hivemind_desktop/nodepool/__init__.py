"""The local node pool (demo, tests, local clusters) and the `submit` client.

A real gRPC server speaking the node-pool side of the protocol (docs/architecture.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hivemind_desktop.nodepool.models import NodeView, TaskView, UserSpec
    from hivemind_desktop.nodepool.server import NodePool, NodePoolError
    from hivemind_desktop.nodepool.services import AUTH_FAILED_DETAILS
    from hivemind_desktop.nodepool.submit import SubmitError, SubmitResult, submit_folder

# Loaded on first use (PEP 562): `hivemind-desktop` builds its command line from
# nodepool.cli, and a worker must not load the pool's server, token signing and
# crypto stack just for that.
_WHERE = {
    "AUTH_FAILED_DETAILS": "services",
    "NodePool": "server",
    "NodePoolError": "server",
    "NodeView": "models",
    "SubmitError": "submit",
    "SubmitResult": "submit",
    "TaskView": "models",
    "UserSpec": "models",
    "submit_folder": "submit",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


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
