"""The worker's vocabulary of states, decided in the core once.

The tray, the Dashboard, the status API and the `status` command show these; none of them
works a state out again. Values are the fixed English identifiers the GUI translates.
"""

from __future__ import annotations

import enum


class WorkerState(enum.StrEnum):
    """What the worker is doing, as the volunteer sees it."""

    STARTING = "starting"  # before the worker has said anything
    STOPPING = "stopping"  # shutting down: stopping tasks, delivering their results
    ERROR = "error"  # it cannot contribute until something is fixed (the reason says what)
    PAUSED = "paused"  # the volunteer paused it
    SNOOZED = "snoozed"  # the volunteer snoozed it until a time
    WAITING = "waiting"  # the contribution policy holds tasks back (in use, on battery...)
    SIGNED_OUT = "signed_out"
    DISCONNECTED = "disconnected"  # signed in, the node pool does not answer
    CONTRIBUTING = "contributing"  # at least one task holds a slot
    IDLE = "idle"  # ready, waiting for tasks


class PoolState(enum.StrEnum):
    """The node-pool session, as the pool client knows it."""

    SIGNED_OUT = "signed_out"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    REJECTED = "rejected"


def decide(
    *,
    problem: str,
    paused: bool,
    snoozed: bool = False,
    waiting: bool = False,
    signed_in: bool,
    pool: PoolState,
    running: int,
) -> WorkerState:
    """The one state shown, in the order they win: error > paused > snoozed > waiting >
    signed out > disconnected > contributing > idle."""
    if problem:
        return WorkerState.ERROR
    if paused:
        return WorkerState.PAUSED
    if snoozed:
        return WorkerState.SNOOZED
    if waiting:
        return WorkerState.WAITING
    if not signed_in:
        return WorkerState.SIGNED_OUT
    if pool in (PoolState.DISCONNECTED, PoolState.REJECTED, PoolState.SIGNED_OUT):
        return WorkerState.DISCONNECTED
    if running:
        return WorkerState.CONTRIBUTING
    return WorkerState.IDLE
