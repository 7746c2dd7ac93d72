"""Fixtures for tests/gui: see tests/kit/desktop.py (shared with tests/keyring)."""

from tests.kit.desktop import (  # noqa: F401
    make_desktop,
    pool_options,
    pool_users,
    submit,
    task_image,
    test_credentials,
    translations,
)
