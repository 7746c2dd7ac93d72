"""Fixtures for tests/keyring: a private Secret Service (keyring_kit.py) and the desktop
app's fixtures (tests/gui/desktop_kit.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gui"))

from desktop_kit import make_desktop, pool, task_image, test_credentials  # noqa: E402, F401
from keyring_kit import secret_service  # noqa: E402, F401
