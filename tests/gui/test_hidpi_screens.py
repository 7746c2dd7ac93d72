"""The screens changed for issue 9 (Settings limits, wizard sign-in and WireGuard key
pair) at HiDPI (QT_SCALE_FACTOR=2), light and dark, English and Chinese: drawn by
tests/gui/hidpi_screens.py in a process of its own (the scale factor is read when Qt
starts), checked there for cut widgets, screenshots in artifacts/."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.kit import REPO

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_changed_screens_at_hidpi(language, theme):
    out = REPO / "artifacts"
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    env["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, str(REPO / "tests" / "gui" / "hidpi_screens.py"), language, theme, out],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    tag = f"{language}_{theme}_x2"
    for name in ("settings_limits", "wizard_sign_in", "wizard_wireguard_keys"):
        shot = out / f"{name}_{tag}.png"
        assert shot.stat().st_size > 5_000, shot
