"""The remote status API: the loopback API's read routes over TLS for paired computers.

A second listener, separate from the loopback one, on the one address the volunteer
chose (typically the WireGuard address). Every route but the pairing exchange needs a
paired computer's token (`Authorization: Bearer`); pause/resume and stopping a task need
the control permission on top.

One peer must not be able to block it: the TLS handshake happens on the connection's own
thread (never in the accept loop), at most MAX_CONNECTIONS are served at once and
MAX_PER_PEER from one address (more are closed at once), every socket read has a
timeout, every connection a total lifetime, and a request body has a size limit.
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
import sys
import threading
import urllib.parse
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import Any, Protocol

from hivemind_desktop.core.engine import UnknownTask
from hivemind_desktop.core.models import TaskState
from hivemind_desktop.core.remote.access import CONTROL, READ, AccessDenied, RemoteAccess
from hivemind_desktop.core.remote.identity import Identity
from hivemind_desktop.core.status_api import (
    Worker as ReadableWorker,
)
from hivemind_desktop.core.status_api import (
    json_bytes,
    resources_json,
    status_json,
    task_json,
)

log = logging.getLogger(__name__)

IO_TIMEOUT_S = 5.0  # one read or write, the handshake included
CONNECTION_LIFETIME_S = 30.0  # a peer dribbling a byte at a time is cut off here; a
# watching app keeps its connection between polls (HTTP/1.1) and opens a new one after
MAX_CONNECTIONS = 32
MAX_PER_PEER = 4
MAX_BODY = 4096
MAX_HEAD = 16 * 1024  # request line and headers together (http.server alone allows ~6 MB)
MAX_TASKS_LISTED = 50


class Worker(ReadableWorker, Protocol):
    def pause(self) -> None: ...
    def resume(self) -> None: ...


def summary_json(worker: Worker) -> dict[str, Any]:
    """Everything a card on the Computers page shows, in one answer (one poll)."""
    tasks = worker.tasks()
    live = [t for t in tasks if t.state not in _ENDED]
    return {
        "status": status_json(worker),
        "resources": resources_json(worker),
        "tasks": [task_json(t) for t in live[:MAX_TASKS_LISTED]],
    }


_ENDED = {TaskState.COMPLETED, TaskState.FAILED, TaskState.STOPPED}

Reply = tuple[int, Any]


class _Capped:
    """A connection's input, cut off after `budget` bytes: past it, reads see the end."""

    def __init__(self, raw: Any, budget: int) -> None:
        self._raw, self._left = raw, budget

    def reset(self, budget: int) -> None:
        self._left = budget

    def readline(self, size: int = -1) -> bytes:
        return self._take(self._raw.readline, size)

    def read(self, size: int = -1) -> bytes:
        return self._take(self._raw.read, size)

    def _take(self, reader: Callable[[int], bytes], size: int) -> bytes:
        if self._left <= 0:
            return b""
        data = reader(self._left if size < 0 else min(size, self._left))
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._raw.close()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "hivemind-desktop"
    protocol_version = "HTTP/1.1"  # keep-alive: a poll every 2 s needs no new handshake
    timeout = IO_TIMEOUT_S  # also how long a kept connection may sit idle

    def setup(self) -> None:
        super().setup()
        self._capped = _Capped(self.rfile, MAX_HEAD + MAX_BODY)
        self.rfile = self._capped  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        self._capped.reset(MAX_HEAD + MAX_BODY)  # the limits hold per request
        super().handle_one_request()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._answer("POST")

    def _answer(self, method: str) -> None:
        try:
            status, body = self._route(method)
        except AccessDenied as exc:
            status, body = exc.status, {"error": str(exc), "reason": exc.reason}
        except Exception:  # a bug answers 500 and is logged, the server lives on
            log.exception("remote API: %s %s failed", method, self.path[:200])
            status, body = 500, {"error": "internal error (see the worker's log)"}
        data = json_bytes(body)
        if status >= 400:  # a refused request may have left a body unread: start afresh
            self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict[str, Any]:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or length is None or not length.isdigit():
            raise AccessDenied(411, "bad_request", "a request body needs a Content-Length")
        if int(length) > MAX_BODY:
            raise AccessDenied(413, "too_large", f"a request body may have {MAX_BODY} bytes")
        try:
            data = json.loads(self.rfile.read(int(length)) or b"{}")
        except ValueError:
            raise AccessDenied(400, "bad_request", "the request body is not JSON") from None
        if not isinstance(data, dict):
            raise AccessDenied(400, "bad_request", "the request body is not a JSON object")
        return data

    def _token(self) -> str:
        header = self.headers.get("Authorization", "")
        return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""

    def _route(self, method: str) -> Reply:
        path = urllib.parse.urlsplit(self.path).path
        access, worker = self.server.access, self.server.worker
        if path == "/api/pair":
            if method != "POST":
                return 405, {"error": "POST only"}
            return self._pair(self._body())
        if method == "POST" and path == "/api/unpair":  # a computer forgetting this worker
            client = access.check(self._token(), READ)
            access.revoke(client.name)
            log.info("remote API: %r unpaired itself", client.name[:64])
            return 200, {"message": "unpaired"}
        if method == "GET" and path in _READS:
            access.check(self._token(), READ)
            return _READS[path](worker)
        if method == "POST" and path in _CONTROLS:
            client = access.check(self._token(), CONTROL)
            if self.headers.get("Content-Length") not in (None, "0"):
                self._body()  # read (and bound) whatever came, to answer cleanly
            log.info("remote API: %s asked to %s", client.name, path.rsplit("/", 1)[-1])
            return _CONTROLS[path](worker)
        if method == "POST" and path.startswith(_STOP_PREFIX):
            task_id = urllib.parse.unquote(path[len(_STOP_PREFIX) :])
            client = access.check(self._token(), CONTROL)
            log.info("remote API: %s asked to stop task %s", client.name, task_id[:80])
            try:
                return 200, {"message": worker.stop_task(task_id)}
            except UnknownTask as exc:
                return 404, {"error": str(exc), "reason": "unknown_task"}
        return 404, {"error": f"no such path: {path[:100]}", "reason": "no_such_path"}

    def _pair(self, body: dict[str, Any]) -> Reply:
        try:
            code, name = str(body.get("code", "")), str(body.get("name", ""))
            token, client = self.server.access.redeem(code, name)
        except ValueError as exc:  # the name
            raise AccessDenied(400, "bad_name", str(exc)) from None
        log.info(
            "remote API: paired %r from %s (%s)",
            client.name[:64], self.client_address[0], ", ".join(client.permissions),
        )  # fmt: skip
        return 200, {
            "token": token,
            "permissions": list(client.permissions),
            "fingerprint": self.server.identity.fingerprint,
        }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        log.debug("remote API: %s %s", self.address_string(), format % args)


