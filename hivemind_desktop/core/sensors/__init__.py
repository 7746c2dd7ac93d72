"""What the machine says about its owner: input idle time, battery, host CPU.

The readings the policy ("may we run now?") takes as input. One adapter per OS for
idle time, chosen once on first use and kept (an open X display, a D-Bus connection),
so the policy loop can ask every second for well under 0.05 % of a core. Every reader
returns None when the platform gives no answer and never raises: no answer means the
policy treats that rule as "allowed", and `describe_sources()` tells the Monitor page why.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from typing import Any, Protocol

import psutil

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say

# Where the readings come from, as the Monitor page says it (core/i18n.py).
NOT_AVAILABLE = QT_TRANSLATE_NOOP("Core", "not available")
NO_ANSWER = QT_TRANSLATE_NOOP("Core", "%1: no answer (%2), so the in-use rule is not applied")
NOT_AVAILABLE_BECAUSE = QT_TRANSLATE_NOOP("Core", "not available (%1)")
NO_BATTERY = QT_TRANSLATE_NOOP("Core", "no battery")
POWER_UNKNOWN = QT_TRANSLATE_NOOP("Core", "battery found, power source unknown")
BATTERY_STATUS = QT_TRANSLATE_NOOP("Core", "psutil battery status")

log = logging.getLogger(__name__)


class IdleSource(Protocol):
    name: str
    reason: str  # why read() has no answer, when it has none

    def read(self) -> float | None: ...


class _NoIdleSource:
    def __init__(self, reason: str) -> None:
        self.name = "none"
        self.reason = reason

    def read(self) -> float | None:
        return None


def pick_idle_source(
    platform: str = sys.platform, environ: dict[str, str] | None = None
) -> IdleSource:
    """The idle-time adapter for this platform and session.

    Linux: X11's screen saver extension when DISPLAY is set and it is not a Wayland
    session (XWayland only sees input sent to X windows, so it would call a busy
    Wayland desktop idle); otherwise logind's IdleHint on the system bus.
    """
    env = os.environ if environ is None else environ
    if platform == "win32":
        from hivemind_desktop.core.sensors.windows import WindowsIdleSource

        return WindowsIdleSource()
    if platform == "darwin":
        from hivemind_desktop.core.sensors.macos import MacIdleSource

        return MacIdleSource()
    wayland = bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE") == "wayland"
    display = env.get("DISPLAY", "")
    reasons = []
    if display and not wayland:
        from hivemind_desktop.core.sensors.x11 import X11IdleSource

        x11 = X11IdleSource(display)
        if x11.read() is not None:
            return x11
        reasons.append(x11.reason)
    from hivemind_desktop.core.sensors.logind import LogindIdleSource

    logind = LogindIdleSource()
    if logind.read() is not None:
        return logind
    reasons.append(logind.reason)
    if not display and not wayland:
        reasons.insert(0, "no DISPLAY")
    return _NoIdleSource("; ".join(r for r in reasons if r))


_lock = threading.Lock()
_idle: IdleSource | None = None


def _idle_source() -> IdleSource:
    global _idle
    with _lock:
        if _idle is None:
            try:
                _idle = pick_idle_source()
            except Exception as exc:  # noqa: BLE001 (a sensor never takes the worker down)
                log.warning("no input idle time: %s", exc)
                _idle = _NoIdleSource(f"{type(exc).__name__}: {exc}")
        return _idle


def read_idle_seconds() -> float | None:
    """Seconds since the last keyboard or mouse input; None when this platform cannot say."""
    source = _idle_source()
    try:
        return source.read()
    except Exception as exc:  # noqa: BLE001
        log.debug("idle time read failed: %s", exc)
        return None


def read_on_battery() -> bool | None:
    """True on battery, False on mains; None with no battery or when the OS does not say."""
    try:
        battery = psutil.sensors_battery()
    except Exception:  # noqa: BLE001 (psutil raises on odd sysfs entries)
        return None
    if battery is None or battery.power_plugged is None:
        return None
    return not battery.power_plugged


class HostCpu:
    """Whole-machine CPU use between two calls, 0-100 (all cores = 100).

    Keeps its own previous sample (psutil.cpu_percent(None) shares one global one with
    every other caller in the process, such as the monitor).
    """

    def __init__(self) -> None:
        self._last = psutil.cpu_times()

    def percent(self) -> float:
        now = psutil.cpu_times()
        last, self._last = self._last, now
        busy = _busy(now) - _busy(last)
        total = sum(now) - sum(last)
        return 0.0 if total <= 0 else max(0.0, min(100.0, 100.0 * busy / total))


def _busy(times: Any) -> float:
    idle = times.idle + getattr(times, "iowait", 0.0)
    # guest time is already counted in user on Linux
    return sum(times) - idle - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0)


def host_cpu_percent(interval: float) -> float:
    """Whole-machine CPU use over `interval` seconds (blocks), 0-100 (all cores = 100)."""
    meter = HostCpu()
    time.sleep(max(interval, 0.01))
    return meter.percent()


def describe_sources() -> dict[str, str]:
    """Which source each reading uses, in words for the Monitor page."""
    source = _idle_source()
    idle = source.name if source.name != "none" else NOT_AVAILABLE
    if source.reason:
        idle = say(NO_ANSWER, idle, source.reason)
    try:
        battery = psutil.sensors_battery()
    except Exception as exc:  # noqa: BLE001
        battery_text = say(NOT_AVAILABLE_BECAUSE, type(exc).__name__)
    else:
        if battery is None:
            battery_text = NO_BATTERY
        elif battery.power_plugged is None:
            battery_text = POWER_UNKNOWN
        else:
            battery_text = BATTERY_STATUS
    return {"idle": idle, "battery": battery_text, "cpu": "psutil host CPU times"}


__all__ = [
    "HostCpu",
    "IdleSource",
    "describe_sources",
    "host_cpu_percent",
    "pick_idle_source",
    "read_idle_seconds",
    "read_on_battery",
]
