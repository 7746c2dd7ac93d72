"""Draws the screens changed for issue 9 (defects 1, 5, 6) in a process of its own, so that
QT_SCALE_FACTOR (read once, when Qt starts) and the palette are the caller's choice:

    QT_SCALE_FACTOR=2 python tests/gui/hidpi_screens.py LANGUAGE light|dark OUT_DIR

Each screen is checked for cut widgets (a wrapped label shorter than its text, a field
shorter than its size hint) and saved as PNG; a problem is printed and the exit status
is 1. Run by tests/gui/test_hidpi_screens.py."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DBUS_SESSION_BUS_ADDRESS", "disabled:")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QWidget  # noqa: E402

PROBLEMS: list[str] = []


def dark_palette() -> QPalette:
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#303134"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
    ):
        dark.setColor(role, QColor(colour))
    return dark


def settle(ms: int = 50) -> None:
    for _ in range(3):
        QApplication.processEvents()
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def check(name: str, widgets: list[QWidget]) -> None:
    for w in widgets:
        if not w.isVisible():
            continue
        if isinstance(w, QLabel) and w.wordWrap():
            need = w.heightForWidth(w.width())
        else:
            need = w.sizeHint().height()
        if w.height() < need - 1:
            PROBLEMS.append(f"{name}: {w.objectName() or type(w).__name__} {w.height()} < {need}")


def save(widget: QWidget, out: Path, name: str) -> None:
    settle()
    if not widget.grab().save(str(out / name)):
        PROBLEMS.append(f"{name}: not saved")


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{s.getsockname()[1]}"


def main(language: str, theme: str, out: Path) -> int:
    app = QApplication(sys.argv[:1])
    if theme == "dark":
        app.setPalette(dark_palette())
    out.mkdir(parents=True, exist_ok=True)
    from hivemind_desktop.core.credentials import Credentials
    from hivemind_desktop.core.machine import Machine
    from hivemind_desktop.core.settings import Settings
    from hivemind_desktop.gui import resources
    from hivemind_desktop.gui.pages.settings import SettingsPage
    from hivemind_desktop.gui.wizard import SetupWizard

    translations = resources.Translations()
    assert translations.install(language)
    tag = f"{language}_{theme}_x{os.environ.get('QT_SCALE_FACTOR', '1')}"

    page = SettingsPage(
        Settings(language=language, max_cpu_cores=99, max_memory_gb=100, max_concurrent_tasks=3),
        machine=Machine(cpu_cores=2, memory_gb=23),
    )
    page.resize(800, 600)
    page.show()
    page.pool.setText("10.0.0.1")
    settle()
    check("settings", [page.cpu_limit, page.memory_limit, page.shares_note, page.error, page.cpu])
    if page.cpu.maximum() != 2 or "99" not in page.shares_note.text():
        PROBLEMS.append("settings: the machine's limits are not shown")
    save(page, out, f"settings_limits_{tag}.png")

    tmp = out / f"wizard-{tag}"
    wizard = SetupWizard(
        Settings(language=language, data_dir=str(tmp / "data"), log_dir=str(tmp / "logs")),
        config_file=tmp / "config.toml",
        credentials=Credentials(service=f"HiveMind Desktop hidpi {os.getpid()}"),
    )
    wizard.show()
    wizard.next()  # the sign-in page
    sign_in = wizard.sign_in
    sign_in.username.setText("vol")
    sign_in.password.setText("vol-pw")
    sign_in.pool.setText(closed_port())
    sign_in.start_sign_in()
    for _ in range(200):
        settle(50)
        if not sign_in._busy:
            break
    sign_in.later.setChecked(True)
    settle()
    check("sign in", [sign_in.later.label, sign_in.message, sign_in.pool])
    save(wizard, out, f"wizard_sign_in_{tag}.png")

    wg = wizard.wireguard
    wizard.setStartId(SetupWizard.WIREGUARD)
    wizard.restart()
    wg.generate_keys()
    settle()
    check(
        "wireguard",
        [wg.public_key, wg.address, wg.pool_key, wg.endpoint, wg.keys_note, wg.intro],
    )
    save(wizard, out, f"wizard_wireguard_keys_{tag}.png")
    wizard.cancel_now()
    translations.install("en")
    for problem in PROBLEMS:
        print(problem)
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], Path(sys.argv[3])))
