"""Computers: other workers paired with this app, one card each, watched at a glance.

Each card shows the worker's state, tasks, CPU/memory/GPU (the Dashboard's charts),
trust and earnings, and offers pause/resume and stopping a task where the pairing
allows it. A computer that stops answering shows as offline with the time it was last
seen; every problem is a line of text on its card, never a dialog. The card
(computer_card), the add dialog (add_computer) and the words for problems (fleet_texts)
live in modules of their own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from hivemind_desktop.core.fleet.client import FleetError
from hivemind_desktop.gui.fleet_model import FleetModel
from hivemind_desktop.gui.pages.add_computer import AddComputerDialog
from hivemind_desktop.gui.pages.computer_card import ComputerCard
from hivemind_desktop.gui.pages.fleet_texts import ERROR_STYLE

__all__ = ["AddComputerDialog", "ComputerCard", "ComputersPage"]


class ComputersPage(QWidget):
    def __init__(self, fleet: FleetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fleet = fleet
        self.cards: dict[str, ComputerCard] = {}
        self.add_button = QPushButton(self.tr("Add computer…"))
        intro = QLabel(
            self.tr("Other computers running HiveMind, paired with this app, watched here.")
        )
        intro.setWordWrap(True)
        self.empty = QLabel(
            self.tr(
                "No computer is paired yet. Click 'Add computer…' and enter the code that "
                "'hivemind-desktop pair' prints on the other computer."
            )
        )
        self.empty.setWordWrap(True)
        self.problem = QLabel(fleet.load_problem)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(fleet.load_problem))
        head = QHBoxLayout()
        head.addWidget(intro, 1)
        head.addWidget(self.add_button)

        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.addWidget(self.empty)
        self._list_layout.addStretch(1)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._list)
        self._stale: set[str] = set()
        scroll.verticalScrollBar().valueChanged.connect(self._refresh_stale)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.problem)
        layout.addWidget(scroll, 1)

        self.dialog: AddComputerDialog | None = None
        self.add_button.clicked.connect(self.open_add_dialog)
        fleet.computers_changed.connect(self.rebuild)
        fleet.computer_updated.connect(self._updated)
        fleet.command_finished.connect(self._command_finished)
        self.rebuild()

    def open_add_dialog(self) -> AddComputerDialog:
        self.dialog = AddComputerDialog(self.fleet, self)
        self.dialog.open()
        return self.dialog

    def rebuild(self) -> None:
        for key in [k for k in self.cards if k not in self.fleet.views]:
            card = self.cards.pop(key)
            self._list_layout.removeWidget(card)
            card.deleteLater()
        for key in self.fleet.views:
            if key not in self.cards:
                card = ComputerCard(self.fleet, key)
                self.cards[key] = card
                self._list_layout.insertWidget(self._list_layout.count() - 1, card)
        self.empty.setVisible(not self.cards)

    def _updated(self, key: str) -> None:
        card = self.cards.get(key)
        if card is None:
            return
        # A card scrolled out of sight is redrawn when it comes into view: with twenty
        # computers most readings are for cards nobody sees.
        if card.visibleRegion().isEmpty():
            self._stale.add(key)
        else:
            card.refresh()

    def _refresh_stale(self) -> None:
        for key in list(self._stale):
            card = self.cards.get(key)
            if card is None:
                self._stale.discard(key)
            elif not card.visibleRegion().isEmpty():
                self._stale.discard(key)
                card.refresh()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._refresh_stale()

    def _command_finished(self, key: str, message: str, error: FleetError | None) -> None:
        card = self.cards.get(key)
        if card is not None:
            card.command_done(message, error)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.fleet.set_watching(self, True)
        self._refresh_stale()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self.fleet.set_watching(self, False)
