"""Fixtures for tests/gui: see desktop_kit.py (shared with tests/keyring)."""

from desktop_kit import make_desktop, pool, submit, task_image, test_credentials  # noqa: F401
