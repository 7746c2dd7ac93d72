"""Asks every paired computer for its summary, over and over, on worker threads.

One scheduler thread starts a poll of each computer every POLL_S unless its previous
poll still runs (a computer that hangs costs one thread, never a queue of them); polls
and commands run on a small thread pool. Results go to `on_reading` on those threads:
the GUI adapter hands them to its own thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from hivemind_desktop.core.fleet import client
from hivemind_desktop.core.fleet.book import Computer
from hivemind_desktop.core.fleet.client import FleetError

log = logging.getLogger(__name__)

POLL_S = 2.0
THREADS = 8


@dataclass(frozen=True)
class Reading:
    key: str
    at: float  # time.time()
    summary: dict[str, Any] | None  # None when the computer did not answer well
    error: FleetError | None = None


Token = Callable[[Computer], str]  # raises FleetError (no token) or KeyringUnavailable


class FleetWatch:
    def __init__(
        self,
        token: Token,
        on_reading: Callable[[Reading], None],
        poll_s: float = POLL_S,
        timeout: float = client.TIMEOUT_S,
    ) -> None:
        self._token = token
        self._on_reading = on_reading
        self._poll_s = poll_s
        self._timeout = timeout
        self._lock = threading.Lock()
        self._computers: dict[str, Computer] = {}
        self._busy: set[str] = set()
        self._links: dict[str, client.Link] = {}  # kept connections, one per computer
        self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="fleet")
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fleet-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def set_computers(self, computers: list[Computer]) -> None:
        with self._lock:
            self._computers = {c.key: c for c in computers}
            # a computer no longer watched (or paired anew: another pin) gets a new link
            gone = [
                k for k, link in self._links.items()
                if k not in self._busy
                and (k not in self._computers or self._computers[k].fingerprint != link.pin)
            ]  # fmt: skip
            dropped = [self._links.pop(k) for k in gone]
        for link in dropped:
            link.close()
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            links, self._links = list(self._links.values()), {}
        for link in links:
            link.close()

    def command(
        self,
        computer: Computer,
        action: str,
        done: Callable[[str, FleetError | None], None],
        task_id: str = "",
    ) -> None:
        """pause, resume or stop (a task); `done(message, error)` on a pool thread."""
        path = {"pause": "/api/pause", "resume": "/api/resume"}.get(action)
        if action == "stop":
            import urllib.parse

            path = "/api/stop_task/" + urllib.parse.quote(task_id, safe="")
        if path is None:
            raise ValueError(f"unknown command {action!r}")

        def run() -> None:
            try:
                answer, _ = client.request(
                    computer.host, computer.port, computer.fingerprint, "POST", path,
                    token=self._token(computer), timeout=self._timeout,
                )  # fmt: skip
                done(str(answer.get("message", "")), None)
            except FleetError as exc:
                done("", exc)
            except Exception as exc:  # the keyring: its message says cause and fix
                done("", FleetError(client.FAILED, str(exc)))
            self._wake.set()  # show the effect at once

        self._pool.submit(run)

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                due = [c for k, c in self._computers.items() if k not in self._busy]
                self._busy.update(c.key for c in due)
            for computer in due:
                self._pool.submit(self._poll, computer)
            self._wake.wait(self._poll_s)
            self._wake.clear()

    def _poll(self, computer: Computer) -> None:
        with self._lock:
            link = self._links.get(computer.key)
            if link is None or link.pin != computer.fingerprint:
                link = client.Link(computer.host, computer.port, computer.fingerprint,
                                   self._timeout)  # fmt: skip
                self._links[computer.key] = link
        try:
            answer = link.get("/api/summary", self._token(computer))
            if not isinstance(answer, dict) or "status" not in answer:
                raise FleetError(client.FAILED, "the computer's answer is not a HiveMind status")
            reading = Reading(computer.key, time.time(), answer)
        except FleetError as exc:
            reading = Reading(computer.key, time.time(), None, exc)
        except Exception as exc:  # the keyring (locked, missing): its message says the fix
            reading = Reading(computer.key, time.time(), None, FleetError(client.FAILED, str(exc)))
        finally:
            with self._lock:
                self._busy.discard(computer.key)
        with self._lock:
            wanted = computer.key in self._computers
        if wanted and not self._stop.is_set():
            self._on_reading(reading)
