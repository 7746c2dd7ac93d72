"""Volunteer-facing texts made in the core, translatable without Qt in the core.

The core speaks English (logs, the CLI, the node pool and the store keep that text). A
text a volunteer may see is written from a template marked where it is defined:

    OUT_OF_MEMORY = QT_TRANSLATE_NOOP("Core", "out of memory (limit %1 GiB)")
    ...
    error = say(OUT_OF_MEMORY, f"{limit:g}")

`QT_TRANSLATE_NOOP` is a plain function that returns its text: pyside6-lupdate extracts
every call of that name (scripts/update_translations.py scans the core too), and it
records the template here. Templates are module-level constants, so importing a module
registers all of its texts. The GUI (gui/core_text.py) matches an English text against
the templates, translates the template and fills in the translated arguments, so a text
keeps working after it went through a signal, the node pool or the SQLite store.

Placeholders are Qt's %1..%9; an argument may itself be a core text (it is translated too).
"""

from __future__ import annotations

import re

_TEMPLATES: dict[str, str] = {}  # English template -> its translation context
_PLACEHOLDER = re.compile(r"%([1-9])")


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 - the name lupdate reads
    """Mark `source` as a translatable core text of `context`; returns it unchanged."""
    _TEMPLATES[source] = context
    return source


def say(template: str, *args: object) -> str:
    """The English text: %1, %2... of the template replaced by the arguments, in one pass
    (an argument holding "%2" is not filled again)."""

    def fill(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return str(args[index]) if index < len(args) else match.group(0)

    return _PLACEHOLDER.sub(fill, template)


def templates() -> dict[str, str]:
    """Every template registered so far, with its context."""
    return dict(_TEMPLATES)
