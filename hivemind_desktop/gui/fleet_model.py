"""The Computers page's model: the paired computers, what each last said, and the
commands sent to them. Every network and keyring call runs off the GUI thread (the
core's FleetWatch and one pairing thread); results arrive here through queued signals,
so a computer that hangs or a keyring that stalls never freezes the window.

It lives in the app, not in the window (which is dropped when closed into the tray), and
it polls only while a Computers page is on screen.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from hivemind_desktop.core.credentials import Secrets
from hivemind_desktop.core.fleet import client
from hivemind_desktop.core.fleet.book import Computer, ComputerBook, TokenStore
from hivemind_desktop.core.fleet.client import FleetError
from hivemind_desktop.core.fleet.watch import POLL_S, FleetWatch, Reading
from hivemind_desktop.core.remote.access import PairingLink
from hivemind_desktop.core.settings import config_file_path

HISTORY_S = 600  # the charts' ten minutes
Q = Qt.ConnectionType.QueuedConnection


@dataclass
class ComputerView:
    """What the page shows for one computer."""

    computer: Computer
    summary: dict[str, Any] | None = None  # the last good answer
    last_seen: float | None = None  # time.time() of the last good answer
    error: FleetError | None = None  # why the last poll failed (None: it answered)
    samples: deque[tuple[float, float, float, float | None, float | None]] = field(
        default_factory=lambda: deque(maxlen=int(HISTORY_S / POLL_S) + 8)
    )

    @property
    def online(self) -> bool:
        return self.error is None and self.summary is not None


class FleetModel(QObject):
    computers_changed = Signal()  # added or removed
    computer_updated = Signal(str)  # key: a new reading
    pair_finished = Signal(str, object)  # key ("" on failure), FleetError | None
    command_finished = Signal(str, str, object)  # key, message, FleetError | None
    _reading = Signal(object)  # pool thread -> GUI thread
    _paired = Signal(object, object)  # Computer | None, FleetError | None
    _commanded = Signal(str, str, object)

    def __init__(
        self,
        book_path: Path | None = None,
        tokens: TokenStore | None = None,
        poll_s: float = POLL_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        path = book_path or config_file_path().parent / "computers.json"
        self.book = ComputerBook(path, tokens if tokens is not None else Secrets())
        self.views: dict[str, ComputerView] = {}
        self.load_problem = ""
        try:
            for computer in self.book.computers():
                self.views[computer.key] = ComputerView(computer)
        except OSError as exc:
            self.load_problem = str(exc)
        self._tokens: dict[str, str] = {}  # read from the keyring once per computer
        self._tokens_lock = threading.Lock()
        self._watch = FleetWatch(self._token, self._reading.emit, poll_s=poll_s)
        self._watchers: set[int] = set()  # the pages on screen now (ids)
        self._started = False
        self._reading.connect(self._on_reading, Q)
        self._paired.connect(self._on_paired, Q)
        self._commanded.connect(self.command_finished, Q)

    def _token(self, computer: Computer) -> str:
        """On a pool thread: the keyring is asked once, not on every poll."""
        with self._tokens_lock:
            token = self._tokens.get(computer.key)
        if token is None:
            token = self.book.token(computer)
            with self._tokens_lock:
                self._tokens[computer.key] = token
        return token

    # -- watching ---------------------------------------------------------------------------
    def set_watching(self, watcher: object, on: bool) -> None:
        """Poll only while someone looks: `watcher` (a page) is on screen or not."""
        if on:
            self._watchers.add(id(watcher))
        else:
            self._watchers.discard(id(watcher))
        self._follow()

    @property
    def watching(self) -> bool:
        return bool(self._watchers)

    def _follow(self) -> None:
        if self.watching and not self._started:
            self._watch.start()
            self._started = True
        self._watch.set_computers(
            [v.computer for v in self.views.values()] if self.watching else []
        )

    def stop(self) -> None:
        self._watch.stop()

    def _on_reading(self, reading: Reading) -> None:
        view = self.views.get(reading.key)
        if view is None:
            return
        view.error = reading.error
        if reading.summary is not None:
            view.summary = reading.summary
            view.last_seen = reading.at
            sample = (reading.summary.get("resources") or {}).get("sample")
            if isinstance(sample, dict):
                view.samples.append(
                    (
                        float(sample.get("time", reading.at)),
                        float(sample.get("cpu_percent", 0.0)),
                        float(sample.get("memory_percent", 0.0)),
                        sample.get("gpu_percent"),
                        sample.get("gpu_memory_percent"),
                    )
                )
        self.computer_updated.emit(reading.key)

    # -- pairing ----------------------------------------------------------------------------
    def pair(self, link: PairingLink, my_name: str) -> None:
        """Exchange the code and keep the computer, on a thread; `pair_finished` follows."""

        def run() -> None:
            try:
                pairing = client.pair(link, my_name)
                computer = self.book.add(pairing)
                self._paired.emit(computer, None)
            except FleetError as exc:
                self._paired.emit(None, exc)
            except Exception as exc:  # the keyring: KeyringUnavailable says cause and fix
                self._paired.emit(None, FleetError(client.FAILED, str(exc)))

        threading.Thread(target=run, name="fleet-pair", daemon=True).start()

    def _on_paired(self, computer: Computer | None, error: FleetError | None) -> None:
        if computer is not None:
            with self._tokens_lock:
                self._tokens.pop(computer.key, None)  # paired again: a new token
            self.views[computer.key] = ComputerView(computer)
            self.computers_changed.emit()
            self._follow()
        self.pair_finished.emit(computer.key if computer else "", error)

    def remove(self, key: str) -> None:
        view = self.views.pop(key, None)
        if view is None:
            return
        with self._tokens_lock:
            self._tokens.pop(key, None)
        self.computers_changed.emit()
        self._follow()

        def run() -> None:
            # Ask the worker to revoke the token first (best effort: it may be offline
            # or unpaired already), then forget the computer here.
            try:
                token = self.book.token(view.computer)
                c = view.computer
                client.request(c.host, c.port, c.fingerprint, "POST", "/api/unpair", token=token)
            except Exception:  # noqa: S110 - nothing to tell: the card is gone either way
                pass
            try:
                self.book.remove(key)
            except Exception as exc:
                self._commanded.emit(key, "", FleetError(client.FAILED, str(exc)))

        threading.Thread(target=run, name="fleet-remove", daemon=True).start()

    # -- commands ---------------------------------------------------------------------------
    def command(self, key: str, action: str, task_id: str = "") -> None:
        view = self.views.get(key)
        if view is None:
            return
        self._watch.command(
            view.computer,
            action,
            lambda message, error: self._commanded.emit(key, message, error),
            task_id,
        )
