"""The account's username and password in the OS keyring, never in a file.

One service name ("HiveMind Desktop"); the username sits under a fixed key and the
password under the username, so `load()` needs no prompt and no config file. Backends
that would store secrets in plain text (or nowhere) are refused: the caller gets a
KeyringUnavailable naming the cause and the fix, and the app signs in each time instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.backend
import keyring.errors

log = logging.getLogger(__name__)
T = TypeVar("T")

SERVICE = "HiveMind Desktop"
ACCOUNT_KEY = "__account__"  # the entry that holds the remembered username

# Why: these store nothing (fail, null) or store secrets readable by anyone with the
# file (plaintext backends of keyrings.alt); silently using them would betray the user.
_UNUSABLE_MODULES = ("keyring.backends.fail", "keyring.backends.null")
_UNUSABLE_NAME_PARTS = ("plaintext", "uncrypted", "unencrypted")

MISSING = "missing"
LOCKED = "locked"
FAILED = "failed"
_ABSENT = "absent"  # internal: the entry to delete was not there

_MESSAGES = {
    MISSING: (
        "No keyring is available to remember your password: start your desktop's "
        "keyring service (GNOME Keyring / KWallet, macOS Keychain, Windows Credential "
        "Manager) or sign in each time without 'remember me'"
    ),
    LOCKED: (
        "The keyring is locked: unlock it (log in to your desktop session or open your "
        "keyring app) or sign in each time without 'remember me'"
    ),
}


class KeyringUnavailable(RuntimeError):
    """No usable keyring right now. `reason` is MISSING, LOCKED or FAILED so a GUI can
    show its own translated text; str(exc) is a one-line English cause + fix."""

    def __init__(self, message: str, reason: str = FAILED) -> None:
        super().__init__(message)
        self.reason = reason


def _is_usable(backend: keyring.backend.KeyringBackend) -> bool:
    cls = type(backend)
    if cls.__module__ in _UNUSABLE_MODULES:
        return False
    name = f"{cls.__module__}.{cls.__name__}".lower()
    if any(part in name for part in _UNUSABLE_NAME_PARTS):
        return False
    try:
        # The chainer is usable if any link is. Both properties probe the backends
        # (D-Bus connections ...) and raise whatever those raise when nothing answers.
        chained = getattr(backend, "backends", None)
        if chained is not None:
            return any(_is_usable(b) for b in chained)
        return backend.priority >= 1
    except Exception:  # a backend that cannot even say its priority is not viable here
        return False


def _detect() -> keyring.backend.KeyringBackend | None:
    """The configured backend if usable, else the best viable one found now.

    keyring caches its choice at first use; the session's keyring may have started
    since (or the process was started before a D-Bus session existed), so look again.
    """
    try:
        current = keyring.get_keyring()
    except Exception:
        current = None
    if current is not None and _is_usable(current):
        return current
    candidates = []
    for cls in keyring.backend.KeyringBackend.get_viable_backends():
        try:
            candidate = cls()
        except Exception as exc:
            log.debug("keyring backend %s not usable: %s", cls, exc)
            continue
        if _is_usable(candidate) and type(candidate).__name__ != "ChainerBackend":
            candidates.append(candidate)
    return max(candidates, key=lambda b: b.priority, default=None)


class Credentials:
    """Remembered sign-in for one service name in the OS keyring."""

    def __init__(
        self,
        service: str = SERVICE,
        backend: keyring.backend.KeyringBackend | None = None,
    ) -> None:
        self.service = service
        self._backend = backend

    def _ring(self) -> keyring.backend.KeyringBackend:
        if self._backend is None or not _is_usable(self._backend):
            self._backend = _detect()
        if self._backend is None:
            raise KeyringUnavailable(_MESSAGES[MISSING], MISSING)
        return self._backend

    def backend_name(self) -> str:
        """Which keyring holds the secrets (for the UI and logs), e.g. 'SecretService Keyring'."""
        ring = self._ring()
        return getattr(ring, "name", type(ring).__name__)

    def load(self) -> tuple[str, str] | None:
        """The remembered (username, password), or None when nothing is remembered."""
        username = self._call(lambda r: r.get_password(self.service, ACCOUNT_KEY))
        if not username:
            return None
        password = self._call(lambda r: r.get_password(self.service, username))
        if password is None:
            return None
        return username, password

    def save(self, username: str, password: str) -> None:
        if not username or ACCOUNT_KEY == username:
            raise ValueError("a username is needed to remember the sign-in")
        previous = self._call(lambda r: r.get_password(self.service, ACCOUNT_KEY))
        self._call(lambda r: r.set_password(self.service, username, password))
        self._call(lambda r: r.set_password(self.service, ACCOUNT_KEY, username))
        if previous and previous != username:
            self._delete_entry(previous)

    def delete(self) -> None:
        """Forget the remembered sign-in; nothing remembered is not an error."""
        username = self._call(lambda r: r.get_password(self.service, ACCOUNT_KEY))
        if username:
            self._delete_entry(username)
        self._delete_entry(ACCOUNT_KEY)

    # -- internals -------------------------------------------------------------------------
    def _delete_entry(self, key: str) -> None:
        try:
            self._call(lambda r: r.delete_password(self.service, key))
        except KeyringUnavailable as exc:
            if exc.reason != _ABSENT:
                raise

    def _call(self, action: Callable[[keyring.backend.KeyringBackend], T]) -> T:
        ring = self._ring()
        try:
            return action(ring)
        except keyring.errors.PasswordDeleteError as exc:
            raise KeyringUnavailable(str(exc), _ABSENT) from None
        except keyring.errors.KeyringLocked:
            raise KeyringUnavailable(_MESSAGES[LOCKED], LOCKED) from None
        except (keyring.errors.NoKeyringError, keyring.errors.InitError) as exc:
            self._backend = None
            raise KeyringUnavailable(f"{_MESSAGES[MISSING]} ({exc})", MISSING) from None
        except (keyring.errors.KeyringError, OSError, RuntimeError, ConnectionError) as exc:
            # D-Bus/secretstorage/jeepney errors surface as these; the service went away.
            self._backend = None
            raise KeyringUnavailable(
                f"The keyring could not be used ({exc}): check that your keyring service "
                "is running and unlocked, or sign in each time without 'remember me'",
                FAILED,
            ) from None
        except Exception as exc:  # secretstorage's own exceptions have no common base here
            if type(exc).__module__.startswith(("secretstorage", "jeepney")):
                self._backend = None
                raise KeyringUnavailable(
                    f"The keyring could not be used ({exc}): check that your keyring "
                    "service is running and unlocked, or sign in each time",
                    FAILED,
                ) from None
            raise


FLEET_SERVICE = "HiveMind Desktop computers"


class Secrets(Credentials):
    """Named secrets under their own service name (the paired computers' tokens), with
    the same keyring choice and the same clear errors as the sign-in."""

    def __init__(
        self,
        service: str = FLEET_SERVICE,
        backend: keyring.backend.KeyringBackend | None = None,
    ) -> None:
        super().__init__(service, backend)

    def get(self, key: str) -> str | None:
        return self._call(lambda r: r.get_password(self.service, key))

    def put(self, key: str, value: str) -> None:
        self._call(lambda r: r.set_password(self.service, key, value))

    def remove(self, key: str) -> None:
        self._delete_entry(key)
