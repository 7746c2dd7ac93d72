""" "Can I sign in with these?" asked of a node pool once, keeping nothing.

The setup wizard asks it with the volunteer's credentials; the self-test asks it with
empty ones, where any answer of the pool's proves that a node pool is there. Both get the
same Login and the same reasons the worker itself would give.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import grpc

from hivemind_desktop.core.logs import register_secret
from hivemind_desktop.core.pool.session import (
    CALL_TIMEOUT_S,
    WORTH_RETRYING,
    SignInError,
    SignInOutcome,
    address_problem,
    login,
)
from hivemind_desktop.rpc import pb_grpc


@dataclass(frozen=True)
class ProbeResult:
    outcome: SignInOutcome
    message: str  # for the volunteer: the cause and the fix, or "signed in"
    rtt_ms: float | None = None  # how long the Login took, when one was made

    @property
    def ok(self) -> bool:
        return self.outcome == SignInOutcome.SIGNED_IN

    @property
    def pool_answered(self) -> bool:
        """A node pool is there (whether or not it took these credentials)."""
        return self.outcome in (SignInOutcome.SIGNED_IN, SignInOutcome.REFUSED, SignInOutcome.ERROR)

    @property
    def unreachable(self) -> bool:
        """Worth trying again later (signing in later is the worker's job)."""
        return self.outcome in WORTH_RETRYING


def probe_sign_in(
    address: str, username: str, password: str, timeout_s: float = CALL_TIMEOUT_S
) -> ProbeResult:
    """One Login against `address`; the token it may bring is dropped at once."""
    if problem := address_problem(address):
        return ProbeResult(SignInOutcome.BAD_ADDRESS, problem)
    if password:
        register_secret(password)
    started = time.perf_counter()
    with grpc.insecure_channel(address) as channel:
        try:
            login(pb_grpc.UserServiceStub(channel), address, username, password, timeout_s)
        except SignInError as exc:
            return ProbeResult(exc.outcome, str(exc), _ms_since(started))
    return ProbeResult(SignInOutcome.SIGNED_IN, "signed in", _ms_since(started))


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
