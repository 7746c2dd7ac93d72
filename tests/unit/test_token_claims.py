"""The worker reads its token's claims without a JWT library: same answer as PyJWT's
unverified decode, and a clear ValueError for anything that is not a JWT."""

from __future__ import annotations

import jwt
import pytest

from hivemind_desktop.core.pool.session import unverified_claims


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "alice", "exp": 2_000_000_000, "iat": 1_900_000_000},
        {"sub": "bob", "name": "Bö ✓", "exp": 1.5},
        {},
    ],
)
def test_claims_match_pyjwt(claims: dict) -> None:
    token = jwt.encode(claims, "k" * 32, algorithm="HS256")
    assert unverified_claims(token) == jwt.decode(token, options={"verify_signature": False})


@pytest.mark.parametrize(
    "token", ["", "opaque-token", "a.b", "a.!!!.c", "a.bm90IGpzb24.c", "a.WzFd.c", "a.b.c.d"]
)
def test_not_a_jwt_is_a_value_error(token: str) -> None:
    with pytest.raises(ValueError, match="not a JWT"):
        unverified_claims(token)
