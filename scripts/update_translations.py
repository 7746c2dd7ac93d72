# ruff: noqa: E501 - the translation table reads best one entry a line
"""Refresh the app's translations: extract strings, fill zh_TW, compile .qm.

Run: .venv/bin/python scripts/update_translations.py
1. pyside6-lupdate collects every tr()/translate() string of hivemind_desktop/gui, and
   every QT_TRANSLATE_NOOP() text of the core files that mark some (core/i18n.py), into
   resources/translations/hivemind_zh_TW.ts, the source translators edit (existing
   translations are kept);
2. strings still unfinished get their Traditional Chinese text from scripts/zh_tw/;
3. the %n strings alone go to resources/translations/hivemind_en.ts with their English
   plural forms from scripts/en_plurals/ (Qt takes a %n string's forms from a translation
   file, English included; a missing one shows its source text and is named here);
4. scripts/build_resources.py compiles the .qm files that the app loads into
   hivemind_desktop/resources/translations/.
Exits 1 and names them when a string has no translation (add it to ZH_TW).
Both the .ts and the .qm are committed, so the app needs no build step.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import build_resources  # scripts/ is on sys.path when this file runs as a script
import en_plurals
import zh_tw

REPO = Path(__file__).resolve().parent.parent
GUI = REPO / "hivemind_desktop" / "gui"
CORE = REPO / "hivemind_desktop" / "core"
TS = REPO / "resources" / "translations" / "hivemind_zh_TW.ts"
TS_EN = REPO / "resources" / "translations" / "hivemind_en.ts"  # English plural forms only
BIN = Path(sys.executable).parent

ZH_TW = zh_tw.merged()  # scripts/zh_tw/<topic>.py: add new strings to a topic module


def fill(ts: Path) -> list[str]:
    """Give unfinished messages their ZH_TW text; returns the sources still missing."""
    tree = ET.parse(ts)  # noqa: S314 - our own committed file
    missing = []
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation.get("type") == "vanished":
            continue
        text = ZH_TW.get(source)
        if text is None:
            if translation.get("type") == "unfinished" or not (translation.text or "").strip():
                missing.append(source)
            continue
        if message.get("numerus") == "yes":
            for form in list(translation):
                translation.remove(form)
            ET.SubElement(translation, "numerusform").text = text
        else:
            translation.text = text
        translation.attrib.pop("type", None)
    ET.indent(tree)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return missing


def fill_english_plurals(ts: Path) -> list[str]:
    """Give each %n message its English (one, other) forms; returns the sources without."""
    table = en_plurals.merged()
    tree = ET.parse(ts)  # noqa: S314 - our own committed file
    missing = []
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation.get("type") == "vanished":
            continue
        forms = table.get(source)
        if forms is None:
            missing.append(source)
            continue
        for form in list(translation):
            translation.remove(form)
        for text in forms:
            ET.SubElement(translation, "numerusform").text = text
        translation.attrib.pop("type", None)
    ET.indent(tree)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return missing


def core_sources() -> list[str]:
    """The core modules that mark volunteer-facing texts (i18n.py itself only defines it)."""
    return sorted(
        str(p)
        for p in CORE.rglob("*.py")
        if p.name != "i18n.py" and "QT_TRANSLATE_NOOP(" in p.read_text(encoding="utf-8")
    )


def main() -> int:
    sources = sorted(str(p) for p in GUI.rglob("*.py")) + core_sources()
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            *sources,
            "-no-obsolete",
            "-pluralonly",
            "-locations",
            "none",
            "-target-language",
            "en",
            "-ts",
            str(TS_EN),
        ],
        check=True,
    )
    no_plural = fill_english_plurals(TS_EN)
    if no_plural:  # not fatal: shown as written ("task(s)") until added
        print("no English plural forms (add to en_plurals):", *no_plural, sep="\n  ")
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            *sources,
            "-no-obsolete",
            "-locations",
            "none",
            "-target-language",
            "zh_TW",
            "-ts",
            str(TS),
        ],
        check=True,
    )
    missing = fill(TS)
    build_resources.main([])  # the .qm (and the icons) into the package
    if missing:
        print("untranslated (add to ZH_TW):", *missing, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
