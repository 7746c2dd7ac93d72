"""The core's translatable texts (core/i18n.py) without Qt: templates are registered where
they are defined, filled in English for logs, the CLI and the node pool."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import hivemind_desktop.core as core
from hivemind_desktop.core import i18n


def test_say_fills_qt_placeholders_once_in_english():
    assert i18n.say("time limit of %1 s reached", 60) == "time limit of 60 s reached"
    assert i18n.say("%1 and %2", "%2", "b") == "%2 and b"  # an argument is not filled again
    assert i18n.say("exit code %1", 137) == "exit code 137"
    assert i18n.say("no argument %1") == "no argument %1"


def test_every_core_module_registers_its_texts_on_import():
    for info in pkgutil.walk_packages(core.__path__, core.__name__ + "."):
        importlib.import_module(info.name)
    found = i18n.templates()
    # a few from each area the volunteer meets: task reasons, refusals, GPU, sign-in, waiting
    for source, context in (
        ("stopped by user", "Core"),
        ("time limit of %1 s reached", "Core"),
        ("task image %1 is not installed on this worker", "Core"),
        ("no NVIDIA GPU found (the NVIDIA driver is not installed)", "Core"),
        ("the node pool refused the username or password", "Core"),
        ("computer in use", "WaitReason"),
    ):
        assert found.get(source) == context, source


def test_the_marker_keeps_the_core_free_of_qt():
    """Importing the whole core, i18n included, loads no Qt module."""
    code = (
        "import importlib, pkgutil, sys; import hivemind_desktop.core as c\n"
        "for i in pkgutil.walk_packages(c.__path__, c.__name__ + '.'):\n"
        "    importlib.import_module(i.name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'PyQt'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
