"""The hand-written wire forms for large messages agree with protobuf's own: the
ExecuteTask request read without copying its archive, the archive unpacked from a view,
and the TaskResultUpload request written straight from the result file."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from google.protobuf.message import DecodeError

from hivemind_desktop.core.archive import unpack_task_archive
from hivemind_desktop.core.execute_request import parse_execute_task
from hivemind_desktop.core.result_upload import serialized_request
from hivemind_desktop.rpc import pb


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"task_id": "t-1", "task_zip": b"PK\x03\x04" + os.urandom(300)},
        {"task_id": "é-ünïcode", "cpu_usage": 150.5, "gpu_usage": 1, "memory_gb": 2**31 - 1},
        {"task_zip": os.urandom(70_000), "gpu_memory_gb": 24, "memory_gb": -1},
    ],
)
def test_execute_request_matches_protobuf(fields: dict) -> None:
    raw = pb.ExecuteTaskRequest(**fields).SerializeToString()
    expected = pb.ExecuteTaskRequest.FromString(raw)
    call = parse_execute_task(raw)
    assert isinstance(call.task_zip, memoryview)
    assert bytes(call.task_zip) == expected.task_zip
    for name in ("task_id", "cpu_usage", "gpu_usage", "memory_gb", "gpu_memory_gb"):
        assert getattr(call, name) == getattr(expected, name), name


def test_execute_request_keeps_the_last_archive_and_skips_unknown_fields() -> None:
    first = pb.ExecuteTaskRequest(task_zip=b"old").SerializeToString()
    second = pb.ExecuteTaskRequest(task_id="t", task_zip=b"new").SerializeToString()
    unknown = bytes([15 << 3 | 2, 3]) + b"abc"  # field 15, length-delimited
    call = parse_execute_task(first + unknown + second)
    assert (bytes(call.task_zip), call.task_id) == (b"new", "t")


@pytest.mark.parametrize(
    "raw",
    [
        pb.ExecuteTaskRequest(task_id="t", task_zip=b"x" * 50).SerializeToString()[:-10],
        b"\x12\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",  # an overlong varint
        b"\x0a\x02\xff\xfe",  # task_id that is not UTF-8
    ],
)
def test_execute_request_refuses_broken_input(raw: bytes) -> None:
    with pytest.raises(DecodeError):
        parse_execute_task(raw)


def test_archive_unpacks_from_the_view(tmp_path: Path) -> None:
    data = os.urandom(200_000)
    raw = pb.ExecuteTaskRequest(
        task_id="t", task_zip=_zip({"main.py": b"print(1)", "d/data.bin": data})
    ).SerializeToString()
    unpack_task_archive(parse_execute_task(raw).task_zip, tmp_path / "ws")
    assert (tmp_path / "ws" / "d" / "data.bin").read_bytes() == data
    assert (tmp_path / "ws" / "main.py").read_text() == "print(1)"


@pytest.mark.parametrize("size", [0, 1, 127, 128, 300_000])
def test_result_upload_request_matches_protobuf(tmp_path: Path, size: int) -> None:
    result = tmp_path / "result.zip"
    result.write_bytes(os.urandom(size))
    raw = serialized_request("task-7", result, "a.jwt.token")
    parsed = pb.TaskResultUploadRequest.FromString(raw)
    assert (parsed.task_id, parsed.token) == ("task-7", "a.jwt.token")
    assert parsed.result_zip == result.read_bytes()
    assert (
        raw
        == pb.TaskResultUploadRequest(
            task_id="task-7", result_zip=result.read_bytes(), token="a.jwt.token"
        ).SerializeToString()
    )


def test_result_upload_of_a_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        serialized_request("t", tmp_path / "gone.zip", "token")
