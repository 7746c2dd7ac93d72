"""What translating a core text costs since core_text reads every matching template.

core_text (gui/core_text.py) now tries every template that matches and keeps the reading
that leaves the least English, and remembers what it read; before, the first match
(longest fixed text) was taken each time.
This runs both on the same real core texts (a refused archive, a four-part accountant
refusal, a bad WireGuard config, a frozen-too-long reason with a policy reason inside), in
zh_TW, and prints the time per text (first time and asked again) and the ratios to
first-match. Not a test: it asserts nothing about time.

    .venv/bin/python bench/bench_core_text.py [--rounds 2000]
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402

import hivemind_desktop.core as core  # noqa: E402
from hivemind_desktop.core import i18n  # noqa: E402
from hivemind_desktop.core.accountant import ResourceAccountant  # noqa: E402
from hivemind_desktop.core.archive import NO_ENTRY_POINT, SYMLINK  # noqa: E402
from hivemind_desktop.core.engine import ARCHIVE_REFUSED, FROZEN_TOO_LONG  # noqa: E402
from hivemind_desktop.core.models import Resources  # noqa: E402
from hivemind_desktop.gui import core_text as ct  # noqa: E402
from hivemind_desktop.gui import resources  # noqa: E402


def first_match(text: str, depth: int = 0) -> str:
    """The former core_text: the first matching template wins."""
    if not text or depth > 4:
        return text
    exact, patterned = ct._patterns()
    context = exact.get(text)
    if context is not None:
        return QCoreApplication.translate(context, text)
    for pattern, template, context in patterned:
        match = pattern.match(text)
        if match is None:
            continue
        translated = QCoreApplication.translate(context, template)
        args = {n[1:]: first_match(v, depth + 1) for n, v in match.groupdict().items()}
        return ct._fill(translated, args)
    return text


def texts() -> list[str]:
    never = ResourceAccountant(Resources(100, 8, 0, 0)).explain_refusal(Resources(250, 9, 1, 4))
    from hivemind_desktop.core.vpn import VpnConfigError, parse_config

    try:
        parse_config("[Interface]\nPrivateKey = x\n")
    except VpnConfigError as exc:
        bad_config = str(exc)
    return [
        i18n.say(ARCHIVE_REFUSED, i18n.say(SYMLINK, "data/link")),
        i18n.say(ARCHIVE_REFUSED, i18n.say(NO_ENTRY_POINT, "hivemind.json")),
        never,
        bad_config,
        i18n.say(FROZEN_TOO_LONG, "30", "computer in use"),
        "a text the core never marked",
    ]


def per_text_us(func, items: list[str], rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for text in items:
            func(text)
    return (time.perf_counter() - started) / (rounds * len(items)) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    app = QCoreApplication([])
    for info in pkgutil.walk_packages(core.__path__, core.__name__ + "."):
        importlib.import_module(info.name)
    translations = resources.Translations()
    translations.install("zh_TW")
    items = texts()
    def uncached(text: str) -> str:
        return ct._read(text, 0)

    for func in (first_match, uncached, ct.core_text):  # warm the patterns and Qt's lookups
        per_text_us(func, items, 20)
    base = per_text_us(first_match, items, args.rounds)
    new = per_text_us(uncached, items, args.rounds)
    cached = per_text_us(ct.core_text, items, args.rounds)
    print(f"{len(i18n.templates())} templates, {len(items)} texts, {args.rounds} rounds")
    print(f"first match (before):          {base:8.1f} us per text")
    print(f"least English, first time:     {new:8.1f} us per text (ratio {new / base:.2f})")
    print(f"least English, asked again:    {cached:8.1f} us per text (ratio {cached / base:.2f})")
    english_left = sum(sum(c.isascii() and c.isalpha() for c in first_match(t)) for t in items)
    english_now = sum(sum(c.isascii() and c.isalpha() for c in ct.core_text(t)) for t in items)
    print(f"latin letters left in the texts: before {english_left}, now {english_now}")
    del app


if __name__ == "__main__":
    main()
