"""The one state the worker shows is decided in the core, in a fixed order."""

from __future__ import annotations

import pytest

from hivemind_desktop.core.states import PoolState, WorkerState, decide

READY = dict(problem="", paused=False, signed_in=True, pool=PoolState.CONNECTED, running=0)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, WorkerState.IDLE),
        ({"running": 2}, WorkerState.CONTRIBUTING),
        ({"pool": PoolState.DISCONNECTED, "running": 1}, WorkerState.DISCONNECTED),
        ({"pool": PoolState.REJECTED}, WorkerState.DISCONNECTED),
        ({"signed_in": False, "pool": PoolState.SIGNED_OUT}, WorkerState.SIGNED_OUT),
        ({"paused": True, "pool": PoolState.DISCONNECTED}, WorkerState.PAUSED),
        ({"paused": True, "signed_in": False}, WorkerState.PAUSED),
        ({"problem": "Docker is not running", "paused": True}, WorkerState.ERROR),
    ],
)
def test_decide_orders_the_states(changes: dict, expected: WorkerState) -> None:
    assert decide(**{**READY, **changes}) == expected
