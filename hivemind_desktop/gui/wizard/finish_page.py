"""Page 6: the summary; Finish saves the settings (the wizard then starts contributing)."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizardPage

from hivemind_desktop.gui.wizard.common import Message


class WizardFinishPage(QWizardPage):
    def __init__(self, summary: Callable[[], list[str]], commit: Callable[[], str]) -> None:
        """summary() -> the lines to show; commit() -> "" once saved, else the error."""
        super().__init__()
        self._summary = summary
        self._commit = commit
        self.summary = QLabel()
        self.summary.setObjectName("wizardSummary")
        self.summary.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.error = Message("wizardFinishError")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.retranslate()

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        lines = "".join(f"<li>{html.escape(line)}</li>" for line in self._summary())
        self.summary.setText(f"<ul>{lines}</ul>")
        self.error.show_text("")

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        problem = self._commit()
        self.error.show_text(problem, "error" if problem else "")
        return not problem

    def retranslate(self) -> None:
        self.setTitle(self.tr("Ready"))
        self.setSubTitle(self.tr("Check the summary, then click Finish."))
        self.note.setText(
            self.tr(
                "When you click Finish, HiveMind saves these settings and starts "
                "contributing. You can change everything later in Settings, or run this "
                "setup again from there."
            )
        )
        if self.wizard() is not None and self.isVisible():
            self.initializePage()
