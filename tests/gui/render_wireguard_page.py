"""Render the WireGuard page after a save, as its own process (QT_SCALE_FACTOR is read
once per process): argv CONFIG_DIR SCREENSHOT [dark]. Prints a JSON line with what the
test checks: the buttons' texts, whether they lie inside the page, the pixel ratio."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from hivemind_desktop.core import vpn
from hivemind_desktop.gui.wizard.wireguard_page import WizardWireGuardPage


def dark_palette() -> QPalette:
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#303134"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
    ):
        dark.setColor(role, QColor(colour))
    return dark


def main() -> int:
    config_dir, shot = Path(sys.argv[1]), sys.argv[2]
    app = QApplication(sys.argv[:1])
    if "dark" in sys.argv[3:]:
        app.setPalette(dark_palette())
    page = WizardWireGuardPage(config_dir)
    page.resize(800, 600)
    page.show()
    private, _ = vpn.generate_keypair()
    _, pool_public = vpn.generate_keypair()
    page.editor.setPlainText(
        vpn.new_config_template(private, "10.0.0.2/24", pool_public, "192.0.2.1:51820")
    )
    page.save()
    result: dict[str, object] = {}

    def look() -> None:
        if page.saved_path is None:
            QTimer.singleShot(50, look)
            return
        page.copy_path()
        app.processEvents()
        page.grab().save(shot)
        buttons = (page.show_folder_button, page.copy_path_button)
        result.update(
            saved=str(page.saved_path),
            visible=all(b.isVisible() for b in buttons),
            inside=all(
                page.rect().contains(b.mapTo(page, b.rect().bottomRight())) for b in buttons
            ),
            ratio=page.devicePixelRatioF(),
            message_style=page.saved_message.styleSheet(),
            window_colour=page.palette().window().color().lightness(),
        )
        app.quit()

    QTimer.singleShot(0, look)
    QTimer.singleShot(30_000, app.quit)  # never hang the test
    app.exec()
    print(json.dumps(result))
    return 0 if result else 1


if __name__ == "__main__":
    raise SystemExit(main())
