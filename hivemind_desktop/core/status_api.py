"""The local status API (the original worker's REST endpoints) for headless use.

Listens on 127.0.0.1 only. Reading is open to local processes; stopping a task needs the
per-install secret (`Authorization: Bearer <secret>`, see `hivemind-desktop status`).
"""

from __future__ import annotations

import dataclasses
import hmac
import logging
import threading
from typing import TYPE_CHECKING, Any

from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from hivemind_desktop.core.engine import UnknownTask
from hivemind_desktop.core.models import TaskRecord

if TYPE_CHECKING:
    from hivemind_desktop.core.worker import Worker

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
        "usage": task.extra.get("usage"),
    }


def create_app(worker: Worker) -> Flask:
    app = Flask("hivemind_desktop.status_api")

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
        return jsonify([task_json(t) for t in worker.engine.tasks()])

    @app.get("/api/resources")
    def resources():
        sample = worker.monitor.latest()
        return jsonify(
            {
                "total": dataclasses.asdict(worker.accountant.total),
                "available": dataclasses.asdict(worker.accountant.available()),
                "allocated": dataclasses.asdict(worker.accountant.allocated()),
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
    def __init__(self, worker: Worker, port: int) -> None:
        self._server = make_server("127.0.0.1", port, create_app(worker), threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()
        log.info("local status API on http://127.0.0.1:%s", self.port)

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
