"""The Computers page watching real headless workers (each with its remote API on its own
loopback address) over real TLS, tokens in a real Secret Service: pairing by code and by
file, control where permitted, a refusal where not, a killed worker shown offline, a
changed certificate and a withdrawn pairing, all as text on the cards, never a dialog.
Screenshots of the page go to artifacts/ (English, zh_TW, 800x600, a dark palette)."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from hivemind_desktop.core.credentials import FLEET_SERVICE, Secrets
from hivemind_desktop.core.remote import identity
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.gui.fleet_model import FleetModel
from hivemind_desktop.gui.main_window import MainWindow
from hivemind_desktop.gui.pages.computers import ComputerCard, ComputersPage
from hivemind_desktop.gui.state import AppState
from tests.kit import REPO
from tests.kit.fleet import RemoteWorker, start_remote_workers
from tests.kit.secret_service import secret_lookup, secret_service  # noqa: F401

pytestmark = [pytest.mark.gui, pytest.mark.keyring, pytest.mark.docker]

ARTIFACTS = REPO / "artifacts"
WAIT = 30_000


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[RemoteWorker]]:
    started = start_remote_workers(tmp_path / "workers", 3)
    yield started
    for worker in started:
        worker.stop(signal.SIGKILL)


def screenshot(widget, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    path = ARTIFACTS / name
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 5_000


def pair_through_dialog(qtbot, page: ComputersPage, link: str = "", file: Path | None = None):
    dialog = page.open_add_dialog()
    if file is not None:
        dialog.read_file(str(file))
    else:
        dialog.code.setText(link)
    dialog.pair_button.click()
    return dialog


def card_text(card: ComputerCard) -> str:
    return " | ".join(
        label.text()
        for label in (card.title, card.state, card.problem, card.tasks, card.machine, card.standing)
    )


def test_the_computers_page_watches_and_controls_paired_workers(
    qtbot,
    tmp_path,
    secret_service,  # noqa: F811
    workers,
    translations,
    qapp,
):
    a, b, c = workers
    fleet = FleetModel(tmp_path / "config" / "computers.json", Secrets(), poll_s=0.5)
    window = MainWindow(AppState(), Settings(language="en"), fleet=fleet)
    qtbot.addWidget(window)
    window.show()
    page = window.computers
    window.tabs.setCurrentWidget(page)
    assert page.empty.isVisible()

    # refusals in the dialog: not a code at all, then a well-formed code that is wrong
    dialog = pair_through_dialog(qtbot, page, "hello")
    assert "This is not a pairing code" in dialog.message.text()
    assert dialog.isVisible()
    junk = tmp_path / "junk.pairing"
    junk.write_bytes(b"\xff\xfe not a pairing file")
    dialog.read_file(str(junk))
    assert dialog.message.text() == (
        "This pairing file cannot be used: this is not a HiveMind pairing file"
    )
    dialog.read_file(str(tmp_path / "missing.pairing"))
    assert "No such file" in dialog.message.text()
    good = a.pair()
    host_port, code, fp = good.split("/")
    wrong = f"{host_port}/{'ABCD-EFGH-JKMN' if code != 'ABCD-EFGH-JKMN' else 'ZZZZ-ZZZZ-ZZZZ'}/{fp}"
    dialog.code.setText(wrong)
    dialog.pair_button.click()
    qtbot.waitUntil(lambda: "not valid" in dialog.message.text(), timeout=WAIT)
    assert dialog.isVisible() and not page.cards
    screenshot(dialog, "computers_add_dialog_refused.png")

    # a read-only pairing by code, a control pairing by file, another read-only
    dialog.code.setText(good)
    dialog.pair_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    pairing_file = tmp_path / "b.pairing"
    b.pair("--control", "--file", str(pairing_file))
    dialog = pair_through_dialog(qtbot, page, file=pairing_file)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    dialog = pair_through_dialog(qtbot, page, c.pair())
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    assert set(page.cards) == {a.key, b.key, c.key}
    assert not page.empty.isVisible()

    # tokens in the keyring, never in the file
    stored = json.loads(fleet.book.path.read_text())
    for worker in workers:
        token = secret_lookup(secret_service, FLEET_SERVICE, worker.key)
        assert token and token not in json.dumps(stored)

    cards = {w.key: page.cards[w.key] for w in workers}
    for worker in workers:
        page.scroll_area.ensureWidgetVisible(cards[worker.key])
        qtbot.waitUntil(lambda w=worker: cards[w.key].view.online, timeout=WAIT)
        qtbot.waitUntil(lambda w=worker: "Tasks:" in cards[w.key].tasks.text(), timeout=WAIT)
        text = card_text(cards[worker.key])
        assert "Not signed in" in text and "Tasks: 0 running" in text, text
        qtbot.waitUntil(lambda w=worker: cards[w.key].cpu_chart.points >= 2, timeout=WAIT)
    window.resize(960, 720)
    screenshot(window, "computers_page.png")

    # read-only: the controls are off and say why; a control pairing pauses and resumes
    card_a, card_b = cards[a.key], cards[b.key]
    assert not card_a.pause_button.isEnabled()
    assert "Watch only" in card_a.pause_button.toolTip()
    assert card_b.pause_button.isEnabled()
    card_b.pause_button.click()
    qtbot.waitUntil(lambda: card_b.pause_button.text() == "Resume", timeout=WAIT)
    assert "Paused" in card_b.state.text()
    card_b.pause_button.click()
    qtbot.waitUntil(lambda: card_b.pause_button.text() == "Pause", timeout=WAIT)
    # the worker refuses control to a read-only pairing, and the card says so
    fleet.command(a.key, "pause")
    qtbot.waitUntil(lambda: "Not permitted" in card_a.problem.text(), timeout=WAIT)
    assert card_a.problem.isVisible()

    # a worker killed: offline with the time it was last seen; the others stay online
    c.stop(signal.SIGKILL)
    card_c = cards[c.key]
    page.scroll_area.ensureWidgetVisible(card_c)  # cards out of sight are redrawn on coming in
    qtbot.waitUntil(lambda: "Offline: last seen" in card_c.problem.text(), timeout=WAIT)
    assert card_b.view.online
    assert QApplication.activeModalWidget() is None  # no error dialog

    # a worker reinstalled (new certificate) on the same address and port
    a.stop()
    for name in (identity.KEY_FILE, identity.CERT_FILE):
        (a.root / "data" / name).unlink()
    a.start().wait_serving()
    page.scroll_area.ensureWidgetVisible(card_a)
    qtbot.waitUntil(lambda: "certificate changed" in card_a.problem.text(), timeout=WAIT)

    # a pairing withdrawn on the worker: the old token is refused
    assert b.run_pair("--revoke", card_b_name(b)).returncode == 0
    page.scroll_area.ensureWidgetVisible(card_b)
    qtbot.waitUntil(lambda: "withdrawn" in card_b.problem.text(), timeout=WAIT)
    screenshot(window, "computers_page_problems.png")
    window.resize(800, 600)
    screenshot(window, "computers_page_800x600.png")
    assert card_b.problem.width() <= card_b.width()

    # zh_TW
    assert translations.install("zh_TW")
    window_zh = MainWindow(AppState(), Settings(language="zh_TW"), fleet=fleet)
    qtbot.addWidget(window_zh)
    window_zh.show()
    window_zh.tabs.setCurrentWidget(window_zh.computers)
    zh_c = window_zh.computers.cards[c.key]
    window_zh.computers.scroll_area.ensureWidgetVisible(zh_c)
    qtbot.waitUntil(lambda: "離線" in zh_c.problem.text(), timeout=WAIT)
    assert window_zh.tabs.tabText(window_zh.tabs.indexOf(window_zh.computers)) == "電腦"
    screenshot(window_zh, "computers_page_zh_TW.png")
    zh_dialog = window_zh.computers.open_add_dialog()
    zh_dialog.code.setText("hello")
    zh_dialog.pair_button.click()
    assert zh_dialog.message.text() == (
        "這不是配對碼：配對碼的格式如 10.0.0.2:5443/ABCD-EFGH-JKMN/0123456789abcdef"
    )
    screenshot(zh_dialog, "computers_add_dialog_zh_TW.png")
    zh_dialog.reject()
    window_zh.close()

    # removing a computer forgets its token too
    card_c.remove_button.click()
    assert c.key not in page.cards
    qtbot.waitUntil(
        lambda: secret_lookup(secret_service, FLEET_SERVICE, c.key) is None, timeout=WAIT
    )
    assert c.key not in fleet.book.path.read_text()

    # B paired again after the withdrawal reads again; removing it unpairs it on B too
    dialog = pair_through_dialog(qtbot, page, b.pair())
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    page.scroll_area.ensureWidgetVisible(card_b)
    qtbot.waitUntil(lambda: card_b.view.online and not card_b.problem.isVisible(), timeout=WAIT)
    assert "Last known" not in card_b.state.text()
    card_b.remove_button.click()
    qtbot.waitUntil(lambda: "no computer is paired" in b.run_pair("--list").stdout, timeout=WAIT)
    fleet.stop()


def card_b_name(worker: RemoteWorker) -> str:
    """The name this app paired under (the host name), as `pair --list` shows it."""
    listed = worker.run_pair("--list").stdout.strip().splitlines()
    assert len(listed) == 1, listed
    return listed[0].split("\t")[0]


def test_the_page_reads_well_on_a_dark_palette(qtbot, qapp, tmp_path, secret_service) -> None:  # noqa: F811
    """A paired computer that does not answer, on a dark theme: the card and its red line
    stay legible (screenshot in artifacts/)."""
    from hivemind_desktop.core.fleet.book import ComputerBook
    from hivemind_desktop.core.fleet.client import Pairing

    path = tmp_path / "computers.json"
    ComputerBook(path, Secrets()).add(Pairing("127.0.0.9", 9, "0" * 64, ("read",), "t"))
    fleet = FleetModel(path, Secrets(), poll_s=0.2)
    previous = qapp.palette()
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#2b2c2f"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#3c4043"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
    ):
        dark.setColor(role, QColor(colour))
    qapp.setPalette(dark)
    try:
        page = ComputersPage(fleet)
        qtbot.addWidget(page)
        page.resize(800, 600)
        page.show()
        card = page.cards["127.0.0.9:9"]
        qtbot.waitUntil(lambda: "Offline" in card.problem.text(), timeout=WAIT)
        assert "has not answered yet" in card.problem.text()
        screenshot(page, "computers_page_dark.png")
        red = QColor("#d93025")
        assert abs(red.lightness() - QColor("#202124").lightness()) > 60
    finally:
        qapp.setPalette(previous)
        fleet.stop()


def test_a_computer_that_hangs_never_holds_up_the_window(qtbot, tmp_path, secret_service):  # noqa: F811
    """A peer that accepts the connection and then says nothing: its poll waits on a pool
    thread (until the client's timeout) while the GUI thread goes on handling events."""
    import socket
    import threading

    from PySide6.QtCore import QTimer

    from hivemind_desktop.core.fleet.book import ComputerBook
    from hivemind_desktop.core.fleet.client import Pairing

    silent = socket.create_server(("127.0.0.31", 0))  # accepts, then never speaks TLS
    port = silent.getsockname()[1]
    held: list[socket.socket] = []

    def accept() -> None:
        try:
            while True:
                held.append(silent.accept()[0])
        except OSError:
            return

    threading.Thread(target=accept, daemon=True).start()
    path = tmp_path / "computers.json"
    ComputerBook(path, Secrets()).add(Pairing("127.0.0.31", port, "0" * 64, ("read",), "t"))
    fleet = FleetModel(path, Secrets(), poll_s=0.2)
    try:
        page = ComputersPage(fleet)
        qtbot.addWidget(page)
        page.show()
        view = fleet.views[f"127.0.0.31:{port}"]
        # waitUntil runs on the GUI thread's event loop: it sees the poll's connection held
        # by the silent peer, and a timer firing, while that poll has no answer yet
        ticks: list[int] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(10)
        qtbot.waitUntil(lambda: bool(held) and len(ticks) >= 3, timeout=WAIT)
        timer.stop()
        assert view.error is None and view.summary is None  # the poll still waits
        qtbot.waitUntil(lambda: view.error is not None, timeout=WAIT)
        assert "timed out" in str(view.error)
        card = page.cards[f"127.0.0.31:{port}"]
        qtbot.waitUntil(lambda: "Offline" in card.problem.text(), timeout=WAIT)
    finally:
        fleet.stop()
        silent.close()
        for conn in held:
            conn.close()


def test_remote_access_is_turned_on_in_settings_and_every_address_is_refused(qtbot) -> None:
    from hivemind_desktop.gui.pages.settings import SettingsPage

    page = SettingsPage(Settings(max_cpu_cores=2, max_memory_gb=4))
    qtbot.addWidget(page)
    applied: list[Settings] = []
    page.apply_requested.connect(applied.append)
    assert page.remote_address.text() == ""  # off by default
    for wrong, words in (("0.0.0.0", "not every address"), ("my-laptop", "IP address")):
        page.remote_address.setText(wrong)
        assert words in page.error.text()
        assert not page.apply_button.isEnabled()
    page.remote_address.setText("10.0.0.2")
    assert page.error.text() == ""
    page.apply()
    assert applied[-1].remote_api_address == "10.0.0.2"


def test_a_computer_with_a_gpu_gets_the_gpu_chart(qtbot, tmp_path, secret_service):  # noqa: F811
    """No GPU here: the readings a worker with one sends (its summary's sample, as the
    remote API writes it) go through the model to the card, which shows the GPU chart."""
    from hivemind_desktop.core.fleet.book import ComputerBook
    from hivemind_desktop.core.fleet.client import Pairing
    from hivemind_desktop.core.fleet.watch import Reading

    path = tmp_path / "computers.json"
    ComputerBook(path, Secrets()).add(Pairing("127.0.0.9", 9, "0" * 64, ("read",), "t"))
    fleet = FleetModel(path, Secrets())
    page = ComputersPage(fleet)  # never shown: nothing polls, only these readings arrive
    qtbot.addWidget(page)
    page.resize(960, 720)
    key = "127.0.0.9:9"
    now = time.time()
    for i, gpu in enumerate((None, 35.0, 60.0)):
        sample = {
            "time": now + i, "cpu_percent": 20.0, "memory_percent": 30.0,
            "gpu_percent": gpu, "gpu_memory_percent": None if gpu is None else 50.0,
        }  # fmt: skip
        summary = {"status": {"node_id": "gpu-box", "state": "contributing"},
                   "resources": {"sample": sample}, "tasks": []}  # fmt: skip
        fleet._on_reading(Reading(key, now + i, summary))
        card = page.cards[key]
        card.refresh()  # as on scrolling into view
        assert card.gpu_chart.isVisibleTo(page) is (gpu is not None)
    assert card.gpu_chart.points == 2 and card.cpu_chart.points == 3
    assert "GPU 60 %" in card.machine.text() and card.title.text() == "gpu-box"
    fleet.stop()


def test_polling_follows_whether_any_computers_page_is_on_screen(qtbot, tmp_path) -> None:
    fleet = FleetModel(tmp_path / "computers.json", Secrets())
    first, second = ComputersPage(fleet), ComputersPage(fleet)
    for page in (first, second):
        qtbot.addWidget(page)
    assert not fleet.watching  # built, not shown: nothing polls
    first.show()
    second.show()
    second.hide()
    assert fleet.watching  # the first is still on screen
    first.hide()
    assert not fleet.watching
    fleet.stop()


def test_stopping_a_task_on_another_computer_asks_first(qtbot, tmp_path, secret_service):  # noqa: F811
    """A control pairing whose worker lists a running task: Stop asks, No sends nothing,
    Yes sends the command (here to a computer that is gone: the card says so)."""
    from PySide6.QtWidgets import QMessageBox

    from hivemind_desktop.core.fleet.book import ComputerBook
    from hivemind_desktop.core.fleet.client import Pairing
    from hivemind_desktop.core.fleet.watch import Reading

    path = tmp_path / "computers.json"
    ComputerBook(path, Secrets()).add(Pairing("127.0.0.9", 9, "0" * 64, ("read", "control"), "t"))
    fleet = FleetModel(path, Secrets())
    page = ComputersPage(fleet)  # not shown: only the reading below arrives
    qtbot.addWidget(page)
    key = "127.0.0.9:9"
    summary = {
        "status": {"node_id": "box-2", "state": "contributing", "paused": False},
        "resources": {"sample": None},
        "tasks": [{"task_id": "job-17", "state": "running"}],
    }
    fleet._on_reading(Reading(key, time.time(), summary))
    card = page.cards[key]
    card.refresh()
    assert card.stop_button.isEnabled() and card.task_choice.currentText() == "job-17"
    sent: list[tuple] = []
    fleet.command_finished.connect(lambda *args: sent.append(args))
    card.stop_button.click()
    box = card.confirm_box
    assert box is not None and "job-17" in box.text() and "box-2" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    qtbot.wait(200)
    assert sent == [] and card.confirm_box is None
    card.stop_button.click()
    card.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: bool(sent), timeout=WAIT)
    assert sent[0][0] == key and sent[0][2].kind == "offline"
    assert "Offline" in card.problem.text()
    fleet.stop()


def test_pairing_without_a_keyring_says_so_and_keeps_nothing(qtbot, tmp_path, monkeypatch):
    """No Secret Service in this session: the code is exchanged, but the token cannot be
    kept, so the dialog says why and no computer is added (no token ever lands in a file)."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    worker = start_remote_workers(tmp_path / "workers", 1, first=41)[0]
    try:
        fleet = FleetModel(tmp_path / "computers.json", Secrets())
        page = ComputersPage(fleet)
        qtbot.addWidget(page)
        dialog = pair_through_dialog(qtbot, page, worker.pair())
        qtbot.waitUntil(lambda: "No keyring" in dialog.message.text(), timeout=WAIT)
        assert dialog.isVisible() and not page.cards
        assert not fleet.book.path.exists()
        fleet.stop()
    finally:
        worker.stop(signal.SIGKILL)
