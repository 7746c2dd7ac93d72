"""Fixtures for tests/keyring: a private Secret Service (tests/kit/secret_service.py) and
the desktop app's fixtures (tests/kit/desktop.py)."""

from tests.kit.desktop import (  # noqa: F401
    make_desktop,
    pool_options,
    pool_users,
    task_image,
    test_credentials,
)
from tests.kit.secret_service import secret_service  # noqa: F401
