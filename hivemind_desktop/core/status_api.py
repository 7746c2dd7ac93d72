"""The local status API (the original worker's REST endpoints) for headless use.

Loopback routes served by the standard library's threading HTTP server: a web
framework would add ~8 MB to every running worker and to the bundle for nothing more.

Listens on 127.0.0.1 only. Reading is open to local processes; stopping a task needs the
per-install secret (`Authorization: Bearer <secret>`, see `hivemind-desktop status`), and so
does /api/pairing (`hivemind-desktop pair`: codes for the remote API, core/remote/).
Requests must name a loopback host: a web page that rebinds its own DNS name to 127.0.0.1
reaches the port, but its browser still sends `Host: its-name`, and is refused (403).
"""

from __future__ import annotations

import dataclasses
import datetime
import errno
import hmac
import json
import logging
import sys
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import Any, Protocol

from hivemind_desktop.core.engine import UnknownTask
from hivemind_desktop.core.models import Resources, TaskRecord


class Worker(Protocol):
    """What the API reads and commands: the Worker facade. A protocol, not an import of
    core.worker, so the worker can own its status API without an import circle."""

    api_secret: str
    gpu_message: str

    def health(self) -> dict[str, Any]: ...
    def snapshot(self) -> Any: ...
    def tasks(self) -> list[TaskRecord]: ...
    def latest_sample(self) -> Any: ...
    def resources(self) -> dict[str, Resources]: ...
    def stop_task(self, task_id: str) -> str: ...
    def pairing_code(self, permissions: tuple[str, ...]) -> dict[str, Any]: ...
    def paired_computers(self) -> list[dict[str, Any]]: ...
    def unpair(self, name: str) -> bool: ...

log = logging.getLogger(__name__)


def task_json(task: TaskRecord) -> dict[str, Any]:
    return {
        "task_id": task.task_id,
        "state": task.state.value,
        "paused": task.paused,
        "received_at": task.received_at,
        "started_at": task.started_at,
        "finished_at": task.finished_at,
        "elapsed_s": task.elapsed_s,
        "exit_code": task.exit_code,
        "message": task.message,
        "request": dataclasses.asdict(task.request),
        "usage": dataclasses.asdict(task.usage) if task.usage else None,
        "progress": task.progress,  # 0..1 as the task reports it, or None
        "outcome": task.outcome.value if task.outcome else None,
        "runtime": task.runtime,  # what isolated it: runsc (gVisor) or runc
    }


STATUS_API_KEY = "status_api_problem"  # worker store key: why the API is off ("" = it is not)
# Worker store key: the port the API listens on now, which `status` asks first (it differs
# from FLASK_PORT when that port was taken and the API fell back to a free one).
STATUS_PORT_KEY = "status_api_port"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
# Windows reports a taken port as WSAEADDRINUSE, or WSAEACCES for reserved/exclusive ports.
_PORT_TAKEN = {errno.EADDRINUSE, 10048, 10013}
REQUEST_TIMEOUT_S = 10.0


def host_allowed(host_header: str, port: int) -> bool:
    """True for a loopback name, with no port or this server's own port."""
    host = host_header.strip().lower()
    name, given_port = host, ""
    if ":" in host and not host.endswith("]"):
        name, _, given_port = host.rpartition(":")
    return name in LOOPBACK_HOSTS and given_port in ("", str(port))


class PortUnavailable(OSError):
    """The port is taken by another program, or reserved (Windows' excluded port ranges)."""


def port_problem(port: int, exc: OSError) -> str:
    """Why the status API cannot listen on `port`, with the fix (one line)."""
    if exc.errno in _PORT_TAKEN:
        return (
            f"port {port} is in use by another program (on macOS often the AirPlay "
            "Receiver): set FLASK_PORT to a free port, or 0 to turn the status API off"
        )
    return (
        f"port {port} cannot be used ({exc.strerror or exc}): set FLASK_PORT to another "
        "port, or 0 to turn the status API off"
    )


