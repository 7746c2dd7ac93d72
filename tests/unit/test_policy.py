"""The contribution policy with readings as input: in use, battery, busy (with its
hysteresis), schedule, low memory, snooze, and the GPU rule."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hivemind_desktop.core.policy import (
    RUN,
    Readings,
    Rules,
    Wait,
    decide,
    parse_schedule,
    rules_from,
    snooze_until,
)
from hivemind_desktop.core.settings import Settings, SettingsError, load

MONDAY_NOON = datetime(2026, 11, 30, 12, 0)  # a Monday
QUIET = Readings(now=MONDAY_NOON, idle_s=3600, on_battery=False, other_cpu_percent=5,
                 free_memory_gb=8)  # fmt: skip


def with_(**changes) -> Readings:
    return Readings(**{**QUIET.__dict__, **changes})


def test_the_defaults_let_a_quiet_computer_contribute() -> None:
    rules = rules_from(Settings())
    assert decide(QUIET, rules).run
    # in use does not suspend CPU tasks by default, but GPU tasks wait
    busy_hands = decide(with_(idle_s=10), rules)
    assert busy_hands.run and busy_hands.gpu_wait


@pytest.mark.parametrize(
    ("readings", "rules", "wait", "detail"),
    [
        (with_(idle_s=30), Rules(suspend_when_in_use=True), Wait.IN_USE, "computer in use"),
        (with_(on_battery=True), Rules(), Wait.ON_BATTERY, "on battery"),
        (with_(other_cpu_percent=80), Rules(), Wait.BUSY, "other programs use 80 %"),
        (with_(free_memory_gb=0.5), Rules(), Wait.LOW_MEMORY, "less than 1 GiB memory free"),
        (
            with_(),
            Rules(schedule=parse_schedule("mon-fri 18:00-08:00; sat,sun")),
            Wait.SCHEDULE,
            "outside your schedule",
        ),
        (
            with_(snoozed_until=MONDAY_NOON + timedelta(minutes=90)),
            Rules(),
            Wait.SNOOZED,
            "until 13:30",
        ),
    ],
)
def test_each_rule_suspends_with_its_reason(readings, rules, wait, detail) -> None:
    decision = decide(readings, rules)
    assert decision.wait == wait and not decision.run
    assert detail in decision.detail


def test_rules_that_are_off_or_unanswered_never_suspend() -> None:
    relaxed = Rules(suspend_when_in_use=False, gpu_suspend_when_in_use=False)
    assert decide(with_(idle_s=1), relaxed) == RUN
    assert decide(with_(on_battery=True), Rules(suspend_on_battery=False)).run
    assert decide(with_(other_cpu_percent=99), Rules(busy_percent=0)).run
    assert decide(with_(free_memory_gb=0.1), Rules(min_free_memory_gb=0)).run
    unknown = Readings(now=MONDAY_NOON)  # a platform that answers nothing
    assert decide(unknown, Rules(suspend_when_in_use=True)).run
    assert decide(with_(snoozed_until=MONDAY_NOON - timedelta(seconds=1)), Rules()).run


def test_busy_has_hysteresis_so_it_does_not_flap() -> None:
    rules = Rules(busy_percent=50)
    busy = decide(with_(other_cpu_percent=60), rules)
    assert busy.wait == Wait.BUSY
    # just under the limit is not enough to resume once suspended...
    assert decide(with_(other_cpu_percent=45), rules, busy).wait == Wait.BUSY
    # ...but it would not have suspended a running computer
    assert decide(with_(other_cpu_percent=45), rules, RUN).run
    assert decide(with_(other_cpu_percent=30), rules, busy).run


def test_the_first_reason_wins() -> None:
    everything = with_(idle_s=1, on_battery=True, other_cpu_percent=99, free_memory_gb=0.1,
                       snoozed_until=MONDAY_NOON + timedelta(hours=1))  # fmt: skip
    rules = Rules(suspend_when_in_use=True, schedule=parse_schedule("sun"))
    assert decide(everything, rules).wait == Wait.SNOOZED
    assert decide(with_(**{**everything.__dict__, "snoozed_until": None}), rules).wait == (
        Wait.SCHEDULE
    )


@pytest.mark.parametrize(
    ("text", "moment", "allowed"),
    [
        ("mon-fri 18:00-08:00", datetime(2026, 11, 30, 19, 0), True),  # Monday evening
        ("mon-fri 18:00-08:00", datetime(2026, 11, 30, 12, 0), False),  # Monday noon
        ("mon-fri 18:00-08:00", datetime(2026, 12, 1, 7, 59), True),  # Tue: Monday's night
        ("mon-fri 18:00-08:00", datetime(2026, 11, 30, 7, 0), False),  # Monday: Sunday had none
        ("mon-fri 18:00-08:00", datetime(2026, 12, 5, 7, 0), True),  # Sat: Friday's night
        ("sat,sun", datetime(2026, 12, 6, 23, 59), True),
        ("sat,sun", datetime(2026, 12, 7, 0, 0), False),
        ("fri-mon 09:00-17:00", datetime(2026, 11, 29, 10, 0), True),  # Sunday: fri-mon wraps
        ("tue 00:00-24:00", datetime(2026, 12, 1, 23, 59), True),
    ],
)
def test_schedule_windows(text: str, moment: datetime, allowed: bool) -> None:
    schedule = parse_schedule(text)
    assert schedule is not None and schedule.allows(moment) is allowed


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("weekdays", "not DAYS"),
        ("mon 25:00-26:00", "not a time of day"),
        ("mon 10:00-10:00", "empty"),
        ("mun 10:00-11:00", "not a weekday"),
    ],
)
def test_a_bad_schedule_is_refused_in_one_line(text: str, says: str, tmp_path) -> None:
    with pytest.raises(ValueError, match=says):
        parse_schedule(text)
    with pytest.raises(SettingsError, match="HIVEMIND_SCHEDULE"):
        load(env={"HIVEMIND_SCHEDULE": text}, config_file=tmp_path / "none.toml")


def test_always_and_empty_mean_no_schedule() -> None:
    assert parse_schedule("") is None and parse_schedule("always") is None


def test_snooze_choices() -> None:
    assert snooze_until(MONDAY_NOON, "hour") == MONDAY_NOON + timedelta(hours=1)
    assert snooze_until(MONDAY_NOON, "tomorrow") == datetime(2026, 12, 1, 7, 0)
    with pytest.raises(ValueError):
        snooze_until(MONDAY_NOON, "forever")
