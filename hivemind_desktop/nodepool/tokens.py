"""JWT (HS256) issue and check, as the deployed pool does (protocol.md §1)."""

from __future__ import annotations

import secrets
import time

import jwt

REFRESH_GRACE_S = 300  # a token expired less than this long ago may still be refreshed


class TokenIssuer:
    """Signs `sub`=username tokens with one secret per pool."""

    def __init__(self, secret: bytes, ttl_s: float) -> None:
        self._secret = secret
        self.ttl_s = ttl_s

    @staticmethod
    def new_secret() -> bytes:
        return secrets.token_bytes(32)

    def issue(self, username: str) -> str:
        now = int(time.time())
        claims = {
            "sub": username,
            "iat": now,
            "exp": now + int(max(1, round(self.ttl_s))),
            "jti": secrets.token_hex(8),  # two logins in one second still differ
        }
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def user_of(self, token: str, leeway_s: float = 0) -> str | None:
        """The token's username, or None when it is malformed, forged or expired."""
        if not token:
            return None
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=["HS256"],
                leeway=leeway_s,
                options={"require": ["exp", "sub"]},
            )
        except jwt.PyJWTError:
            return None
        sub = claims.get("sub")
        return sub if isinstance(sub, str) and sub else None

    def user_of_bearer(self, header: str | None) -> str | None:
        """Parse an `authorization` metadata value of the form `Bearer <jwt>`."""
        if not header:
            return None
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.user_of(token.strip())

    def refresh(self, old_token: str) -> str | None:
        user = self.user_of(old_token, leeway_s=REFRESH_GRACE_S)
        return None if user is None else self.issue(user)
