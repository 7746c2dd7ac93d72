#!/usr/bin/env python3
"""(e) What the whole desktop app costs while idle in the tray: CPU (% of one core) and
resident memory over a window, beside a bare tray app measured in the same window.

On a private Xvfb display with trayer as tray host, starts a node pool subprocess and
the app exactly as a volunteer does (`python -m hivemind_desktop`, no arguments), its
settings in the environment (MASTER_ADDRESS, HIVEMIND_USERNAME/PASSWORD,
HIVEMIND_ADVERTISE_ADDRESS=127.0.0.2, data/log/config/XDG folders in a scratch folder,
with a config file written beforehand so it is not a first start and no setup wizard
shows). Once the worker is registered (its status API says so), the main window is
closed the way a window manager closes it (WM_DELETE_WINDOW): the app lives on in the
tray. After a settling pause, psutil measures CPU time (user + system, children
included) over --seconds and resident memory every second (peak reported).
Baseline: a bare QApplication showing a QSystemTrayIcon in the same tray, same window.
Targets (issue 8, footprint): <= 0.5 % of one core and <= 120 MB resident.

    .venv/bin/python bench/bench_gui_idle.py [--seconds 60] [--verbose]
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl  # noqa: E402
from bench_idle import Watched, measure, ratio, wait_port, wait_registered  # noqa: E402

CPU_TARGET_PCT = 0.5
RSS_TARGET_MB = 120.0
SETTLE_S = 5.0  # after the window closed: let start-up work (first snapshot, balance) end
APP_NAME = "HiveMind Desktop"  # the main window's and the tray icon's X window name

BARE_TRAY = """\
import sys
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
app = QApplication(sys.argv)
app.setApplicationName("bare tray")
app.setQuitOnLastWindowClosed(False)
pixmap = QPixmap(32, 32)
pixmap.fill(QColor("#2e9d4f"))
tray = QSystemTrayIcon(QIcon(pixmap))
tray.setToolTip("bare tray")
tray.show()
sys.exit(app.exec())
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="measured window (s)")
    parser.add_argument("--verbose", action="store_true", help="show the processes' output")
    args = parser.parse_args(argv)
    if args.seconds <= 0:
        parser.error("--seconds must be > 0")
    bl.interrupt_on_sigterm()
    try:
        bl.require_docker_and_image()
        with bl.xvfb_display() as xenv:
            return run(args.seconds, args.verbose, xenv)
    except bl.BenchError as exc:
        print(f"bench_gui_idle: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench_gui_idle: interrupted; cleaned up", file=sys.stderr)
        return 130


# -- X helpers -------------------------------------------------------------------------------


def app_windows(env: dict[str, str], name: str = APP_NAME) -> list[tuple[str, int]]:
    """Visible windows with this exact name, with their widths (the tray icon is a small
    one; xdotool's --name search misses it, so each visible window's name is compared)."""
    found = []
    for window in bl.xdotool(env, "search", "--onlyvisible", "--name", ".*").split():
        if bl.xdotool(env, "getwindowname", window) == name:
            shell = dict(
                line.partition("=")[::2]
                for line in bl.xdotool(env, "getwindowgeometry", "--shell", window).splitlines()
            )
            found.append((window, int(shell.get("WIDTH", "0") or 0)))
    return found


class _XClientMessage(ctypes.Structure):
    _fields_ = [  # noqa: RUF012 - ctypes layout
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    ]


class _XEvent(ctypes.Union):
    _fields_ = [("xclient", _XClientMessage), ("pad", ctypes.c_long * 24)]  # noqa: RUF012


def close_window(display: str, window: int) -> None:
    """Send WM_DELETE_WINDOW, as a window manager's close button does (Xvfb has no window
    manager, and xdotool here has no 'windowquit'): the app's closeEvent runs."""
    path = ctypes.util.find_library("X11")
    if path is None:
        raise bl.BenchError("libX11 not found: install libx11-6")
    x11 = ctypes.CDLL(path)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XSendEvent.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p
    ]  # fmt: skip
    x11.XFlush.argtypes = x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    dpy = x11.XOpenDisplay(display.encode())
    if not dpy:
        raise bl.BenchError(f"cannot open X display {display}")
    try:
        event = _XEvent()
        event.xclient.type = 33  # ClientMessage
        event.xclient.window = window
        event.xclient.message_type = x11.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
        event.xclient.format = 32
        event.xclient.data[0] = x11.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
        event.xclient.data[1] = 0  # CurrentTime
        x11.XSendEvent(dpy, window, 0, 0, ctypes.byref(event))
        x11.XFlush(dpy)
    finally:
        x11.XCloseDisplay(dpy)


def wait_for(condition, what: str, timeout: float, procs: list[subprocess.Popen]):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise bl.BenchError(f"{p.args[:3]} exited early with code {p.returncode}")
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise bl.BenchError(f"timed out after {timeout:g} s waiting for {what}")


# -- the run ---------------------------------------------------------------------------------


