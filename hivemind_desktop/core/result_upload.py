"""TaskResultUpload sent from the result file with as few copies as gRPC allows.

Built the usual way, a result of N MB is in memory four times at once: read from disk,
copied into the protobuf message, serialized, and copied again by gRPC into its send
buffer. Here the request's wire form is written directly (field order is free in
protobuf), so our side holds it once and gRPC's own copy is the only other one.
"""

from __future__ import annotations

from pathlib import Path

import grpc

from hivemind_desktop.rpc import pb

_METHOD = "/nodepool.WorkerNodeService/TaskResultUpload"
_TASK_ID, _RESULT_ZIP, _TOKEN = 1, 2, 3  # TaskResultUploadRequest fields (protocol.md)


def _varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _field(number: int, size: int) -> bytes:
    """The key and length prefix of a length-delimited field."""
    return _varint(number << 3 | 2) + _varint(size)


def _text_field(number: int, text: str) -> bytes:
    data = text.encode()
    return _field(number, len(data)) + data if data else b""


def serialized_request(task_id: str, zip_path: Path, token: str) -> bytes:
    """TaskResultUploadRequest(task_id, result_zip=<the file>, token), serialized.
    Raises OSError when the file cannot be read."""
    head = _text_field(_TASK_ID, task_id)
    tail = _text_field(_TOKEN, token)
    with open(zip_path, "rb") as f:
        size = f.seek(0, 2)
        f.seek(0)
        if size:  # proto3 leaves an empty bytes field out
            head += _field(_RESULT_ZIP, size)
        message = bytearray(len(head) + size + len(tail))
        view = memoryview(message)
        view[: len(head)] = head
        got = f.readinto(view[len(head) : len(head) + size])
        if got != size:
            raise OSError(f"{zip_path} changed while it was read")
        view[len(head) + size :] = tail
        view.release()
    # gRPC takes only `bytes`; the bytearray goes as soon as the copy is made.
    return bytes(message)


def upload_method(channel: grpc.Channel) -> grpc.UnaryUnaryMultiCallable:
    """TaskResultUpload taking the already serialized request (see serialized_request)."""
    return channel.unary_unary(
        _METHOD,
        request_serializer=None,
        response_deserializer=pb.TaskResultUploadResponse.FromString,
    )
