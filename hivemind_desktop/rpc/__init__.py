"""Generated gRPC stubs for the node-pool protocol (see proto/nodepool.proto).

Regenerate with scripts/gen_proto; never edit the generated files by hand.
"""

from hivemind_desktop.rpc import nodepool_pb2 as pb
from hivemind_desktop.rpc import nodepool_pb2_grpc as pb_grpc

# gRPC messages up to 1 GiB are allowed on both sides of the protocol.
MAX_MESSAGE_BYTES = 1024 * 1024 * 1024

__all__ = ["MAX_MESSAGE_BYTES", "pb", "pb_grpc"]
