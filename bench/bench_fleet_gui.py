#!/usr/bin/env python3
"""(issue 11) How late the GUI event loop runs while the Computers page watches 20
workers, against the same page watching none, in one run.

The probe is a 10 ms precise QTimer on the GUI thread (as in bench_gui_latency.py); its
lateness is the measured interval minus 10 ms. The main window is shown on its Computers
page; first with nothing paired (a reference), then N workers (default 20) are paired
through the real pairing exchange, each card's charts pre-filled with ten minutes of
history (the steady state), and rounds alternate: polling off (the baseline: the same
window and cards, nothing arriving), then polling on (every 2 s over real TLS with
pinned certificates and tokens). The GUI thread's own CPU time is printed too.

The N remote status APIs run in a server subprocess (`--serve`): one real `Worker`
(its data folder, monitor, engine) behind N remote listeners on 127.0.1.1... each with
its own TLS identity and paired tokens. What the GUI does per worker (a TLS connection,
a token check, a summary, a card and two charts redrawn) is the same as with N worker
processes, which this 2-core machine could not run beside the GUI without measuring
their start-up instead. Tokens are kept in memory here: the app reads each from the
keyring once and then caches it, so the keyring is no part of the steady state.
Target: p99 lateness under 16 ms (one frame at 60 Hz) while watching 20.

    .venv/bin/python bench/bench_fleet_gui.py [--workers 20] [--seconds 10] [--rounds 3]
        [--platform xvfb|offscreen] [--no-prefill]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import benchlib as bl  # noqa: E402
from bench_gui_latency import Probe, spin  # noqa: E402 - the same probe

P99_TARGET_MS = 16.0
NO_POOL = "127.0.0.1:9"


# -- the server side (a subprocess) -----------------------------------------------------------


def serve(count: int, scratch: Path) -> int:
    """One real Worker behind `count` remote listeners; prints the pairing links as one
    JSON line, then serves until SIGTERM."""
    from hivemind_desktop.core.remote import identity
    from hivemind_desktop.core.remote.access import PairingLink, RemoteAccess
    from hivemind_desktop.core.remote.server import RemoteApi
    from hivemind_desktop.core.settings import Settings, validate
    from hivemind_desktop.core.worker import Worker

    settings = validate(
        Settings(
            master_address=NO_POOL,
            advertise_address="127.0.0.1",
            node_port=bl.free_port(),
            status_port=0,
            data_dir=str(scratch / "data"),
            log_dir=str(scratch / "logs"),
            busy_cpu_percent=0,
            share_gpu=False,
            max_cpu_cores=1,
            max_memory_gb=1,
        )
    )
    worker = Worker(settings)
    worker.start()
    apis, links = [], []
    for i in range(count):
        host = f"127.0.1.{i + 1}"
        folder = scratch / f"remote-{i}"
        access = RemoteAccess(folder)
        ident = identity.load_or_create(folder)
        api = RemoteApi(worker, access, ident, host, 0)
        api.start()
        apis.append(api)
        links.append(
            PairingLink(host, api.port, access.issue_code().code, ident.fingerprint).text()
        )
    print(json.dumps(links), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    for api in apis:
        api.stop()
    worker.shutdown(stop_tasks=False)
    return 0


# -- the GUI side ---------------------------------------------------------------------------------


class MemoryTokens:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def put(self, key: str, value: str) -> None:
        self.values[key] = value

    def remove(self, key: str) -> None:
        self.values.pop(key, None)


def measure(probe: Probe, seconds: float) -> tuple[list[float], float]:
    """The probe's lateness samples over `seconds`, and the GUI thread's own CPU time in
    ms per second (less noisy than lateness on a loaded machine)."""
    cpu = time.thread_time()
    probe.start()
    spin(seconds)
    samples = probe.stop()
    return samples, (time.thread_time() - cpu) * 1000 / seconds


def prefill(fleet) -> None:  # noqa: ANN001 - FleetModel
    """Ten minutes of history per card, from each one's first real sample."""
    for view in fleet.views.values():
        if not view.samples:
            continue
        t, cpu, mem, gpu, gpu_mem = view.samples[-1]
        points = view.samples.maxlen - 1
        history = [
            (t - 2.0 * (points - i), 30 + 20 * math.sin(i / 9), mem, gpu, gpu_mem)
            for i in range(points)
        ]
        view.samples.clear()
        view.samples.extend(history)
        view.samples.append((t, cpu, mem, gpu, gpu_mem))


