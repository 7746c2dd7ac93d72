"""When the computer can spare itself: the contribution policy as a pure function.

"May tasks run now?" depends on readings (input idle time, battery, other programs' CPU,
free memory, the clock, a snooze) and on the volunteer's rules (Settings). `decide` maps
one to the other with no I/O, so it is tested with readings as input; the sensors are
separate adapters (core/sensors.py) and the worker's policy loop feeds them in.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say

if TYPE_CHECKING:
    from hivemind_desktop.core.settings import Settings

BUSY_HYSTERESIS = 15.0  # points of CPU below the limit before a busy computer counts as free
# Why tasks wait, one line for the volunteer (core/i18n.py; the tray shows them too).
UNTIL = QT_TRANSLATE_NOOP("WaitReason", "until %1")
OUTSIDE_SCHEDULE = QT_TRANSLATE_NOOP("WaitReason", "outside your schedule")
ON_BATTERY = QT_TRANSLATE_NOOP("WaitReason", "on battery")
IN_USE = QT_TRANSLATE_NOOP("WaitReason", "computer in use")
LOW_MEMORY = QT_TRANSLATE_NOOP("WaitReason", "less than %1 GiB memory free")
BUSY = QT_TRANSLATE_NOOP("WaitReason", "other programs use %1 % of the CPU")

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Wait(enum.StrEnum):
    """Why tasks wait; the first that applies wins, in this order."""

    SNOOZED = "snoozed"
    SCHEDULE = "schedule"
    ON_BATTERY = "on_battery"
    IN_USE = "in_use"
    LOW_MEMORY = "low_memory"
    BUSY = "busy"


@dataclass(frozen=True)
class Rules:
    """The volunteer's rules, from Settings (see `rules_from`)."""

    suspend_when_in_use: bool = False
    idle_minutes: float = 3.0
    suspend_on_battery: bool = True
    busy_percent: float = 50.0  # other programs' CPU that suspends tasks; 0 = off
    schedule: Schedule | None = None  # None: always allowed
    min_free_memory_gb: float = 1.0
    gpu_suspend_when_in_use: bool = True


@dataclass(frozen=True)
class Readings:
    now: datetime  # local time
    idle_s: float | None = None  # since the last keyboard/mouse input; None: unknown
    on_battery: bool | None = None
    other_cpu_percent: float | None = None  # whole machine, without the tasks' own use
    free_memory_gb: float | None = None
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class Decision:
    wait: Wait | None  # None: tasks may run
    detail: str = ""  # one line for the volunteer ("computer in use", "until 14:30")
    gpu_wait: bool = False  # GPU tasks wait (in use) even when CPU tasks may run

    @property
    def run(self) -> bool:
        return self.wait is None


RUN = Decision(None)


def rules_from(settings: Settings) -> Rules:
    return Rules(
        suspend_when_in_use=settings.suspend_when_in_use,
        idle_minutes=settings.idle_minutes,
        suspend_on_battery=settings.suspend_on_battery,
        busy_percent=float(settings.busy_cpu_percent),
        schedule=parse_schedule(settings.schedule),
        min_free_memory_gb=settings.min_free_memory_gb,
        gpu_suspend_when_in_use=settings.gpu_suspend_when_in_use,
    )


