"""The paired computers: where they are and what they were paired with, in
`computers.json` beside the app's config file; their tokens in the OS keyring only."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from hivemind_desktop.core.credentials import KeyringUnavailable
from hivemind_desktop.core.fleet.client import NO_KEYRING, NO_TOKEN, FleetError, Pairing

FILE_NAME = "computers.json"


class TokenStore(Protocol):
    """What core.credentials.Secrets offers (raises KeyringUnavailable)."""

    def get(self, key: str) -> str | None: ...
    def put(self, key: str, value: str) -> None: ...
    def remove(self, key: str) -> None: ...


@dataclass(frozen=True)
class Computer:
    host: str
    port: int
    fingerprint: str
    permissions: tuple[str, ...]

    @property
    def key(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def may_control(self) -> bool:
        return "control" in self.permissions


class ComputerBook:
    def __init__(self, path: Path, tokens: TokenStore) -> None:
        self.path = path
        self._tokens = tokens
        self._lock = threading.Lock()  # pairings finish on threads of their own

    def computers(self) -> list[Computer]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            raise OSError(f"{self.path} cannot be read ({exc})") from None
        return [
            Computer(
                str(c["host"]), int(c["port"]), str(c["fingerprint"]),
                tuple(c.get("permissions", ["read"])),
            )  # fmt: skip
            for c in data.get("computers", [])
        ]

    def add(self, pairing: Pairing) -> Computer:
        """Keep a new pairing: the token in the keyring first (a keyring error leaves
        nothing half-saved), then the computer in the file, replacing one at that address."""
        computer = Computer(pairing.host, pairing.port, pairing.fingerprint, pairing.permissions)
        with _keyring():
            self._tokens.put(computer.key, pairing.token)
        with self._lock:
            others = [c for c in self.computers() if c.key != computer.key]
            self._write([*others, computer])
        return computer

    def remove(self, key: str) -> None:
        with self._lock:
            self._write([c for c in self.computers() if c.key != key])
        with _keyring():
            self._tokens.remove(key)

    def token(self, computer: Computer) -> str:
        with _keyring():
            token = self._tokens.get(computer.key)
        if not token:
            raise FleetError(NO_TOKEN, "this computer's token is not in the keyring: pair it again")
        return token

    def _write(self, computers: list[Computer]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"computers": [{**asdict(c), "permissions": list(c.permissions)} for c in computers]}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)


@contextmanager
def _keyring() -> Iterator[None]:
    """A missing or locked keyring as a FleetError the page can put in its own words."""
    try:
        yield
    except KeyringUnavailable as exc:
        raise FleetError(
            NO_KEYRING,
            "no keyring can keep this computer's token: start or unlock your desktop's "
            f"keyring service, then pair again ({exc.reason})",
        ) from None
