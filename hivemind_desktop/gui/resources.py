"""Where the app's icons and translations live, and the languages it speaks.

The files under hivemind_desktop/resources/ are built from the top-level resources/ (the
sources designers and translators edit) by scripts/build_resources.py; edit those instead.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ICONS = RESOURCES / "icons"
TRANSLATIONS = RESOURCES / "translations"
ICON_SIZES = (16, 32, 64, 256)

# Setting value -> native name (shown untranslated so anyone can find their language).
LANGUAGES = {"en": "English", "zh_TW": "繁體中文"}


def icon(name: str) -> QIcon:
    """The icon for a tray state ('contributing', 'idle', ...) or 'app'."""
    result = QIcon()
    for size in ICON_SIZES:
        path = ICONS / f"{name}-{size}.png"
        if path.exists():
            result.addFile(str(path))
    return result


def resolve_language(setting: str, locale: QLocale | None = None) -> str:
    """The language to show: the setting, else the system locale if we speak it, else en."""
    if setting in LANGUAGES:
        return setting
    locale = locale or QLocale.system()
    if locale.language() == QLocale.Language.Chinese and (
        locale.script() == QLocale.Script.TraditionalHanScript
        or locale.territory()
        in (QLocale.Country.Taiwan, QLocale.Country.HongKong, QLocale.Country.Macao)
    ):
        return "zh_TW"
    return "en"


class Translations:
    """Installs the app's translator and Qt's own (stock buttons and dialogs: Yes, No,
    Cancel, file dialogs); switching replaces both (Qt then sends LanguageChange)."""

    def __init__(self) -> None:
        self._translators: list[QTranslator] = []
        self.language = "en"

    def install(self, language: str) -> bool:
        """Show the app in language ('en' needs no file). False if its file is missing."""
        app = QCoreApplication.instance()
        assert app is not None, "install() needs the QApplication"
        for old in self._translators:
            app.removeTranslator(old)
        self._translators = []
        self.language = "en"
        if language == "en":
            # Only the English plural forms of the %n strings ("1 task", "2 tasks"): the
            # source text is English already. Without the file, sources show as written.
            plurals = QTranslator(app)
            if plurals.load(str(TRANSLATIONS / "hivemind_en.qm")):
                app.installTranslator(plurals)
                self._translators.append(plurals)
            return True
        translator = QTranslator(app)
        if not translator.load(str(TRANSLATIONS / f"hivemind_{language}.qm")):
            return False
        app.installTranslator(translator)
        self._translators.append(translator)
        qt_own = QTranslator(app)  # optional: where Qt ships its translations
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_own.load(f"qtbase_{language}", qt_dir):
            app.installTranslator(qt_own)
            self._translators.append(qt_own)
        self.language = language
        return True
