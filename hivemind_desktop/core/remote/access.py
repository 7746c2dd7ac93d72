"""Who may use the remote status API: pairing codes and per-computer tokens.

A pairing code is short (typed by a person), lives ten minutes, works once, and is kept
only in the worker's memory. Exchanging it over TLS gives the other computer a long
token, shown once and kept here only as its SHA-256: the file in the data folder never
holds a usable secret. Pairing a computer again under the same name revokes its old
token, and revoked tokens are remembered so that a replayed one is told apart from a
mistyped one. Five wrong codes in a row throw every pending code away: a code is too
short to stand guessing.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

CLIENTS_FILE = "remote-clients.json"
CODE_LIFETIME_S = 600
MAX_WRONG_CODES = 5
MAX_PENDING_CODES = 8
MAX_REVOKED_KEPT = 500
NAME_MAX = 64

READ = "read"
CONTROL = "control"  # pause/resume and stop a task
PERMISSIONS = (READ, CONTROL)

# No 0/O, 1/I/L, U: a code read aloud or copied by hand should survive it.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
_CODE_LENGTH = 12


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def check_name(name: str) -> str:
    """A computer's name as a person gave it: printable, 1-64 characters."""
    name = name.strip()
    if not name or len(name) > NAME_MAX or not name.isprintable():
        raise ValueError("a computer's name must be 1 to 64 printable characters")
    return name