def decide(readings: Readings, rules: Rules, previous: Decision = RUN) -> Decision:
    """The decision for these readings; `previous` gives the busy rule its hysteresis."""
    in_use = (
        readings.idle_s is not None and readings.idle_s < rules.idle_minutes * 60
    )  # an unknown idle time counts as "not in use": never a reason to stop
    gpu_wait = rules.gpu_suspend_when_in_use and in_use
    snoozed = readings.snoozed_until
    if snoozed is not None and readings.now < snoozed:
        return Decision(Wait.SNOOZED, say(UNTIL, _clock(snoozed, readings.now)), gpu_wait)
    if rules.schedule is not None and not rules.schedule.allows(readings.now):
        return Decision(Wait.SCHEDULE, OUTSIDE_SCHEDULE, gpu_wait)
    if rules.suspend_on_battery and readings.on_battery:
        return Decision(Wait.ON_BATTERY, ON_BATTERY, gpu_wait)
    if rules.suspend_when_in_use and in_use:
        return Decision(Wait.IN_USE, IN_USE, gpu_wait)
    free = readings.free_memory_gb
    if rules.min_free_memory_gb > 0 and free is not None and free < rules.min_free_memory_gb:
        return Decision(Wait.LOW_MEMORY, say(LOW_MEMORY, f"{rules.min_free_memory_gb:g}"), gpu_wait)
    other = readings.other_cpu_percent
    if rules.busy_percent > 0 and other is not None:
        limit = rules.busy_percent
        if previous.wait == Wait.BUSY:
            limit -= BUSY_HYSTERESIS  # stay suspended until clearly below, not flap
        if other > limit:
            return Decision(Wait.BUSY, say(BUSY, f"{other:.0f}"), gpu_wait)
    return Decision(None, "", gpu_wait)


def _clock(moment: datetime, now: datetime) -> str:
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    return moment.strftime("%a %H:%M")


def snooze_until(now: datetime, choice: str) -> datetime:
    """"hour": one hour from now; "tomorrow": 07:00 tomorrow (the owner's morning)."""
    if choice == "hour":
        return now + timedelta(hours=1)
    if choice == "tomorrow":
        return (now + timedelta(days=1)).replace(hour=7, minute=0, second=0, microsecond=0)
    raise ValueError(f"unknown snooze {choice!r}: hour or tomorrow")


# -- the weekly schedule ----------------------------------------------------------------------

_PART = re.compile(
    r"^\s*(?P<days>[a-z]{3}(?:\s*-\s*[a-z]{3})?(?:\s*,\s*[a-z]{3}(?:\s*-\s*[a-z]{3})?)*)"
    r"(?:\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2}))?\s*$"
)


@dataclass(frozen=True)
class Schedule:
    """Allowed hours per weekday: windows[day] holds (start, end) minutes after midnight.
    A window that ends before it starts runs past midnight into the next day."""

    windows: tuple[tuple[tuple[int, int], ...], ...]  # seven entries, Monday first
    text: str

    def allows(self, now: datetime) -> bool:
        minute = now.hour * 60 + now.minute
        today, yesterday = now.weekday(), (now.weekday() - 1) % 7
        for start, end in self.windows[today]:
            if (start <= minute < end) if start < end else minute >= start:
                return True
        # The tail after midnight of yesterday's overnight windows.
        return any(end < start and minute < end for start, end in self.windows[yesterday])


def parse_schedule(text: str) -> Schedule | None:
    """ "mon-fri 18:00-08:00; sat,sun" -> Schedule; "" -> None (always). A day without
    hours is allowed all day. Raises ValueError naming the part that is wrong."""
    text = text.strip().lower()
    if not text or text == "always":
        return None
    windows: list[list[tuple[int, int]]] = [[] for _ in DAYS]
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        match = _PART.match(part)
        if not match:
            raise ValueError(
                f"{part.strip()!r} is not DAYS [HH:MM-HH:MM], e.g. 'mon-fri 18:00-08:00'"
            )
        start, end = (0, 24 * 60)
        if match["start"]:
            start, end = _minutes(match["start"]), _minutes(match["end"])
            if start == end:
                raise ValueError(f"{part.strip()!r}: the window is empty (starts as it ends)")
        for day in _days(match["days"]):
            windows[day].append((start, end))
    return Schedule(tuple(tuple(w) for w in windows), text)


def _minutes(hhmm: str) -> int:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise ValueError(f"{hhmm} is not a time of day (00:00-24:00)")
    return hours * 60 + minutes


def _days(spec: str) -> list[int]:
    days: list[int] = []
    for item in spec.split(","):
        first, _, last = (x.strip() for x in item.partition("-"))
        for name in (first, last or first):
            if name not in DAYS:
                raise ValueError(f"{name!r} is not a weekday (mon, tue, ... sun)")
        a, b = DAYS.index(first), DAYS.index(last or first)
        days.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return days
