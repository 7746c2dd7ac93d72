"""The local status API (the original worker's REST endpoints) for headless use.

Listens on 127.0.0.1 only. Reading is open to local processes; stopping a task needs the
per-install secret (`Authorization: Bearer <secret>`, see `hivemind-desktop status`).
Requests must name a loopback host: a web page that rebinds its own DNS name to 127.0.0.1
reaches the port, but its browser still sends `Host: its-name`, and is refused (403).
"""

from __future__ import annotations

import dataclasses
import errno
import hmac
import logging
import socket
import threading
from typing import Any, Protocol

from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from hivemind_desktop.core.engine import UnknownTask
from hivemind_desktop.core.models import Resources, TaskRecord


class StatusSource(Protocol):
    """What the API reads and commands: the Worker facade (no import of it here, so the
    worker can own its status API without an import circle)."""

    api_secret: str
    gpu_message: str

    def health(self) -> dict[str, Any]: ...
    def snapshot(self) -> Any: ...
    def tasks(self) -> list[TaskRecord]: ...
    def latest_sample(self) -> Any: ...
    def resources(self) -> dict[str, Resources]: ...
    def stop_task(self, task_id: str) -> str: ...

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
        "outcome": task.outcome.value if task.outcome else None,
    }


STATUS_API_KEY = "status_api_problem"  # worker store key: why the API is off ("" = it is not)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
# Windows reports a taken port as WSAEADDRINUSE, or WSAEACCES for reserved/exclusive ports.
_PORT_TAKEN = {errno.EADDRINUSE, 10048, 10013}


def host_allowed(host_header: str, port: int) -> bool:
    """True for a loopback name, with no port or this server's own port."""
    host = host_header.strip().lower()
    name, given_port = host, ""
    if ":" in host and not host.endswith("]"):
        name, _, given_port = host.rpartition(":")
    return name in LOOPBACK_HOSTS and given_port in ("", str(port))


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


def create_app(worker: StatusSource) -> Flask:
    app = Flask("hivemind_desktop.status_api")

    @app.before_request
    def only_loopback_hosts():
        host = request.environ.get("HTTP_HOST")
        port = request.environ.get("SERVER_PORT", "")
        if host is None or host_allowed(host, int(port or 0)):
            return None  # no Host at all: not a browser, so not a rebinding page
        log.warning("status API: refused a request for Host %r (not loopback)", host[:100])
        return jsonify(
            {
                "error": f"refused: this status API answers only to http://127.0.0.1:{port} "
                "(the Host header names another site: DNS rebinding protection)"
            }
        ), 403

    @app.get("/health")
    def health():
        report = worker.health()
        return jsonify(report), (200 if report["ok"] else 503)

    @app.get("/api/status")
    def status():
        snap = worker.snapshot()
        return jsonify(
            {
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
        )

    @app.get("/api/tasks")
    def tasks():
        return jsonify([task_json(t) for t in worker.tasks()])

    @app.get("/api/resources")
    def resources():
        sample = worker.latest_sample()
        amounts = {k: dataclasses.asdict(v) for k, v in worker.resources().items()}
        return jsonify(
            {
                **amounts,
                "sample": dataclasses.asdict(sample) if sample else None,
                "gpu": worker.gpu_message,
            }
        )

    @app.post("/api/stop_task/<task_id>")
    def stop_task(task_id: str):
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), worker.api_secret.encode()):
            return jsonify(
                {"error": "missing or wrong secret (see `hivemind-desktop status`)"}
            ), 401
        try:
            message = worker.stop_task(task_id)
        except UnknownTask as exc:
            return jsonify({"error": str(exc)}), 404
        return jsonify({"message": message})

    return app


class StatusApi:
    def __init__(self, worker: StatusSource, port: int) -> None:
        """Raises OSError whose message is `port_problem()` when the port cannot be had."""
        # Bind here, not in werkzeug: its make_server answers a taken port with
        # sys.exit(1), which would end the whole worker (and the GUI hosting it).
        try:
            sock = socket.create_server(("127.0.0.1", port))
        except OSError as exc:
            raise OSError(port_problem(port, exc)) from None
        try:
            self._server = make_server(
                "127.0.0.1", port, create_app(worker), threaded=True, fd=sock.fileno()
            )
        finally:
            sock.close()  # werkzeug holds its own duplicate of the listening socket
        self.port = self._server.port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()
        log.info("local status API on http://127.0.0.1:%s", self.port)

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