def run(args: argparse.Namespace, scratch: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from hivemind_desktop.core.remote.access import parse_link
    from hivemind_desktop.core.settings import Settings
    from hivemind_desktop.gui.fleet_model import FleetModel
    from hivemind_desktop.gui.main_window import MainWindow
    from hivemind_desktop.gui.state import AppState

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(args.workers), "--scratch", str(scratch)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent)),
    )  # fmt: skip
    try:
        line = server.stdout.readline() if server.stdout else ""
        if not line:
            raise bl.BenchError("the server process did not start (run with --serve to see why)")
        links = [parse_link(x) for x in json.loads(line)]

        app = QApplication([sys.argv[0]])
        app.setQuitOnLastWindowClosed(False)
        fleet = FleetModel(scratch / "computers.json", MemoryTokens())
        window = MainWindow(AppState(), Settings(language="en"), fleet=fleet)
        window.show()
        window.tabs.setCurrentWidget(window.computers)
        probe = Probe()
        spin(2)
        nothing, _ = measure(probe, args.seconds)

        for link in links:
            fleet.pair(link, "bench")
        if not spin(60, lambda: len(fleet.views) == len(links)):
            raise bl.BenchError(f"only {len(fleet.views)} of {len(links)} computers paired")
        if not spin(60, lambda: all(v.online for v in fleet.views.values())):
            raise bl.BenchError("not every computer answered within 60 s")
        if not args.no_prefill:
            prefill(fleet)
        readings = [0]
        fleet.computer_updated.connect(lambda _key: readings.__setitem__(0, readings[0] + 1))
        page = window.computers
        # Rounds alternate: the same window and cards, polling off then on, so the
        # machine's other load falls on both sides alike.
        off: list[float] = []
        on: list[float] = []
        cpu = {"off": 0.0, "on": 0.0}
        for _ in range(args.rounds):
            fleet.set_watching(page, False)
            spin(2.5)  # polls in flight land
            samples, cpu_ms = measure(probe, args.seconds)
            off += samples
            cpu["off"] += cpu_ms / args.rounds
            fleet.set_watching(page, True)
            spin(2.5)
            readings[0] = 0
            samples, cpu_ms = measure(probe, args.seconds)
            on += samples
            cpu["on"] += cpu_ms / args.rounds
        per_s = readings[0] / args.seconds  # the last round's
        online = sum(v.online for v in fleet.views.values())
        fleet.stop()
        window.close()
    finally:
        bl.stop_process(server, 20)
    report(nothing, off, on, args, per_s, online)
    print(
        f"GUI thread CPU: {cpu['off']:.1f} ms/s not polling, {cpu['on']:.1f} ms/s watching "
        f"{args.workers} ({cpu['on'] / max(cpu['off'], 0.01):.1f}x)"
    )
    return 0


def report(nothing, off, on, args, per_s: float, online: int) -> None:  # noqa: ANN001
    def row(name: str, values: list[float]) -> str:
        return (
            f"{name:<30} {len(values):>7} {bl.percentile(values, 50):>8.2f} "
            f"{bl.percentile(values, 99):>8.2f} {max(values):>8.2f}"
        )

    print(
        f"GUI event-loop lateness (ms), {args.platform}, {args.rounds} rounds of "
        f"{args.seconds:g} s per side"
    )
    print(f"{'phase':<30} {'ticks':>7} {'p50':>8} {'p99':>8} {'worst':>8}")
    print(row("nothing paired (reference)", nothing))
    print(row(f"{args.workers} paired, not polling", off))
    print(row(f"watching {args.workers}", on))
    p99_off, p99_on = bl.percentile(off, 99), bl.percentile(on, 99)
    ratio = p99_on / p99_off if p99_off > 0 else math.inf
    print(f"readings: {per_s:.1f}/s, {online}/{args.workers} online")
    print(f"p99 ratio watching {args.workers} / not polling: {ratio:.2f}")
    verdict = "PASS" if p99_on < P99_TARGET_MS else "MISS"
    print(f"p99 watching {args.workers}: {p99_on:.2f} ms, target < {P99_TARGET_MS:g} ms: {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=20, help="computers watched (default 20)")
    parser.add_argument("--seconds", type=float, default=10.0, help="each phase (s)")
    parser.add_argument("--rounds", type=int, default=3, help="off/on rounds (default 3)")
    parser.add_argument("--platform", choices=("xvfb", "offscreen"), default="xvfb")
    parser.add_argument("--no-prefill", action="store_true", help="start the charts empty")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve, args.scratch)
    if not 1 <= args.workers <= 250 or args.seconds <= 0 or args.rounds < 1:
        parser.error("--workers must be 1 to 250, --seconds above 0, --rounds at least 1")
    bl.interrupt_on_sigterm()
    try:
        display = bl.xvfb_display(tray=False) if args.platform == "xvfb" else nullcontext(None)
        with display as env, tempfile.TemporaryDirectory(prefix="bench-fleet-") as scratch:
            if env is None:
                os.environ["QT_QPA_PLATFORM"] = "offscreen"
            else:
                os.environ.update(env)
                os.environ.pop("QT_QPA_PLATFORM", None)
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"
            return run(args, Path(scratch))
    except bl.BenchError as exc:
        print(f"bench_fleet_gui: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench_fleet_gui: interrupted; cleaned up", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
