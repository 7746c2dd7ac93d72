"""The test suites. A package so that `tests.kit` is imported from this checkout (the
repository root is on sys.path through pytest's `pythonpath`), never from elsewhere."""
