"""Page 1: the language, what HiveMind does with this computer, what it shares."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWizardPage

from hivemind_desktop.gui.resources import LANGUAGES


class WizardWelcomePage(QWizardPage):
    language_chosen = Signal(str)  # "", "en" or "zh_TW" (the Settings value)

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = QComboBox()
        self.language.setObjectName("wizardLanguage")
        self.language.addItem("", "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language_label = QLabel()
        self.what = QLabel()
        self.what.setObjectName("wizardWhat")
        self.shared = QLabel()
        self.shared.setObjectName("wizardShared")
        for label in (self.what, self.shared):
            label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.language_label, self.language)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.what)
        layout.addWidget(self.shared)
        layout.addStretch(1)
        self.retranslate()
        self.language.currentIndexChanged.connect(self._changed)

    def chosen_language(self) -> str:
        return str(self.language.currentData() or "")

    def _changed(self, _index: int) -> None:
        self.language_chosen.emit(self.chosen_language())

    def retranslate(self) -> None:
        self.setTitle(self.tr("Welcome to HiveMind"))
        self.setSubTitle(self.tr("A few steps and this computer starts helping science."))
        self.language_label.setText(self.tr("Language:"))
        self.language.setItemText(0, self.tr("System language"))
        self.what.setText(
            self.tr(
                "HiveMind lends this computer's spare processing power to the HiveMind "
                "network. Tasks arrive from the HiveMind node pool through a private "
                "WireGuard tunnel, run inside locked-down Docker containers, and their "
                "results go back to the node pool. You earn CPT for every task completed, "
                "and you can pause or quit at any time from the tray icon."
            )
        )
        self.shared.setText(
            self.tr(
                "Shared by default (you can change it on the Resources page and later in "
                "Settings): half of the processor cores, a quarter of the memory, and the "
                "graphics card only if an NVIDIA GPU is found. Tasks never see your files, "
                "your network or your other programs."
            )
        )
