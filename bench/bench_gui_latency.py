#!/usr/bin/env python3
"""(d) How late the desktop app's GUI event loop runs while 4 tasks burn CPU and the
Dashboard charts update, against the same app idle and a bare QApplication.

The probe is a 10 ms precise QTimer on the GUI thread; its lateness is the measured
interval minus 10 ms (Qt does not catch up missed ticks, so a 100 ms stall reads as one
90 ms sample). Three phases in one process, one after the other:

1. bare: a QApplication with one empty window shown, before the app exists;
2. app idle: the real `DesktopApp` (its core `Worker` on the bridge's QThread, signed in
   and registered with a node pool subprocess), window shown on the Dashboard, no task;
3. 4 tasks: four `python -m hivemind_desktop submit` subprocesses hand the pool tasks
   whose main.py spins a Python loop for --task-seconds; the pool dispatches them to
   the app's worker (real Docker). Measured while all four run.

The Dashboard's history is pre-filled with ten minutes of samples (the app's steady
state after ten minutes: 600 points per curve redrawn every second; --no-prefill to
start empty). Runs on a private Xvfb display with trayer as tray host (default), or
offscreen (--platform offscreen; Qt still renders the widgets into its backing store).
Target: p99 lateness < 50 ms with 4 tasks running.

    .venv/bin/python bench/bench_gui_latency.py [--seconds 15] [--task-seconds 25]
        [--cpu-score 50] [--platform xvfb|offscreen] [--no-prefill] [--verbose]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl  # noqa: E402

P99_TARGET_MS = 50.0
PROBE_MS = 10
TASKS = 4
SCIENTIST = "bench-scientist"
BURN_PY = """\
import time
end = time.time() + {seconds}
n = 0
while time.time() < end:
    n += 1
print(n)
"""


@dataclasses.dataclass
class Phase:
    name: str
    lateness_ms: list[float]
    seconds: float
    chart_updates: int = 0  # Dashboard redraws (one per SAMPLE event)
    paints: int = 0  # paint events of the CPU chart's viewport: it really rendered

    def pct(self, p: float) -> float:
        return bl.percentile(self.lateness_ms, p) if self.lateness_ms else math.nan

    @property
    def worst(self) -> float:
        return max(self.lateness_ms) if self.lateness_ms else math.nan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="bare and idle phases (s)")
    parser.add_argument(
        "--task-seconds", type=float, default=25.0, help="how long each task spins (s)"
    )
    parser.add_argument(
        "--cpu-score", type=int, default=50, help="CPU share per task, 1/100 cores (default 50)"
    )
    parser.add_argument("--platform", choices=("xvfb", "offscreen"), default="xvfb")
    parser.add_argument("--no-prefill", action="store_true", help="start the charts empty")
    parser.add_argument("--verbose", action="store_true", help="show the worker's log")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.task_seconds < 5:
        parser.error("--seconds must be > 0 and --task-seconds at least 5")
    if not 1 <= args.cpu_score <= 100 * (os.cpu_count() or 1):
        parser.error("--cpu-score must be from 1 to 100 x the number of cores")
    bl.interrupt_on_sigterm()
    bl.console_logging(args.verbose)
    try:
        bl.require_docker_and_image()
        display = bl.xvfb_display() if args.platform == "xvfb" else nullcontext(None)
        with display as env:
            if env is None:
                os.environ["QT_QPA_PLATFORM"] = "offscreen"
            else:
                os.environ.update(env)
                os.environ.pop("QT_QPA_PLATFORM", None)
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"
            return run(args)
    except bl.BenchError as exc:
        print(f"bench_gui_latency: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench_gui_latency: interrupted; cleaned up", file=sys.stderr)
        return 130


# -- the probe -----------------------------------------------------------------------------


class Probe:
    """A 10 ms precise timer on the GUI thread; records each interval's lateness (ms)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)
        self.samples: list[float] = []
        self._last: float | None = None

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.samples.append((now - self._last) * 1000.0 - PROBE_MS)
        self._last = now

    def start(self) -> None:
        self.samples, self._last = [], None
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.samples


