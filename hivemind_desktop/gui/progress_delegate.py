"""Draws the Tasks page's Progress cells as progress bars in the platform's style (the
cell's text, "42 %", is still what copying, sorting and screen readers get)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableWidget,
)

from hivemind_desktop.gui.sortable_item import SortableItem


class ProgressDelegate(QStyledItemDelegate):
    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self._table = table

    def fraction(self, index: QModelIndex | QPersistentModelIndex) -> float | None:
        item = self._table.item(index.row(), index.column())
        key = getattr(item, "key", None) if isinstance(item, SortableItem) else None
        return key if isinstance(key, float) and 0.0 <= key <= 1.0 else None

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Wide enough for a bar that reads at a glance, in any language's header."""
        hint = super().sizeHint(option, index)
        width = self._table.fontMetrics().horizontalAdvance("100 %") * 2 + 16
        return QSize(max(hint.width(), width), hint.height())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value = self.fraction(index)
        if value is None:  # no progress reported: the plain "–"
            super().paint(painter, option, index)
            return
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)  # type: ignore[attr-defined]
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = round(value * 1000)
        bar.text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.palette = option.palette  # type: ignore[attr-defined]
        # Qt 6 reads the orientation from the state: without it the bar fills upwards.
        bar.state = option.state | QStyle.StateFlag.State_Horizontal  # type: ignore[attr-defined]
        style = self._table.style() or QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, self._table)
