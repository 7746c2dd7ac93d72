"""Screenshots of the desktop app's views for the README, from the real app under Xvfb.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--language en]
                                            [--scale 1] [--dark] [--size 800x600]

Starts its own X server (Xvfb) with a tray host (trayer), a local node pool, and the
real desktop app on a real worker (Docker and the task images from
scripts/build_task_images are needed). Two sample tasks that report their progress run
while the pages are captured; the Statistics page shows four weeks of sample history
written into the fresh data folder first (a new install has none to show). Writes
tasks.png, statistics.png, logs.png, tray-menu.png and first-close-hint.png to --out
(copies go to artifacts/), and prints a JSON summary on its last line. CI runs it, so
the pictures in the README stay current.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PROGRESS_TASK = """import time
for step in range(1, 101):
    print(f"PROGRESS {step / 100:.2f}", flush=True)
    time.sleep(SECONDS / 100)
"""
VOLUNTEER, SCIENTIST = "volunteer", "scientist"


def outer(args: argparse.Namespace) -> int:
    """Xvfb and a tray host, then this script again inside them."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = ":" + pipe.readline().strip()
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"  # no stray session bus
    if args.scale != 1:
        env["QT_SCALE_FACTOR"] = str(args.scale)
    trayer = subprocess.Popen(
        ["trayer", "--edge", "bottom", "--align", "right", "--widthtype", "pixel", "--width",
         "200", "--height", "32", "--SetDockType", "true", "--transparent", "false"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        inner = [sys.executable, __file__, "--inside", "--out", str(args.out)]
        inner += ["--language", args.language, "--scale", str(args.scale)]
        inner += ["--dark"] if args.dark else []
        inner += ["--size", args.size] if args.size else []
        return subprocess.run(inner, env=env, cwd=REPO, timeout=600).returncode
    finally:
        for process in (trayer, xvfb):
            process.terminate()
            process.wait(10)


def seed_history(data_dir: Path) -> int:
    """Four weeks of sample history, as a volunteer who contributes most evenings has."""
    from hivemind_desktop.core.store import Store

    store = Store(data_dir / "worker.sqlite3")
    noon = datetime.now().replace(hour=12, minute=0, second=0, microsecond=0)
    balance, score = 0, 50
    store.record_balance(VOLUNTEER, balance, (noon - timedelta(days=28)).timestamp())
    store.record_trust(score, (noon - timedelta(days=28)).timestamp())
    for days_ago in range(27, 0, -1):
        at = (noon - timedelta(days=days_ago)).timestamp()
        completed = (3, 5, 0, 4, 6, 2, 1)[days_ago % 7]
        failed = 1 if days_ago in (9, 17) else 0
        for _ in range(completed):
            store.count_outcome("completed", at)
        for _ in range(failed):
            store.count_outcome("failed", at)
        balance += completed * 10
        store.record_balance(VOLUNTEER, balance, at)
        score = max(0, min(100, score + 2 * completed - 5 * failed))
        store.record_trust(score, at)
    store.set_value("trust_score", str(score))  # what core/trust.py starts from
    store.close()
    return balance  # the pool's account holds what the history says was earned


def inside(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    from hivemind_desktop.core.docker_runner import DockerRunner
    from hivemind_desktop.core.settings import Settings
    from hivemind_desktop.demo import check_images, free_port
    from hivemind_desktop.gui.app import DesktopApp
    from hivemind_desktop.nodepool.models import UserSpec
    from hivemind_desktop.nodepool.server import NodePool
    from hivemind_desktop.nodepool.submit import submit_folder

    problem = check_images(DockerRunner(install_id="screenshots"))
    if problem:
        print(f"screenshots: {problem}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    artifacts = REPO / "artifacts"
    artifacts.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="hivemind-shots-"))
    volunteer_pw, scientist_pw = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    balance = seed_history(scratch / "worker")
    pool = NodePool(
        listen=f"127.0.0.1:{free_port()}",
        users=[UserSpec(VOLUNTEER, volunteer_pw, balance), UserSpec(SCIENTIST, scientist_pw, 1000)],
        data_dir=scratch / "pool",
        dispatch_interval_s=0.5,
    ).start()
    settings = Settings(
        master_address=pool.address,
        advertise_address="127.0.0.2",
        allowed_peers=("127.0.0.1",),
        node_port=free_port("127.0.0.2"),
        status_port=0,
        busy_cpu_percent=0,
        username=VOLUNTEER,
        password=volunteer_pw,
        max_cpu_cores=1,
        max_memory_gb=2,  # room for both sample tasks (1 GiB each)
        data_dir=str(scratch / "worker"),
        log_dir=str(scratch / "logs"),
        language=args.language,
    )
    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    if args.dark:
        dark = QPalette()
        for role, colour in (
            (QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.WindowText, "#e8eaed"),
            (QPalette.ColorRole.Base, "#303134"), (QPalette.ColorRole.Text, "#e8eaed"),
            (QPalette.ColorRole.Button, "#303134"), (QPalette.ColorRole.ButtonText, "#e8eaed"),
            (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
        ):  # fmt: skip
            dark.setColor(role, QColor(colour))
        app.setPalette(dark)
    desktop = DesktopApp(settings, config_file=scratch / "config.toml")
    summary: dict = {"files": [], "hints": [], "errors": []}
    desktop.tray.notified.connect(lambda title, _text: summary["hints"].append(title))

    def submit(name: str, seconds: int) -> None:
        folder = scratch / "tasks" / name
        folder.mkdir(parents=True)
        (folder / "main.py").write_text(PROGRESS_TASK.replace("SECONDS", str(seconds)))
        try:
            submit_folder(folder, pool.address, SCIENTIST, scientist_pw, task_id=name,
                          cpu_score=50, memory_gb=1, timeout=seconds + 60,
                          out=scratch / "results" / name)  # fmt: skip - not the current folder
        except Exception as exc:  # shown in the summary; the pictures still get taken
            summary["errors"].append(f"{name}: {exc}")

    def wait(condition, what: str, timeout: float = 90) -> None:  # noqa: ANN001
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError(f"timed out waiting for {what}")
            app.processEvents()
            time.sleep(0.05)

    def grab(widget, name: str) -> None:  # noqa: ANN001
        for _ in range(5):
            app.processEvents()
            time.sleep(0.05)
        path = out / name
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        shutil.copy(path, artifacts / f"readme-{args.language}-{name}")
        summary["files"].append(str(path))

    status = 0
    try:
        desktop.start(show_window=True)
        wait(lambda: desktop.state.signed_in and desktop.state.pool_connected, "sign-in", 60)
        for name, seconds in (("climate-model-07", 240), ("protein-fold-3", 180)):
            threading.Thread(target=submit, args=(name, seconds), daemon=True).start()
        wait(
            lambda: sum(1 for t in desktop.state.tasks.values() if (t.progress or 0) > 0.03) >= 2,
            "two tasks reporting progress",
        )
        window = desktop.window
        window.show_notice("")
        if args.size:  # else the window's default size
            width, height = (int(n) for n in args.size.lower().split("x"))
            window.resize(width, height)
        try:  # the CPU and memory columns filled, unless the engine is slow to tell
            wait(lambda: all(t.usage for t in desktop.state.tasks.values()), "usage", 45)
        except TimeoutError:
            pass
        window.tabs.setCurrentWidget(window.tasks)
        window.tasks.select_task("climate-model-07")
        grab(window, "tasks.png")
        window.tabs.setCurrentWidget(window.statistics)
        wait(lambda: desktop.state.statistics is not None, "the statistics", 30)
        grab(window, "statistics.png")
        window.tabs.setCurrentWidget(window.logs)
        grab(window, "logs.png")
        menu = desktop.tray.menu
        desktop.tray.fill_recent()
        menu.popup(window.geometry().center())
        desktop.tray.recent_menu.popup(menu.geometry().topRight())
        wait(lambda: desktop.tray.recent_menu.isVisible(), "the tray menu")
        grab(menu, "tray-menu.png")
        grab(desktop.tray.recent_menu, "tray-recent.png")
        desktop.tray.recent_menu.hide()
        menu.hide()
        # The first close into the tray says so once; the second close says nothing.
        for _ in range(2):
            desktop.window.show()
            app.processEvents()
            desktop.window.close()
            wait(lambda: not desktop.has_window or not desktop.window.isVisible(), "the close")
        time.sleep(1)
        root = out / "first-close-hint.png"
        corner = "800x300+800+700"  # the tray's corner, where the balloon shows
        subprocess.run(
            ["import", "-window", "root", "-crop", corner, str(root)], check=False, timeout=30
        )
        if root.exists():
            summary["files"].append(str(root))
    except Exception as exc:
        summary["errors"].append(str(exc))
        summary["tasks"] = {
            t.task_id: [str(t.state), t.progress, t.message] for t in desktop.state.tasks.values()
        }
        status = 1
    finally:
        QTimer.singleShot(0, desktop.shutdown)
        finished = []
        desktop.finished.connect(lambda: finished.append(True))
        end = time.monotonic() + 120
        while not finished and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.05)
        pool.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps(summary))
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    parser.add_argument("--language", default="en", choices=("en", "zh_TW"))
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--dark", action="store_true", help="a dark desktop palette")
    parser.add_argument("--size", help="window size WIDTHxHEIGHT (default: the app's own)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    return inside(args) if args.inside else outer(args)


if __name__ == "__main__":
    raise SystemExit(main())