def run(seconds: float, verbose: bool, xenv: dict[str, str]) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="hivemind-bench-gui-idle-"))
    password = secrets.token_urlsafe(12)
    pool_port, node_port, status_port = (
        bl.free_port(), bl.free_port(bl.WORKER_HOST), bl.free_port()
    )  # fmt: skip
    runtime = scratch / "run"
    runtime.mkdir(mode=0o700)
    (scratch / "tmp").mkdir()
    config = scratch / "config" / "config.toml"
    config.parent.mkdir()
    # Not a first start: the setup wizard only shows when there is no config file.
    config.write_text('language = "en"\n', encoding="utf-8")
    env = {
        **xenv,
        "QT_QPA_PLATFORM": "xcb",
        "PYTHONPATH": os.pathsep.join([str(bl.ROOT), os.environ.get("PYTHONPATH", "")]),
        # Private folders: nothing of a real user's, and the single-instance socket
        # (under TMPDIR) cannot meet another app running on this machine.
        "HOME": str(scratch),
        "TMPDIR": str(scratch / "tmp"),
        "XDG_CONFIG_HOME": str(scratch / "xdg-config"),
        "XDG_DATA_HOME": str(scratch / "xdg-data"),
        "XDG_CACHE_HOME": str(scratch / "xdg-cache"),
        "XDG_STATE_HOME": str(scratch / "xdg-state"),
        "XDG_RUNTIME_DIR": str(runtime),
        "HIVEMIND_CONFIG_FILE": str(config),
        "HIVEMIND_DATA_DIR": str(scratch / "worker"),
        "HIVEMIND_LOG_DIR": str(scratch / "logs"),
        "MASTER_ADDRESS": f"127.0.0.1:{pool_port}",
        "NODE_PORT": str(node_port),
        "FLASK_PORT": str(status_port),  # the status API stays on, as by default
        "HIVEMIND_ADVERTISE_ADDRESS": bl.WORKER_HOST,
        "HIVEMIND_BUSY_CPU_PERCENT": "0",
        "HIVEMIND_ALLOWED_PEERS": "127.0.0.1",
        "HIVEMIND_USERNAME": bl.VOLUNTEER,
        "HIVEMIND_PASSWORD": password,
        "HIVEMIND_LANGUAGE": "en",
    }
    out = None if verbose else subprocess.DEVNULL
    procs: list[subprocess.Popen] = []

    def spawn(cmd: list[str]) -> subprocess.Popen:
        p = subprocess.Popen(cmd, env=env, stdout=out, stderr=out, cwd=scratch)
        procs.append(p)
        return p

    py = sys.executable
    try:
        pool_p = spawn(
            [py, "-m", "hivemind_desktop.nodepool", "serve",
             "--listen", f"127.0.0.1:{pool_port}", "--user", f"{bl.VOLUNTEER}:{password}",
             "--data", str(scratch / "pool")]
        )  # fmt: skip
        wait_port("127.0.0.1", pool_port, 30, pool_p)
        app_p = spawn([py, "-m", "hivemind_desktop"])
        bare_p = spawn([py, "-c", BARE_TRAY])
        status = wait_registered(status_port, 90, app_p)
        window = wait_for(
            lambda: next((w for w, width in app_windows(xenv) if width > 400), None),
            "the main window",
            60,
            [app_p],
        )
        wait_for(
            lambda: [w for w, width in app_windows(xenv) if width <= 64], "the tray icon", 60,
            [app_p],
        )  # fmt: skip
        wait_for(lambda: app_windows(xenv, "bare tray"), "the bare tray icon", 60, [bare_p])
        close_window(xenv["DISPLAY"], int(window))
        wait_for(
            lambda: not [w for w, width in app_windows(xenv) if width > 400],
            "the main window to close into the tray",
            20,
            [app_p],
        )
        if not [w for w, width in app_windows(xenv) if width <= 64]:
            raise bl.BenchError("the tray icon went away when the window closed")
        print(
            f"app (pid {app_p.pid}) registered as {status.get('node_id')} with the pool on "
            f"127.0.0.1:{pool_port}, window closed, in the tray; measuring {seconds:g} s"
        )
        time.sleep(SETTLE_S)
        watched = [
            Watched("desktop app (tray)", app_p),
            Watched("bare tray app", bare_p),
            Watched("node pool", pool_p),
        ]
        elapsed = measure(watched, seconds)
        if [w for w, width in app_windows(xenv) if width > 400]:
            raise bl.BenchError("the main window came back during the window")
    finally:
        for p in reversed(procs):
            bl.stop_process(p, 60)  # the app shuts its core down cleanly on SIGTERM
        shutil.rmtree(scratch, ignore_errors=True)

    app, bare, pool = watched
    for w in watched:
        print(
            f"  {w.name:18} cpu {w.cpu1 - w.cpu0:6.3f} s in {elapsed:.1f} s = "
            f"{w.cpu_pct(elapsed):5.2f} % of a core; rss peak {w.rss_mb:6.1f} MB, "
            f"last {w.rss_last / 2**20:6.1f} MB"
        )
    cpu, rss = app.cpu_pct(elapsed), app.rss_mb
    bl.print_table(
        f"(e) idle desktop app in the tray (window closed) over {elapsed:.0f} s",
        [
            (
                "CPU, % of one core",
                f"{cpu:.2f} %",
                f"{bare.cpu_pct(elapsed):.2f} % (bare tray app)",
                ratio(cpu, bare.cpu_pct(elapsed)),
                f"<= {CPU_TARGET_PCT:g} %",
                cpu <= CPU_TARGET_PCT,
            ),
            (
                "resident memory (peak)",
                f"{rss:.1f} MB",
                f"{bare.rss_mb:.1f} MB (bare tray app)",
                ratio(rss, bare.rss_mb),
                f"<= {RSS_TARGET_MB:g} MB",
                rss <= RSS_TARGET_MB,
            ),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
