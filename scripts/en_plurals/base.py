# ruff: noqa: E501 - one entry a line
"""Plural forms of the %n strings of the app (one, other)."""

EN_PLURALS = {
    "%n task(s) are running. Quitting stops them and sends what they produced so far back to the node pool.": (
        "%n task is running. Quitting stops it and sends what it produced so far back to the node pool.",
        "%n tasks are running. Quitting stops them and sends what they produced so far back to the node pool.",
    ),
    "up to %n task(s) at a time": ("%n task at a time", "up to %n tasks at a time"),
}
