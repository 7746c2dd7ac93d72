"""Traditional Chinese texts, one module per topic (each defines ZH_TW = {source: text}).

A new topic adds its own module here, so parallel work does not edit one table;
update_translations.py merges them all and refuses a source translated twice differently.
"""

from __future__ import annotations

import importlib
import pkgutil


def merged() -> dict[str, str]:
    table: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        part = importlib.import_module(f"{__name__}.{info.name}").ZH_TW
        for source, text in part.items():
            if table.get(source, text) != text:
                raise SystemExit(f"{source!r} is translated differently in zh_tw/{info.name}.py")
            table[source] = text
    return table
