"""The tray as each platform expects it: on macOS a click opens the menu bar item's menu
only (Qt reports that click as a Trigger too) and the icons are template images; elsewhere
a click opens the window. The decision is pure; the Tray is built for real (offscreen)
and its activation signal fired as Qt fires it. tests/gui/test_tray_xvfb.py clicks the
real icon in a real tray host on Linux."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QSystemTrayIcon

from hivemind_desktop.gui import resources
from hivemind_desktop.gui.state import ICONS, AppState
from hivemind_desktop.gui.tray import Tray, opens_window, tray_icon_name

pytestmark = pytest.mark.gui

Reason = QSystemTrayIcon.ActivationReason


@pytest.mark.parametrize(
    "reason, linux, windows, macos",
    [
        ("trigger", True, True, False),
        ("double-click", True, True, False),
        ("context", False, False, False),
        ("middle", False, False, False),
    ],
)
def test_which_click_opens_the_window(reason, linux, windows, macos):
    assert opens_window(reason, "linux") is linux
    assert opens_window(reason, "win32") is windows
    assert opens_window(reason, "darwin") is macos


def test_every_state_has_a_black_and_clear_template_icon():
    for state in ICONS:
        name = tray_icon_name(state, "darwin")
        assert name == f"{state}-template" and tray_icon_name(state, "win32") == state
        for size in resources.ICON_SIZES:
            image = QImage(str(resources.ICONS / f"{name}-{size}.png"))
            assert image.width() == size
            colours = [
                image.pixelColor(x, y)
                for x in range(0, size, max(1, size // 16))
                for y in range(0, size, max(1, size // 16))
            ]
            # only black at some opacity: macOS tints it for a light or dark menu bar
            assert all(
                c.alpha() == 0 or (c.red(), c.green(), c.blue()) == (0, 0, 0) for c in colours
            )
            assert any(c.alpha() == 0 for c in colours) and any(c.alpha() == 255 for c in colours)


def fire(tray: Tray, reason: QSystemTrayIcon.ActivationReason) -> int:
    opened = []
    tray.open_requested.connect(lambda: opened.append(1))
    tray.icon.activated.emit(reason)
    return len(opened)


def test_on_macos_a_click_shows_the_menu_only_and_the_menu_opens_the_window(qapp):
    tray = Tray(AppState(), platform="darwin")
    assert fire(tray, Reason.Trigger) == 0
    assert fire(tray, Reason.DoubleClick) == 0
    assert all(icon.isMask() for icon in tray.icons.values())
    entries = [a.text() for a in tray.menu.actions()]
    assert "Open HiveMind" in entries
    opened = []
    tray.open_requested.connect(lambda: opened.append(1))
    tray.open_action.trigger()
    assert opened == [1]


@pytest.mark.parametrize("platform", ["linux", "win32"])
def test_elsewhere_a_click_opens_the_window(qapp, platform):
    tray = Tray(AppState(), platform=platform)
    assert fire(tray, Reason.Trigger) == 1
    assert fire(tray, Reason.Context) == 0
    assert not any(icon.isMask() for icon in tray.icons.values())
