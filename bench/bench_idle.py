#!/usr/bin/env python3
"""(c) What an idle, registered headless worker costs: CPU (% of one core) and resident
memory over a window, beside baselines measured in the same window.

Starts a local node pool (`python -m hivemind_desktop.nodepool serve`) and a headless
worker (`python -m hivemind_desktop --headless`, signed in through HIVEMIND_USERNAME /
HIVEMIND_PASSWORD, status API on) as subprocesses, waits until the worker is registered,
then measures with psutil: CPU time (user + system, children included) over the window,
and resident memory sampled every second (the peak is reported). Baselines: an idle
`python -c 'import time; time.sleep(N)'` sibling and the node pool process itself.
Target (issue 8, footprint): worker <= 0.25 % of one core and <= 60 MB resident.

    .venv/bin/python bench/bench_idle.py [--seconds 60] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib as bl  # noqa: E402

CPU_TARGET_PCT = 0.25
RSS_TARGET_MB = 60.0
SETTLE_S = 3.0  # after registration: let start-up work (first samples, balance) finish


def measure(watched: list[Watched], seconds: float) -> float:
    """CPU time and peak RSS of each process over `seconds`; returns the elapsed time."""
    t0 = time.perf_counter()
    for w in watched:
        w.cpu0 = w.cpu_seconds()
        w.sample_rss()
    while (left := seconds - (time.perf_counter() - t0)) > 0:
        time.sleep(min(1.0, left))
        for w in watched:
            w.sample_rss()
    elapsed = time.perf_counter() - t0
    for w in watched:
        w.cpu1 = w.cpu_seconds()
    dead = [w.name for w in watched if not w.alive()]
    if dead:
        raise bl.BenchError(f"{', '.join(dead)} exited during the window")
    return elapsed


class Watched:
    """A process whose CPU time and resident memory we follow (children included)."""

    def __init__(self, name: str, popen: subprocess.Popen) -> None:
        self.name = name
        self.popen = popen
        self.proc = psutil.Process(popen.pid)
        self.cpu0 = 0.0
        self.cpu1 = 0.0
        self.rss_peak = 0
        self.rss_last = 0

    def _tree(self) -> list[psutil.Process]:
        try:
            return [self.proc, *self.proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def cpu_seconds(self) -> float:
        total = 0.0
        for p in self._tree():
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
        return total

    def sample_rss(self) -> None:
        rss = 0
        for p in self._tree():
            try:
                rss += p.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        self.rss_last = rss
        self.rss_peak = max(self.rss_peak, rss)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def cpu_pct(self, seconds: float) -> float:
        return (self.cpu1 - self.cpu0) / seconds * 100.0

    @property
    def rss_mb(self) -> float:
        return self.rss_peak / 2**20


def wait_port(host: str, port: int, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise bl.BenchError(f"process exited early with code {proc.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise bl.BenchError(f"nothing listens on {host}:{port} after {timeout:g} s")


def wait_registered(status_port: int, timeout: float, proc: subprocess.Popen) -> dict:
    """Poll the worker's local status API until the pool client says registered."""
    deadline = time.time() + timeout
    last: dict = {}
    while time.time() < deadline:
        if proc.poll() is not None:
            raise bl.BenchError(f"the worker exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(  # noqa: S310 (a fixed loopback URL)
                f"http://127.0.0.1:{status_port}/api/status", timeout=2
            ) as reply:
                last = json.load(reply)
            pool = last.get("node_pool", {})
            if pool.get("state") == "connected" and pool.get("detail") == "registered":
                return last
        except OSError:
            pass
        time.sleep(0.25)
    raise bl.BenchError(f"the worker did not register in {timeout:g} s; last status: {last}")


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
        return run(args.seconds, args.verbose)
    except bl.BenchError as exc:
        print(f"bench_idle: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench_idle: interrupted; cleaned up", file=sys.stderr)
        return 130


def run(seconds: float, verbose: bool) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="hivemind-bench-idle-"))
    password = "bench-" + os.urandom(6).hex()
    pool_port, node_port = bl.free_port(), bl.free_port(bl.WORKER_HOST)
    status_port = bl.free_port()
    py = sys.executable
    env = {
        **os.environ,
        "HIVEMIND_CONFIG_FILE": str(scratch / "config.toml"),  # none: defaults + flags
        "HIVEMIND_USERNAME": bl.VOLUNTEER,
        "HIVEMIND_PASSWORD": password,
        "PYTHONPATH": os.pathsep.join([str(bl.ROOT), os.environ.get("PYTHONPATH", "")]),
        "DBUS_SESSION_BUS_ADDRESS": "disabled:",  # never start a session bus for a keyring
    }
    out = None if verbose else subprocess.DEVNULL
    procs: list[subprocess.Popen] = []

    def spawn(cmd: list[str]) -> subprocess.Popen:
        p = subprocess.Popen(cmd, env=env, stdout=out, stderr=out, cwd=scratch)
        procs.append(p)
        return p

    try:
        pool_p = spawn(
            [py, "-m", "hivemind_desktop.nodepool", "serve",
             "--listen", f"127.0.0.1:{pool_port}", "--user", f"{bl.VOLUNTEER}:{password}",
             "--data", str(scratch / "pool")]
        )  # fmt: skip
        wait_port("127.0.0.1", pool_port, 30, pool_p)
        worker_p = spawn(bl.headless_worker_cmd(pool_port, node_port, status_port, scratch))
        status = wait_registered(status_port, 60, worker_p)
        print(
            f"worker {status.get('node_id')} registered with the pool on 127.0.0.1:{pool_port}; "
            f"state {status.get('state')}; measuring {seconds:g} s"
        )
        sleeper_p = spawn([py, "-c", f"import time; time.sleep({seconds + 60})"])
        time.sleep(SETTLE_S)
        watched = [
            Watched("headless worker", worker_p),
            Watched("idle python sleep", sleeper_p),
            Watched("node pool", pool_p),
        ]
        elapsed = measure(watched, seconds)
    finally:
        for p in reversed(procs):
            bl.stop_process(p)
        shutil.rmtree(scratch, ignore_errors=True)

    worker, sleeper, pool = watched
    for w in watched:
        print(
            f"  {w.name:18} cpu {w.cpu1 - w.cpu0:6.3f} s in {elapsed:.1f} s = "
            f"{w.cpu_pct(elapsed):5.2f} % of a core; rss peak {w.rss_mb:6.1f} MB"
        )
    cpu, rss = worker.cpu_pct(elapsed), worker.rss_mb
    bl.print_table(
        f"(c) idle registered headless worker over {elapsed:.0f} s",
        [
            (
                "CPU, % of one core",
                f"{cpu:.2f} %",
                f"{pool.cpu_pct(elapsed):.2f} % (node pool), "
                f"{sleeper.cpu_pct(elapsed):.2f} % (python sleep)",
                f"{ratio(cpu, pool.cpu_pct(elapsed))} of pool",
                f"<= {CPU_TARGET_PCT:g} %",
                cpu <= CPU_TARGET_PCT,
            ),
            (
                "resident memory (peak)",
                f"{rss:.1f} MB",
                f"{pool.rss_mb:.1f} MB (node pool), {sleeper.rss_mb:.1f} MB (python sleep)",
                f"{ratio(rss, pool.rss_mb)} of pool",
                f"<= {RSS_TARGET_MB:g} MB",
                rss <= RSS_TARGET_MB,
            ),
        ],
    )
    return 0


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b > 0 else "-"


if __name__ == "__main__":
    sys.exit(main())
