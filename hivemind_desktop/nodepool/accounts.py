"""Password hashing for pool accounts (scrypt, per-user salt, constant-time check)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# ~16 MiB and a few tens of ms per hash: slow enough to blunt guessing, fast
# enough that tests logging in dozens of times stay quick.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32, "maxmem": 64 * 1024 * 1024}
_DUMMY_SALT = secrets.token_bytes(16)


def hash_password(password: str, salt: bytes | None = None) -> tuple[bytes, bytes]:
    """Return (salt, hash); a fresh random salt unless one is given."""
    salt = secrets.token_bytes(16) if salt is None else salt
    return salt, hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)


def verify_password(password: str, salt: bytes | None, expected: bytes | None) -> bool:
    """Constant-time check; an unknown user (salt None) still costs one hash."""
    if salt is None or expected is None:
        hash_password(password, _DUMMY_SALT)  # same cost, so timing does not reveal users
        return False
    _, actual = hash_password(password, salt)
    return hmac.compare_digest(actual, expected)