def spin(seconds: float, until: Callable[[], bool] | None = None) -> bool:
    """Run the Qt event loop for up to `seconds`, or until `until()` is true (checked
    every 50 ms). Returns whether `until` came true."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.monotonic() + seconds
    met = [False]

    def check() -> None:
        if until is not None and until():
            met[0] = True
            loop.quit()
        elif time.monotonic() >= deadline:
            loop.quit()

    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(50)
    check()
    if not met[0]:
        loop.exec()
    poll.stop()
    return met[0]


class PaintCounter:
    """Counts paint events of a widget (an event filter), to show the charts render."""

    def __init__(self, widget) -> None:  # noqa: ANN001 - a QWidget
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            count = 0

            def eventFilter(self, obj, event):  # noqa: ANN001, ANN202, N802 - Qt override
                if event.type() == QEvent.Type.Paint:
                    Filter.count += 1
                return False

        self.filter = Filter()
        widget.installEventFilter(self.filter)

    @property
    def count(self) -> int:
        return self.filter.count


# -- the run -------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    platform = app.platformName()
    scratch = Path(tempfile.mkdtemp(prefix="hivemind-bench-gui-"))
    procs: list[subprocess.Popen] = []
    task_ids = [f"gui-lat-{i}-{secrets.token_hex(3)}" for i in range(TASKS)]
    desktop = None
    phases: list[Phase] = []
    probe = Probe()
    try:
        # 1. bare QApplication with one shown window
        bare_window = QLabel("baseline")
        bare_window.resize(900, 700)
        bare_window.show()
        spin(1.0)
        probe.start()
        t0 = time.perf_counter()
        spin(args.seconds)
        phases.append(Phase("bare QApplication", probe.stop(), time.perf_counter() - t0))
        bare_window.close()
        bare_window.deleteLater()

        # 2. the app, idle on its Dashboard
        with node_pool(scratch, procs) as (pool_address, volunteer_pw, scientist_pw):
            desktop = start_app(scratch, pool_address, volunteer_pw)
            state, window = desktop.state, desktop.window
            if not spin(60, lambda: state.pool_state == "connected" and bool(state.samples)):
                raise bl.BenchError(
                    f"the app did not register with the pool in 60 s: {state.pool_state} "
                    f"{state.pool_detail} {state.error}"
                )
            if not args.no_prefill:
                prefill(state)
            window.resize(1100, 800)
            window.tabs.setCurrentWidget(window.dashboard)
            spin(3.0)  # let the first snapshot and sample land
            dashboard = window.dashboard
            if not (window.isVisible() and dashboard.isVisible()):
                raise bl.BenchError("the main window's Dashboard is not visible")
            paints = PaintCounter(dashboard.cpu_chart.plot)
            updates = [0]
            state.sample_added.connect(lambda _s: updates.__setitem__(0, updates[0] + 1))

            def measured(name: str, seconds: float | None, until=None) -> Phase:  # noqa: ANN001
                u0, p0 = updates[0], paints.count
                probe.start()
                t0 = time.perf_counter()
                if seconds is not None:
                    spin(seconds)
                else:
                    spin(args.task_seconds + 60, until)
                phase = Phase(name, probe.stop(), time.perf_counter() - t0)
                phase.chart_updates, phase.paints = updates[0] - u0, paints.count - p0
                return phase

            phases.append(measured("app idle, Dashboard shown", args.seconds))

            # 3. four CPU-burning tasks through the pool to the app's worker
            folder = scratch / "burn"
            folder.mkdir()
            (folder / "main.py").write_text(BURN_PY.format(seconds=args.task_seconds))
            submits = [
                spawn_submit(folder, pool_address, scientist_pw, tid, args.cpu_score, scratch)
                for tid in task_ids
            ]
            procs += submits
            if not spin(60, lambda: state.running_count >= TASKS):
                raise bl.BenchError(
                    f"only {state.running_count} of {TASKS} tasks ran at once within 60 s "
                    "(the worker admits them by --cpu-score; see --verbose)"
                )
            busy = measured(f"{TASKS} tasks running", None, lambda: state.running_count < TASKS)
            phases.append(busy)
            if not spin(
                args.task_seconds + 120, lambda: all(p.poll() is not None for p in submits)
            ):
                raise bl.BenchError("the tasks did not finish in time")
            failed = [tid for tid, p in zip(task_ids, submits, strict=True) if p.returncode != 0]
            if failed:
                raise bl.BenchError(f"tasks {failed} did not complete (see --verbose)")
            shutdown(desktop)
            desktop = None
    finally:
        if desktop is not None:
            shutdown(desktop)
        for p in reversed(procs):
            bl.stop_process(p)
        bl.remove_task_containers(task_ids)
        shutil.rmtree(scratch, ignore_errors=True)

    report(phases, platform, args)
    return 0


@contextmanager
def node_pool(scratch: Path, procs: list[subprocess.Popen]) -> Iterator[tuple[str, str, str]]:
    """A node pool subprocess on loopback (dispatch rounds every 0.5 s, one task per node
    per round), with a volunteer and a scientist account."""
    from bench_idle import wait_port

    port = bl.free_port()
    volunteer_pw, scientist_pw = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    pool = subprocess.Popen(
        [sys.executable, "-m", "hivemind_desktop.nodepool", "serve",
         "--listen", f"127.0.0.1:{port}", "--data", str(scratch / "pool"),
         "--user", f"{bl.VOLUNTEER}:{volunteer_pw}",
         "--user", f"{SCIENTIST}:{scientist_pw}:100000", "--dispatch-interval", "0.5"],
        env=_child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    procs.append(pool)
    wait_port("127.0.0.1", port, 30, pool)
    yield f"127.0.0.1:{port}", volunteer_pw, scientist_pw


def _child_env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(bl.ROOT), os.environ.get("PYTHONPATH", "")]),
    }


def spawn_submit(
    folder: Path, pool: str, password: str, task_id: str, cpu_score: int, scratch: Path
) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "hivemind_desktop", "submit", str(folder), "--pool", pool,
         "--user", f"{SCIENTIST}:{password}", "--task-id", task_id,
         "--cpu-score", str(cpu_score), "--memory-gb", "1",
         "--out", str(scratch / "results" / task_id), "--timeout", "600"],
        env=_child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def start_app(scratch: Path, pool_address: str, password: str):  # noqa: ANN201 - DesktopApp
    """The desktop app as `main()` builds it, on the given pool, window shown."""
    from hivemind_desktop.core.settings import Settings
    from hivemind_desktop.gui.app import DesktopApp

    cores = float(os.cpu_count() or 2)
    settings = Settings(
        master_address=pool_address,
        advertise_address=bl.WORKER_HOST,
        busy_cpu_percent=0,  # the machine's own load (tests, CI) must not freeze tasks
        allowed_peers=("127.0.0.1",),
        node_port=bl.free_port(bl.WORKER_HOST),
        status_port=0,
        username=bl.VOLUNTEER,
        password=password,
        max_concurrent_tasks=TASKS,
        max_cpu_cores=cores,
        max_memory_gb=max(TASKS * bl.MEMORY_GB, 4),
        data_dir=str(scratch / "worker"),
        log_dir=str(scratch / "logs"),
        task_image=bl.IMAGE,
        language="en",
    )
    desktop = DesktopApp(settings, config_file=scratch / "config.toml")
    desktop.start(show_window=True)
    return desktop


def prefill(state) -> None:  # noqa: ANN001 - AppState
    """Ten minutes of history before the live samples: what the charts draw once the app
    has run for ten minutes (the deque keeps the newest 600)."""
    from hivemind_desktop.core.monitor import Sample

    live = list(state.samples)
    first = live[0].time if live else time.time()
    fake = [
        Sample(
            time=first - i,
            cpu_percent=50 + 40 * math.sin(i / 20),
            memory_percent=40 + 5 * math.cos(i / 30),
            memory_used_gb=8.0,
            disk_free_gb=100.0,
            gpu_percent=None,
            gpu_memory_percent=None,
        )
        for i in range(state.samples.maxlen - len(live), 0, -1)
    ]
    state.samples.clear()
    state.samples.extend([*fake, *live])


def shutdown(desktop) -> None:  # noqa: ANN001 - DesktopApp
    done = [False]
    desktop.finished.connect(lambda: done.__setitem__(0, True))
    desktop.shutdown()
    if not spin(60, lambda: done[0]):
        print("bench_gui_latency: the app did not shut down in 60 s", file=sys.stderr)
    desktop.window.deleteLater()


def report(phases: list[Phase], platform: str, args: argparse.Namespace) -> None:
    print(
        f"platform {platform}; probe: {PROBE_MS} ms precise QTimer; charts "
        f"{'pre-filled with 600 samples' if not args.no_prefill else 'empty at start'}; "
        f"{TASKS} tasks x {args.cpu_score / 100:g} core, {os.cpu_count()} cores here"
    )
    for ph in phases:
        extra = (
            f"; chart updates {ph.chart_updates}, chart paints {ph.paints}"
            if ph.name != "bare QApplication"
            else ""
        )
        print(
            f"  {ph.name:26} {len(ph.lateness_ms):5d} ticks in {ph.seconds:5.1f} s: "
            f"lateness p50 {ph.pct(50):6.2f}  p99 {ph.pct(99):6.2f}  max {ph.worst:7.2f} ms"
            f"{extra}"
        )
    bare, idle, busy = phases
    rows = []
    for label, fn in (("p50", lambda ph: ph.pct(50)), ("p99", lambda ph: ph.pct(99)),
                      ("max", lambda ph: ph.worst)):  # fmt: skip
        value = fn(busy)
        rows.append(
            (
                f"timer lateness {label}, {TASKS} tasks",
                f"{value:.2f} ms",
                f"{fn(idle):.2f} ms (app idle), {fn(bare):.2f} ms (bare)",
                f"{value / fn(idle):.2f}x of idle" if fn(idle) > 0 else "-",
                f"< {P99_TARGET_MS:g} ms" if label == "p99" else "-",
                value < P99_TARGET_MS if label == "p99" else None,
            )
        )
    bl.print_table(f"(d) GUI event-loop delay over {busy.seconds:.0f} s with {TASKS} tasks", rows)


if __name__ == "__main__":
    sys.exit(main())
