"""A table cell that sorts by a value of its own instead of its text ("0:59" after
"1:00:00", "10" before "9" otherwise)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTableWidgetItem


class SortableItem(QTableWidgetItem):
    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.key: Any = None  # None: sort by text

    def __lt__(self, other: QTableWidgetItem) -> bool:
        theirs = getattr(other, "key", None)
        if self.key is not None and theirs is not None:
            try:
                return bool(self.key < theirs)
            except TypeError:
                pass
        return self.text() < other.text()
