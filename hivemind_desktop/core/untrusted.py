"""Showing strings that come from strangers (task ids, archive names, callers) in logs and
messages: control characters escaped, length capped, so a 100 KB id or a newline in a
task id can neither flood the log nor forge a line in it."""

from __future__ import annotations

SHOWN_CHARS = 80


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """`value` as one printable line of at most about `limit` characters."""
    text = str(value)
    cut = text[:limit]
    escaped = "".join(
        c if c.isprintable() and c != "\\" else c.encode("unicode_escape").decode("ascii")
        for c in cut
    )
    if len(text) > limit:
        escaped += f"... ({len(text)} characters)"
    return escaped
