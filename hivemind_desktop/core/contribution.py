"""The contribution policy at work: read the sensors, decide, tell the engine.

Once a second (a change reaches the engine within about that), `PolicyLoop.tick` gathers
readings, asks `policy.decide`, and hands the answer to the engine, which freezes or thaws
containers and takes no task while it waits. The snooze is kept in the store so a restart
keeps it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from hivemind_desktop.core import policy, sensors
from hivemind_desktop.core.models import TaskRecord, TaskState
from hivemind_desktop.core.monitor import Sample
from hivemind_desktop.core.settings import Settings

log = logging.getLogger(__name__)

POLICY_S = 1.0
SNOOZE_KEY = "snoozed_until"


class Sensors(Protocol):
    """Where readings come from (core/sensors.py on a real machine)."""

    def idle_seconds(self) -> float | None: ...
    def on_battery(self) -> bool | None: ...


class SystemSensors:
    """This machine's sensors (core/sensors: one adapter per OS)."""

    def idle_seconds(self) -> float | None:
        return sensors.read_idle_seconds()

    def on_battery(self) -> bool | None:
        return sensors.read_on_battery()


class KeyValues(Protocol):
    def get_value(self, key: str) -> str | None: ...
    def set_value(self, key: str, value: str) -> None: ...


class PolicyLoop:
    def __init__(
        self,
        *,
        settings: Callable[[], Settings],
        sensors: Sensors,
        latest_sample: Callable[[], Sample | None],
        tasks: Callable[[], list[TaskRecord]],
        store: KeyValues,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self._settings = settings
        self._sensors = sensors
        self._latest_sample = latest_sample
        self._tasks = tasks
        self._store = store
        self._clock = clock
        self.decision = policy.RUN
        self._rules_for: tuple[Settings, policy.Rules] | None = None
        self._snoozed_until = self._stored_snooze()  # read once: the store is written on change

    # -- snooze -----------------------------------------------------------------------------
    @property
    def snoozed_until(self) -> datetime | None:
        return self._snoozed_until

    def _stored_snooze(self) -> datetime | None:
        text = self._store.get_value(SNOOZE_KEY) or ""
        try:
            return datetime.fromisoformat(text) if text else None
        except ValueError:
            return None

    def snooze(self, choice: str) -> datetime:
        until = policy.snooze_until(self._clock(), choice)
        self._store.set_value(SNOOZE_KEY, until.isoformat(timespec="seconds"))
        self._snoozed_until = until
        log.info("snoozed until %s", until.isoformat(timespec="minutes"))
        return until

    def unsnooze(self) -> None:
        self._store.set_value(SNOOZE_KEY, "")
        self._snoozed_until = None

    # -- deciding ---------------------------------------------------------------------------
    def readings(self) -> policy.Readings:
        sample = self._latest_sample()
        return policy.Readings(
            now=self._clock(),
            idle_s=self._sensors.idle_seconds(),
            on_battery=self._sensors.on_battery(),
            other_cpu_percent=self._other_cpu(sample),
            free_memory_gb=sample.memory_available_gb if sample else None,  # no extra read
            snoozed_until=self.snoozed_until,
        )

    def tick(self) -> tuple[policy.Decision, bool]:
        """The decision now, and whether it changed."""
        decision = policy.decide(self.readings(), self._rules(), self.decision)
        changed = decision != self.decision
        if changed and decision.wait != self.decision.wait:
            what = f"waiting: {decision.detail}" if decision.wait else "contributing again"
            log.info("contribution policy: %s", what)
        self.decision = decision
        return decision, changed

    def _rules(self) -> policy.Rules:
        settings = self._settings()  # a new object whenever they change: parse once per change
        if self._rules_for is None or self._rules_for[0] is not settings:
            self._rules_for = (settings, policy.rules_from(settings))
        return self._rules_for[1]

    def _other_cpu(self, sample: Sample | None) -> float | None:
        """The machine's CPU use without the tasks' own (their last `docker stats`)."""
        if sample is None:
            return None
        cores = os.cpu_count() or 1
        tasks = sum(
            t.usage.cpu_percent
            for t in self._tasks()
            if t.usage and t.state == TaskState.RUNNING and not t.paused
        )
        return max(0.0, sample.cpu_percent - tasks / cores)
