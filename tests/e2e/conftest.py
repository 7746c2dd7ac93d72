"""Fixtures for tests/e2e: see e2e_kit.py (a unique module name, so test files can import
its helpers whatever other folders' conftest modules are loaded)."""

from e2e_kit import pool_factory, scientist_factory, start_worker, worker_settings  # noqa: F401
