# ruff: noqa: E501 - one entry a line
"""Plural forms of the %n strings of the app (one, other)."""

EN_PLURALS = {
    "up to %n task(s) at a time": ("%n task at a time", "up to %n tasks at a time"),
}
