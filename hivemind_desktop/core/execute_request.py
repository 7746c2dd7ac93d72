"""ExecuteTaskRequest read without copying the task archive.

Parsed the usual way, a 500 MB request is copied twice more after gRPC hands it over:
into the protobuf message, then into a new `bytes` when `.task_zip` is read. Here the
archive stays a memoryview over the received bytes, and only the small fields go
through protobuf (so unknown fields, defaults and UTF-8 checks behave as before).
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.message import DecodeError

from hivemind_desktop.rpc import pb

_TASK_ZIP_FIELD = 2  # ExecuteTaskRequest.task_zip (protocol.md)
_LENGTH_DELIMITED = 2


@dataclass(frozen=True)
class ExecuteTaskCall:
    task_id: str
    task_zip: memoryview  # a view of the received message: no copy
    cpu_usage: float
    gpu_usage: float
    memory_gb: int
    gpu_memory_gb: int


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise DecodeError("truncated or overlong varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _field_end(data: bytes, pos: int, wire_type: int) -> tuple[int, int]:
    """(start of the value, end of the field) for the field whose value starts at pos."""
    if wire_type == 0:
        return pos, _varint(data, pos)[1]
    if wire_type == 1:
        return pos, pos + 8
    if wire_type == 5:
        return pos, pos + 4
    if wire_type == _LENGTH_DELIMITED:
        length, start = _varint(data, pos)
        return start, start + length
    raise DecodeError(f"unsupported wire type {wire_type}")


def parse_execute_task(data: bytes) -> ExecuteTaskCall:
    """Split the archive off as a view; parse the rest with protobuf. Raises DecodeError."""
    view = memoryview(data)
    rest = bytearray()
    archive = view[0:0]
    pos = 0
    while pos < len(data):
        key, value_at = _varint(data, pos)
        start, end = _field_end(data, value_at, key & 7)
        if end > len(data):
            raise DecodeError("truncated message")
        if key >> 3 == _TASK_ZIP_FIELD and key & 7 == _LENGTH_DELIMITED:
            archive = view[start:end]  # the last occurrence wins, as in protobuf
        else:
            rest += view[pos:end]
        pos = end
    small = pb.ExecuteTaskRequest.FromString(bytes(rest))
    return ExecuteTaskCall(
        task_id=small.task_id,
        task_zip=archive,
        cpu_usage=small.cpu_usage,
        gpu_usage=small.gpu_usage,
        memory_gb=small.memory_gb,
        gpu_memory_gb=small.gpu_memory_gb,
    )