def _control(action: Callable[[Worker], None], word: str) -> Callable[[Worker], Reply]:
    def run(worker: Worker) -> Reply:
        action(worker)
        return 200, {"message": word}

    return run


_READS: dict[str, Callable[[Any], Reply]] = {
    "/api/summary": lambda w: (200, summary_json(w)),
    "/api/status": lambda w: (200, status_json(w)),
    "/api/tasks": lambda w: (200, [task_json(t) for t in w.tasks()[:MAX_TASKS_LISTED]]),
    "/api/resources": lambda w: (200, resources_json(w)),
}
_CONTROLS: dict[str, Callable[[Any], Reply]] = {
    "/api/pause": _control(lambda w: w.pause(), "paused"),
    "/api/resume": _control(lambda w: w.resume(), "resumed"),
}
_STOP_PREFIX = "/api/stop_task/"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = sys.platform != "win32"
    request_queue_size = 64

    def __init__(
        self, worker: Worker, access: RemoteAccess, identity: Identity, address: str, port: int
    ) -> None:
        self.worker, self.access, self.identity = worker, access, identity
        self.context = identity.server_context()
        self._slots = threading.Lock()
        self._open: Counter[str] = Counter()
        self.address_family = socket.AF_INET6 if ":" in address else socket.AF_INET
        super().__init__((address, port), _Handler)
        self.port = self.server_address[1]

    def server_bind(self) -> None:  # no getfqdn (see status_api)
        TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        peer = client_address[0]
        with self._slots:
            full = sum(self._open.values()) >= MAX_CONNECTIONS or self._open[peer] >= MAX_PER_PEER
            if not full:
                self._open[peer] += 1
        if full:
            log.debug("remote API: too many connections, closed one from %s", peer)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        cutoff = threading.Timer(CONNECTION_LIFETIME_S, _cut, (request,))
        cutoff.daemon = True
        cutoff.start()
        try:
            request.settimeout(IO_TIMEOUT_S)
            try:
                tls = self.context.wrap_socket(request, server_side=True)
            except (OSError, ssl.SSLError) as exc:  # a scanner, a plain-HTTP client, a timeout
                log.debug("remote API: TLS handshake with %s failed: %s", client_address[0], exc)
                self.shutdown_request(request)
                return
            try:
                self.finish_request(tls, client_address)
            except Exception:
                self.handle_error(tls, client_address)
            finally:
                self.shutdown_request(tls)
        finally:
            cutoff.cancel()
            with self._slots:
                self._open[client_address[0]] -= 1
                if self._open[client_address[0]] <= 0:
                    del self._open[client_address[0]]

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("remote API: connection from %s ended badly", client_address[0], exc_info=True)


def _cut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class RemoteApi:
    def __init__(
        self, worker: Worker, access: RemoteAccess, identity: Identity, address: str, port: int
    ) -> None:
        """Raises OSError with a one-line reason when the address or port cannot be had."""
        try:
            self._server = _Server(worker, access, identity, address, port)
        except OSError as exc:
            raise OSError(bind_problem(address, port, exc)) from None
        self.address, self.port = address, self._server.port
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="hivemind-remote-api", daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        log.info("remote status API on https://%s:%s (paired only)", self.address, self.port)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def bind_problem(address: str, port: int, exc: OSError) -> str:
    import errno

    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"{address} is not an address of this computer (is the WireGuard tunnel up?): "
            "set HIVEMIND_REMOTE_API_ADDRESS to one of its addresses, or empty to turn it off"
        )
    if exc.errno in (errno.EADDRINUSE, 10048, 10013):
        return f"port {port} on {address} is in use: set HIVEMIND_REMOTE_API_PORT to a free port"
    return f"{address}:{port} cannot be used ({exc.strerror or exc})"
