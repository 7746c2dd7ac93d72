"""The sensors on the real parts: a private Xvfb and real input through xdotool for the
idle time, this machine's (absent) battery and its CPU. Each reading that depends on
the environment runs in a fresh process, as the worker would start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hivemind_desktop.core import sensors
from hivemind_desktop.core.sensors.x11 import X11IdleSource
from tests.kit import REPO
from tests.kit.xvfb import start_xvfb

READ = """
import json, time
from hivemind_desktop.core import sensors
first = sensors.read_idle_seconds()
time.sleep(float(__import__("sys").argv[1]))
print(json.dumps({"first": first, "later": sensors.read_idle_seconds(),
                  "sources": sensors.describe_sources()}))
"""


@pytest.fixture
def xserver() -> Iterator[dict[str, str]]:
    """A private Xvfb on a display number it picks itself; no D-Bus for anyone."""
    xvfb, display = start_xvfb()
    env = _no_bus_env()
    env["DISPLAY"] = display
    try:
        yield env
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def _no_bus_env(tmp: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS="disabled:", PYTHONPATH=str(REPO))
    # A socket path that cannot exist: logind is unreachable whatever this machine runs.
    env["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=/nonexistent/hivemind-test/system_bus_socket"
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        env.pop(name, None)
    return env


def _read_in_process(env: dict[str, str], wait_s: float) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", READ, str(wait_s)],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def _xdotool(env: dict[str, str], *args: str) -> None:
    subprocess.run(["xdotool", *args], env=env, check=True, timeout=20)


@pytest.mark.xvfb
def test_real_input_resets_the_idle_time_which_then_grows(xserver):
    _xdotool(xserver, "mousemove", "100", "100")
    reading = _read_in_process(xserver, 1.5)
    assert reading["first"] is not None and reading["first"] < 1.0
    assert reading["later"] > 1.0
    assert reading["sources"]["idle"] == "X11 screen saver extension"

    time.sleep(1.0)
    _xdotool(xserver, "mousemove", "300", "200")
    source = X11IdleSource(xserver["DISPLAY"])
    assert source.read() < 1.0


@pytest.mark.xvfb
def test_an_x_server_that_goes_away_gives_none_not_an_exit():
    xvfb, display = start_xvfb()
    try:
        source = X11IdleSource(display)
        assert source.read() is not None
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    assert source.read() is None
    assert source.read() is None  # and stays so, without touching the dead connection
    assert "lost the connection" in source.reason or "cannot open" in source.reason


def test_no_display_and_no_bus_answers_none():
    reading = _read_in_process(_no_bus_env(), 0)
    assert reading["first"] is None and reading["later"] is None
    assert "not available" in reading["sources"]["idle"]
    assert "no DISPLAY" in reading["sources"]["idle"]


def test_a_display_that_does_not_exist_answers_none():
    env = _no_bus_env()
    env["DISPLAY"] = ":4093"
    reading = _read_in_process(env, 0)
    assert reading["first"] is None
    assert "cannot open X display :4093" in reading["sources"]["idle"]


def test_a_wayland_session_does_not_trust_xwayland(xserver):
    env = dict(xserver, WAYLAND_DISPLAY="wayland-0")
    reading = _read_in_process(env, 0)
    assert reading["first"] is None  # logind unreachable here, and X11 not asked
    assert "X11" not in reading["sources"]["idle"]


def test_other_platforms_adapters_answer_none_here():
    for platform in ("win32", "darwin"):
        source = sensors.pick_idle_source(platform)
        assert source.read() is None
        assert source.reason


def test_battery_is_absent_on_this_machine_and_said_so():
    assert sensors.read_on_battery() is None
    assert sensors.describe_sources()["battery"] == "no battery"


def test_host_cpu_follows_a_real_burner():
    meter = sensors.HostCpu()
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(1.0)
        busy = meter.percent()
    finally:
        burner.kill()
        burner.wait()
    assert 100 / (os.cpu_count() or 1) * 0.5 < busy <= 100
    assert 0 <= sensors.host_cpu_percent(0.2) <= 100
