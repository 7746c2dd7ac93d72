"""The core's English texts in the volunteer's language (see core/i18n.py).

An English text from the core is matched against the core's marked templates: an exact
template is translated as it is; one with %1..%9 is matched with each placeholder as a
group, the template translated and the groups filled in, each translated too (a reason
inside a reason); where several templates match, the reading leaving the least English
wins. A text that matches no template is shown as the core wrote it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from hivemind_desktop.core import i18n

_PLACEHOLDER = re.compile(r"%[1-9]")
_LATIN = re.compile(r"[A-Za-z]")
_cache: tuple[int, dict[str, str], list[tuple[re.Pattern[str], str, str]]] | None = None


def _patterns() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str, str]]]:
    """(exact templates, patterned ones most specific first), rebuilt when a module
    registered more templates."""
    global _cache
    found = i18n.templates()
    if _cache is None or _cache[0] != len(found):
        exact = {t: c for t, c in found.items() if not _PLACEHOLDER.search(t)}
        patterned = []
        for template, context in found.items():
            if template in exact:
                continue
            parts = _PLACEHOLDER.split(template)
            numbers = _PLACEHOLDER.findall(template)
            regex, seen = "", set()
            for i, part in enumerate(parts):
                regex += re.escape(part)
                if i < len(numbers):
                    n = numbers[i][1]
                    regex += f"(?P=a{n})" if n in seen else f"(?P<a{n}>.+?)"
                    seen.add(n)
            literal = sum(len(p) for p in parts)
            patterned.append((literal, re.compile(f"^{regex}$", re.DOTALL), template, context))
        patterned.sort(key=lambda item: -item[0])  # the longest fixed text wins
        _cache = (len(found), exact, [(p, t, c) for _, p, t, c in patterned])
    return _cache[1], _cache[2]


_MEMO: dict[tuple[str, str, int], str] = {}
_MEMO_MAX = 1024


def core_text(text: str, _depth: int = 0) -> str:
    """`text` (made by the core) in the language the app shows."""
    if not text or _depth > 4:
        return text
    if _depth == 0:
        # Reading every matching template costs about a millisecond for a long text, and
        # pages ask again on every refresh: remember, per language (a marked text's
        # translation tells which is installed) and per set of templates.
        key = (text, QCoreApplication.translate("Core", "registered"), len(i18n.templates()))
        shown = _MEMO.get(key)
        if shown is None:
            if len(_MEMO) >= _MEMO_MAX:
                _MEMO.clear()
            shown = _MEMO[key] = _read(text, 0)
        return shown
    return _read(text, _depth)


def _read(text: str, _depth: int) -> str:
    exact, patterned = _patterns()
    context = exact.get(text)
    if context is not None:
        return QCoreApplication.translate(context, text)
    # Several templates may match one text: "asks %1 but none is shared (...)" also matches
    # a list of reasons joined by "%1; %2" that ends with that reason. Each reading is
    # translated and the one leaving the least English wins; ties go to the longest fixed
    # text (in English every reading gives back the same text).
    best: tuple[int, str] | None = None
    for pattern, template, context in patterned:
        match = pattern.match(text)
        if match is None:
            continue
        translated = QCoreApplication.translate(context, template)
        args = {name[1:]: core_text(value, _depth + 1) for name, value in match.groupdict().items()}
        reading = _fill(translated, args)
        english = len(_LATIN.findall(reading))
        if best is None or english < best[0]:
            best = (english, reading)
        if english == 0:
            break
    return text if best is None else best[1]


def _fill(template: str, args: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: args.get(m.group(0)[1:], m.group(0)), template)