def _json_default(value: Any) -> Any:
    """What json cannot write by itself: dataclasses (as dicts) and dates (ISO text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def status_json(worker: Worker) -> dict[str, Any]:
    snap = worker.snapshot()
    return {
        "node_id": snap.node_id,
        "state": snap.state,
        "detail": snap.state_detail,
        "signed_in": snap.signed_in,
        "node_pool": {"state": snap.pool_state, "detail": snap.pool_detail},
        "paused": snap.paused,
        "trust": {"score": snap.trust_score, "group": snap.trust_group},
        "balance": snap.balance,
        "counts": snap.counts,
        "advertise_address": snap.advertise_address,
        "docker": dataclasses.asdict(snap.docker),
    }


def resources_json(worker: Worker) -> dict[str, Any]:
    sample = worker.latest_sample()
    return {
        **{name: dataclasses.asdict(amount) for name, amount in worker.resources().items()},
        "sample": dataclasses.asdict(sample) if sample else None,
        "gpu": worker.gpu_message,
    }


def json_bytes(body: Any) -> bytes:
    return (
        json.dumps(body, default=_json_default, sort_keys=True, separators=(",", ":")) + "\n"
    ).encode()


Reply = tuple[int, Any]


def _health(worker: Worker) -> Reply:
    report = worker.health()
    return (200 if report["ok"] else 503), report


def _secret_ok(worker: Worker, authorization: str) -> bool:
    given = authorization.removeprefix("Bearer ").strip()
    return hmac.compare_digest(given.encode(), worker.api_secret.encode())


_WRONG_SECRET: Reply = (401, {"error": "missing or wrong secret (see `hivemind-desktop status`)"})


def _stop_task(worker: Worker, task_id: str, authorization: str) -> Reply:
    if not _secret_ok(worker, authorization):
        return _WRONG_SECRET
    try:
        message = worker.stop_task(task_id)
    except UnknownTask as exc:
        return 404, {"error": str(exc)}
    return 200, {"message": message}


# path -> what a GET answers; POST /api/stop_task/<task_id> is the one write
_READS: dict[str, Callable[[Worker], Reply]] = {
    "/health": _health,
    "/api/status": lambda w: (200, status_json(w)),
    "/api/tasks": lambda w: (200, [task_json(t) for t in w.tasks()]),
    "/api/resources": lambda w: (200, resources_json(w)),
}
_STOP_PREFIX = "/api/stop_task/"
_PAIRING = "/api/pairing"  # the remote API's pairing codes and paired computers (secret)


def _pairing(worker: Worker, method: str, query: str, authorization: str) -> Reply:
    """GET: the paired computers; POST ?permissions=read|control: a new pairing code;
    POST ?revoke=NAME: unpair a computer. The secret keeps other local users out."""
    if not _secret_ok(worker, authorization):
        return _WRONG_SECRET
    params = urllib.parse.parse_qs(query)
    try:
        if method == "GET":
            return 200, worker.paired_computers()
        if "revoke" in params:
            name = params["revoke"][0]
            if not worker.unpair(name):
                return 404, {"error": f"no computer named {name[:64]!r} is paired"}
            return 200, {"message": f"{name[:64]} can no longer reach this worker"}
        wanted = tuple(params.get("permissions", ["read"])[0].split(","))
        return 200, worker.pairing_code(wanted)
    except ValueError as exc:  # unknown permission; the remote API is off (with the fix)
        return 409, {"error": str(exc)}


class _Handler(BaseHTTPRequestHandler):
    """One request: Host check first, then the route; every answer is JSON."""

    server: _Server
    server_version = "hivemind-desktop"
    timeout = REQUEST_TIMEOUT_S  # a client that connects and says nothing frees its thread

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._answer("POST")

    def do_PUT(self) -> None:  # noqa: N802 - 405 with the allowed methods, as for any write
        self._answer("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._answer("DELETE")

    def do_PATCH(self) -> None:  # noqa: N802
        self._answer("PATCH")

    def _answer(self, method: str) -> None:
        try:
            status, body, allow = self._route(method)
        except Exception:  # a bug answers 500 and is logged, the server lives on
            log.exception("status API: %s %s failed", method, self.path[:200])
            status, body, allow = 500, {"error": "internal error (see the worker's log)"}, ""
        self._send(status, body, allow, with_body=method != "HEAD")

    def _route(self, method: str) -> tuple[int, Any, str]:
        host = self.headers.get("Host")
        port = self.server.port
        if host is not None and not host_allowed(host, port):
            log.warning("status API: refused a request for Host %r (not loopback)", host[:100])
            return (
                403,
                {
                    "error": f"refused: this status API answers only to http://127.0.0.1:{port} "
                    "(the Host header names another site: DNS rebinding protection)"
                },
                "",
            )
        path = urllib.parse.urlsplit(self.path).path
        worker = self.server.worker
        if path in _READS:
            if method not in ("GET", "HEAD"):
                return 405, {"error": f"{method} is not allowed here"}, "GET, HEAD"
            return (*_READS[path](worker), "")
        if path == _PAIRING:
            if method not in ("GET", "POST"):
                return 405, {"error": f"{method} is not allowed here"}, "GET, POST"
            query = urllib.parse.urlsplit(self.path).query
            return (*_pairing(worker, method, query, self.headers.get("Authorization", "")), "")
        if path.startswith(_STOP_PREFIX) and "/" not in path[len(_STOP_PREFIX) :]:
            task_id = urllib.parse.unquote(path[len(_STOP_PREFIX) :])
            if task_id:
                if method != "POST":
                    return 405, {"error": f"{method} is not allowed here"}, "POST"
                return (*_stop_task(worker, task_id, self.headers.get("Authorization", "")), "")
        return 404, {"error": f"no such path: {path[:100]}"}, ""

    def _send(self, status: int, body: Any, allow: str, with_body: bool) -> None:
        data = json_bytes(body)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if allow:
            self.send_header("Allow", allow)
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        log.debug("status API: %s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # SO_REUSEADDR would let Windows bind a port another program listens on.
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, worker: Worker, port: int) -> None:
        self.worker = worker
        super().__init__(("127.0.0.1", port), _Handler)
        self.port = self.server_address[1]

    def server_bind(self) -> None:
        # HTTPServer's own server_bind asks DNS for the host's full name (getfqdn), which
        # can stall on a machine with a slow resolver; loopback needs no name.
        TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]


class StatusApi:
    def __init__(self, worker: Worker, port: int) -> None:
        """Raises OSError whose message is `port_problem()` when the port cannot be had
        (PortUnavailable when another program holds it or the system reserves it)."""
        try:
            self._server = _Server(worker, port)
        except OSError as exc:
            kind = PortUnavailable if exc.errno in _PORT_TAKEN else OSError
            raise kind(port_problem(port, exc)) from None
        self.port = self._server.port
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="hivemind-status-api", daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        log.info("local status API on http://127.0.0.1:%s", self.port)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def fallback_note(wanted: int, used: int) -> str:
    """What the volunteer reads when the API could not have FLASK_PORT (one line)."""
    return (
        f"port {wanted} is in use by another program (on macOS often the AirPlay Receiver), "
        f"so the status API uses port {used}; `hivemind-desktop status` finds it"
    )


def start_with_fallback(
    worker: Worker, port: int, remembered: int | None = None
) -> tuple[StatusApi, str]:
    """Listen on `port`; when another program holds it, on the port used last time
    (`remembered`, so scripts see a stable port), else on any free loopback port.

    Returns the running API and a note for the volunteer ("" when `port` itself was had).
    The default port collides with macOS's AirPlay Receiver and with Windows' reserved
    port ranges: a status API that works out of the box beats one that is off.
    Raises OSError (with `port_problem()`'s message) for anything else than a taken port.
    """
    try:
        api = StatusApi(worker, port)
        note = ""
    except PortUnavailable as taken:
        other = _first_free(worker, [p for p in (remembered, 0) if p is not None and p != port])
        if other is None:  # not even an ephemeral port: say why the wanted one failed
            raise taken from None
        api = other
        note = fallback_note(port, api.port)
    api.start()
    return api, note


def _first_free(worker: Worker, ports: list[int]) -> StatusApi | None:
    for port in ports:
        if 0 <= port <= 65535:
            try:
                return StatusApi(worker, port)
            except OSError:
                continue
    return None
