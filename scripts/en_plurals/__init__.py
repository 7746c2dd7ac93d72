"""English plural forms of the app's %n strings, one module per topic (each defines
EN_PLURALS = {source: (one, other)}).

Qt picks a %n string's form from a translation file, English included: without one,
"%n task(s)" is shown as written. update_translations.py builds hivemind_en.ts from the
%n strings alone (lupdate -pluralonly) and fills it from these tables; a string missing
here is shown as its source text, and named by the script.
"""

from __future__ import annotations

import importlib
import pkgutil


def merged() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        part = importlib.import_module(f"{__name__}.{info.name}").EN_PLURALS
        for source, forms in part.items():
            if table.get(source, forms) != forms:
                raise SystemExit(f"{source!r} has other plural forms in en_plurals/{info.name}.py")
            table[source] = forms
    return table
