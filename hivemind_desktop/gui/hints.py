"""One-time hints ("HiveMind keeps running in the tray"): each shown once per install,
remembered in a small file in the data folder so a restart does not repeat it."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "gui-hints.json"


class Hints:
    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME

    def _shown(self) -> set[str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        return {str(x) for x in data} if isinstance(data, list) else set()

    def first_time(self, name: str) -> bool:
        """True the first time `name` is asked for (and remembers it); False after."""
        shown = self._shown()
        if name in shown:
            return False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial = self.path.with_suffix(".partial")
            partial.write_text(json.dumps(sorted(shown | {name})), encoding="utf-8")
            os.replace(partial, self.path)
        except OSError as exc:  # a hint shown twice is better than none
            log.warning("could not remember the hint %s: %s", name, exc)
        return True