class AccessDenied(Exception):
    """A request is refused. `status` is the HTTP status, `reason` a fixed word the other
    side turns into its own words (wrong_token, revoked_token, not_permitted, ...)."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Client:
    name: str
    token_sha256: str
    permissions: tuple[str, ...]
    paired_at: float

    def may(self, permission: str) -> bool:
        return permission in self.permissions


@dataclass(frozen=True)
class PendingCode:
    code_sha256: str
    permissions: tuple[str, ...]
    expires_at: float


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once, e.g. "K7QF-9XMD-2HCP"
    expires_at: float
    permissions: tuple[str, ...]


class RemoteAccess:
    """The pending codes (memory) and the paired computers (`remote-clients.json`)."""

    def __init__(self, folder: Path, clock: Callable[[], float] = time.time) -> None:
        self._path = folder / CLIENTS_FILE
        self._clock = clock
        self._lock = threading.Lock()
        self._codes: list[PendingCode] = []
        self._wrong_codes = 0
        self._clients: dict[str, Client] = {}  # token sha256 -> client
        self._revoked: list[str] = []  # token sha256, oldest first
        self._load()

    # -- pairing ----------------------------------------------------------------------------
    def issue_code(self, permissions: tuple[str, ...] = (READ,)) -> IssuedCode:
        perms = _check_permissions(permissions)
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
        now = self._clock()
        pending = PendingCode(_digest(raw), perms, now + CODE_LIFETIME_S)
        with self._lock:
            self._codes = [c for c in self._codes if c.expires_at > now][-(MAX_PENDING_CODES - 1) :]
            self._codes.append(pending)
            self._wrong_codes = 0
        shown = "-".join(raw[i : i + 4] for i in range(0, _CODE_LENGTH, 4))
        return IssuedCode(shown, pending.expires_at, perms)

    def redeem(self, code: str, name: str) -> tuple[str, Client]:
        """Exchange a code for a new token (returned once, never stored)."""
        name = check_name(name)
        wanted = _digest(normalise_code(code))
        now = self._clock()
        with self._lock:
            match = next((c for c in self._codes if c.code_sha256 == wanted), None)
            if match is None or match.expires_at <= now:
                if match is not None:
                    self._codes.remove(match)
                    raise AccessDenied(
                        410, "code_expired",
                        "this pairing code has expired: run `hivemind-desktop pair` again",
                    )  # fmt: skip
                self._wrong_codes += 1
                if self._wrong_codes >= MAX_WRONG_CODES:
                    self._codes.clear()
                raise AccessDenied(
                    403, "wrong_code",
                    "this pairing code is not valid (mistyped, used already or expired): "
                    "run `hivemind-desktop pair` again",
                )  # fmt: skip
            self._codes.remove(match)
            self._wrong_codes = 0
            token = secrets.token_urlsafe(32)
            client = Client(name, _digest(token), match.permissions, now)
            for old in [c for c in self._clients.values() if c.name == name]:
                self._revoke_locked(old)
            self._clients[client.token_sha256] = client
            self._save_locked()
        return token, client

    # -- checking ---------------------------------------------------------------------------
    def check(self, token: str, permission: str) -> Client:
        """The client holding `token` when it may do `permission`; else AccessDenied."""
        if not token:
            raise AccessDenied(401, "no_token", "this worker answers paired computers only")
        digest = _digest(token)
        with self._lock:
            client = self._clients.get(digest)
            revoked = digest in self._revoked
        if client is None:
            if revoked:
                raise AccessDenied(
                    401, "revoked_token",
                    "this computer's pairing was withdrawn or replaced: pair it again",
                )  # fmt: skip
            raise AccessDenied(401, "wrong_token", "the token is not valid here: pair again")
        if not client.may(permission):
            raise AccessDenied(
                403, "not_permitted",
                f"this computer was paired without the '{permission}' permission: "
                "pair it again with `hivemind-desktop pair --control`",
            )  # fmt: skip
        return client

    # -- managing ---------------------------------------------------------------------------
    def clients(self) -> list[Client]:
        with self._lock:
            return sorted(self._clients.values(), key=lambda c: c.paired_at)

    def revoke(self, name: str) -> bool:
        with self._lock:
            found = [c for c in self._clients.values() if c.name == name]
            for client in found:
                self._revoke_locked(client)
            if found:
                self._save_locked()
        return bool(found)

    def _revoke_locked(self, client: Client) -> None:
        self._clients.pop(client.token_sha256, None)
        self._revoked.append(client.token_sha256)
        del self._revoked[:-MAX_REVOKED_KEPT]

    # -- the file ---------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            raise OSError(f"{self._path} cannot be read ({exc}): remove it to unpair all") from None
        for item in data.get("clients", []):
            client = Client(
                str(item["name"]), str(item["token_sha256"]),
                tuple(p for p in item["permissions"] if p in PERMISSIONS),
                float(item["paired_at"]),
            )  # fmt: skip
            self._clients[client.token_sha256] = client
        self._revoked = [str(d) for d in data.get("revoked", [])][-MAX_REVOKED_KEPT:]

    def _save_locked(self) -> None:
        data = {
            "clients": [
                {**asdict(c), "permissions": list(c.permissions)} for c in self._clients.values()
            ],
            "revoked": self._revoked,
        }
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1)
        os.replace(tmp, self._path)


def _check_permissions(permissions: tuple[str, ...]) -> tuple[str, ...]:
    perms = tuple(dict.fromkeys((READ, *permissions)))
    unknown = [p for p in perms if p not in PERMISSIONS]
    if unknown:
        raise ValueError(f"unknown permission {unknown[0]!r}: read or control")
    return perms


# -- the pairing link: what `hivemind-desktop pair` prints and the desktop app reads -------

LINK_FINGERPRINT_HEX = 16  # 64 bits of the certificate's SHA-256: enough to refuse a
# stand-in certificate during the ten minutes a code lives


@dataclass(frozen=True)
class PairingLink:
    host: str
    port: int
    code: str
    fingerprint: str  # a prefix (typed link) or the whole SHA-256 (pairing file)

    def text(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}/{self.code}/{self.fingerprint[:LINK_FINGERPRINT_HEX]}"

    def file_json(self) -> str:
        return json.dumps({"hivemind_pairing": 1, **asdict(self)}, indent=1)


class LinkError(ValueError):
    """A pairing code or file that cannot be used; `reason` (shape, file, host, port,
    incomplete, damaged) lets a GUI say it in its own language."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def parse_link(text: str) -> PairingLink:
    """A typed link `HOST:PORT/CODE/FINGERPRINT` or a pairing file's JSON; ValueError says
    what is wrong in words for people."""
    text = text.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
            link = PairingLink(
                str(data["host"]), int(data["port"]), str(data["code"]), str(data["fingerprint"])
            )
        except (ValueError, KeyError, TypeError):
            raise LinkError("file", "this is not a HiveMind pairing file") from None
        return _checked(link)
    parts = text.split("/")
    if len(parts) != 3:
        raise LinkError(
            "shape", "a pairing code looks like 10.0.0.2:5443/ABCD-EFGH-JKMN/0123456789abcdef"
        )
    address, code, fingerprint = parts
    host, sep, port = address.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit():
        raise LinkError(
            "host", "the pairing code starts with the worker's address, e.g. 10.0.0.2:5443"
        )
    return _checked(PairingLink(host, int(port), code, fingerprint))


def _checked(link: PairingLink) -> PairingLink:
    import ipaddress

    try:
        ipaddress.ip_address(link.host)
    except ValueError:
        raise LinkError("host", f"'{link.host[:40]}' is not an IP address") from None
    if not 0 < link.port < 65536:
        raise LinkError("port", "the port in the pairing code is not between 1 and 65535")
    if len(normalise_code(link.code)) != _CODE_LENGTH:
        raise LinkError("incomplete", "the pairing code is incomplete: copy all of it")
    fp = link.fingerprint.lower()
    if len(fp) < LINK_FINGERPRINT_HEX or any(ch not in "0123456789abcdef" for ch in fp):
        raise LinkError(
            "damaged", "the pairing code's last part (the certificate check) is damaged"
        )
    return PairingLink(link.host, link.port, link.code, fp)
