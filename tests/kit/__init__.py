"""The one test kit: what more than one test folder needs, each thing once.

    from tests.kit import wait_for, free_port, make_zip, read_zip, REPO

Per-area helpers live in modules named for what they drive: `docker_images` (the engine
and the task images), `pools` (a local node pool and the raw pool client), `worker`,
`e2e`, `desktop`, `secret_service`, `nodepool` (a fake worker), `netns_lab`, `rootless`
(a throwaway user with rootless Podman / Docker) and `winpipe` (Windows' pipe error). Fixtures are
plain functions in these modules; a folder's conftest.py imports the ones it uses.
"""

from __future__ import annotations

import io
import socket
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[2]

T = TypeVar("T")


def wait_for(
    condition: Callable[[], T], what: str, timeout: float = 30.0, interval: float = 0.05
) -> T:
    """Poll until `condition()` is truthy and return that value; the timeout only bounds a
    broken run, and the message names `what` was awaited."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on `host` right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def make_zip(files: dict[str, str | bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive (in memory) holding `files`: name -> text or bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def read_zip(zip_bytes: bytes) -> dict[str, str]:
    """Every member of a zip archive as text (undecodable bytes replaced)."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as zf:
        return {n: zf.read(n).decode("utf-8", errors="replace") for n in zf.namelist()}
