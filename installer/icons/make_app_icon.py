"""Draw the installers' app icon at 1024 px (the .icns and .ico are made from it).

Run: .venv/bin/python installer/icons/make_app_icon.py  ->  installer/icons/app-1024.png
The same drawing as the app's own icons (scripts/make_icons.py), at the size macOS asks
for its 512 pt @2x slot: PyInstaller (with Pillow) scales it down for the smaller slots,
so the Finder and Dock icons are sharp instead of a 256 px picture blown up.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import make_icons  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402

OUT = Path(__file__).with_name("app-1024.png")

if __name__ == "__main__":
    app = QGuiApplication(sys.argv)  # noqa: F841 - QPainter on QImage needs a GUI app
    if not make_icons.draw("app", make_icons.STATES["app"], 1024).save(str(OUT)):
        raise SystemExit(f"could not write {OUT}")
    print(OUT)
