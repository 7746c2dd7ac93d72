"""A real WireGuard lab in network namespaces: the node pool in one, workers in others.

Everything made here lives inside namespaces this process created (names carry its pid),
so no packet leaves the machine and parallel sessions do not collide. Each namespace
pair is joined by a veth underlay (192.168.77.0/24, 192.168.78.0/24, ...); wireguard-go
gives each side a tunnel interface of its own name; `wg` sets keys and peers.

Usable from any test package: `Lab` is a context manager that always tears down.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.kit import REPO

PYTHON = sys.executable
UAPI_DIR = Path("/var/run/wireguard")
_NS_RE = re.compile(r"^hm-[a-z]+-(\d+)-\d+$")
_UNDERLAY = "192.168.{n}.{host}"
POOL_TUNNEL_IP = "10.0.0.1"


class LabError(RuntimeError):
    """The lab could not be built; the message says which command failed and why."""


def sh(*argv: str, timeout: float = 15, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command (no shell), raising LabError with its stderr when it fails."""
    done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, check=False)
    if check and done.returncode != 0:
        raise LabError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def netns_argv(ns: str, argv: Sequence[str]) -> list[str]:
    return ["ip", "netns", "exec", ns, *argv]


def run_in(
    ns: str, argv: Sequence[str], *, timeout: float = 30, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run argv inside namespace `ns` and wait (never raises on a non-zero exit)."""
    return subprocess.run(
        netns_argv(ns, argv),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )


def popen_in(ns: str, argv: Sequence[str], **kwargs) -> subprocess.Popen:
    """Start argv inside `ns` in its own process group, so it can be stopped as a whole."""
    return subprocess.Popen(netns_argv(ns, argv), start_new_session=True, **kwargs)


def python_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        env.pop(proxy, None)
    return env


def run_python_json(ns: str, code: str, *, timeout: float = 30) -> object:
    """Run Python `code` inside `ns`; it must print one JSON document as its last line."""
    done = run_in(ns, [PYTHON, "-c", code], timeout=timeout, env=python_env())
    lines = [ln for ln in done.stdout.splitlines() if ln.strip()]
    if done.returncode != 0 or not lines:
        raise LabError(
            f"python in {ns} exited {done.returncode}:\n{done.stdout}\n{done.stderr}".strip()
        )
    return json.loads(lines[-1])


def stop_process(proc: subprocess.Popen, timeout: float = 5) -> None:
    """SIGTERM the process group, then SIGKILL; always reaps."""
    if proc.poll() is None:
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, timeout)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
    for stream in (proc.stdout, proc.stderr, proc.stdin):
        if stream:
            with contextlib.suppress(OSError):
                stream.close()


def wg_keypair() -> tuple[str, str]:
    """(private, public) made by wg(8) itself, independent of the code under test."""
    private = sh("wg", "genkey").stdout.strip()
    public = subprocess.run(
        ["wg", "pubkey"], input=private, capture_output=True, text=True, check=True, timeout=10
    ).stdout.strip()
    return private, public


def ensure_tun() -> None:
    """wireguard-go needs /dev/net/tun; a fresh container may lack the node."""
    tun = Path("/dev/net/tun")
    if not tun.exists():
        tun.parent.mkdir(parents=True, exist_ok=True)
        sh("mknod", str(tun), "c", "10", "200")
        os.chmod(tun, 0o666)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_stale_namespaces() -> list[str]:
    """Delete hm-*-<pid>-<n> namespaces left by lab sessions whose process is gone."""
    removed = []
    listing = sh("ip", "netns", "list", check=False).stdout
    for line in listing.splitlines():
        name = line.split()[0] if line.strip() else ""
        match = _NS_RE.match(name)
        if match and not _pid_alive(int(match.group(1))):
            for pid in sh("ip", "netns", "pids", name, check=False).stdout.split():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            sh("ip", "netns", "del", name, check=False)
            removed.append(name)
    return removed


@dataclass
class WgInterface:
    ns: str
    name: str
    private_key: str = field(repr=False)
    public_key: str
    address: str  # CIDR on the tunnel, e.g. 10.0.0.2/24
    listen_port: int
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def ip(self) -> str:
        return self.address.split("/")[0]


class Lab:
    """Namespaces, veths and wireguard-go interfaces, torn down in reverse on close()."""

    _serial = 0

    def __init__(self) -> None:
        if os.geteuid() != 0:
            raise LabError(
                "the netns lab needs root (network namespaces, tun devices): run the tests "
                "as root, or deselect them with -m 'not netns'"
            )
        ensure_tun()
        reap_stale_namespaces()
        Lab._serial += 1
        self.tag = f"{os.getpid()}-{Lab._serial}"
        # Interface names must fit in 15 characters and be unique machine-wide, because
        # wireguard-go's UAPI sockets share /var/run/wireguard across namespaces.
        self.short = f"{os.getpid() % 10**6}{Lab._serial % 10}"
        self.namespaces: list[str] = []
        self.processes: list[subprocess.Popen] = []
        self.interfaces: list[WgInterface] = []
        self._links = 0
        self._logs: list[Path] = []

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- building -----------------------------------------------------------------------

    def namespace(self, role: str) -> str:
        name = f"hm-{role}-{self.tag}"
        sh("ip", "netns", "add", name)
        self.namespaces.append(name)
        sh("ip", "-n", name, "link", "set", "lo", "up")
        return name

    def link(self, ns_a: str, ns_b: str) -> tuple[str, str]:
        """A veth pair made directly inside the two namespaces (never in the host's)."""
        self._links += 1
        n = 76 + self._links
        a, b = f"hmv{self.short}{self._links}a", f"hmv{self.short}{self._links}b"
        sh("ip", "link", "add", "name", a, "netns", ns_a, "type", "veth",
           "peer", "name", b, "netns", ns_b)  # fmt: skip
        ip_a, ip_b = _UNDERLAY.format(n=n, host=1), _UNDERLAY.format(n=n, host=2)
        for ns, dev, ip in ((ns_a, a, ip_a), (ns_b, b, ip_b)):
            sh("ip", "-n", ns, "addr", "add", f"{ip}/24", "dev", dev)
            sh("ip", "-n", ns, "link", "set", dev, "up")
        return ip_a, ip_b

    def wireguard(
        self, ns: str, suffix: str, address: str, listen_port: int = 51820
    ) -> WgInterface:
        """Start wireguard-go in `ns` (foreground, so we own and reap it) with fresh keys."""
        name = f"hmwg{self.short}{suffix}"
        log = Path(f"/tmp/{name}.wireguard-go.log")
        self._logs.append(log)
        env = dict(os.environ, WG_PROCESS_FOREGROUND="1", LOG_LEVEL="error")
        with log.open("wb") as out:
            proc = popen_in(
                ns, ["wireguard-go", "--foreground", name], stdout=out, stderr=out, env=env
            )
        self.processes.append(proc)
        sock = UAPI_DIR / f"{name}.sock"
        deadline = time.monotonic() + 10
        while not sock.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise LabError(f"wireguard-go {name} did not start: {log.read_text()[-500:]}")
            time.sleep(0.02)
        private, public = wg_keypair()
        key_file = Path(f"/tmp/{name}.key")
        key_file.write_text(private + "\n")
        os.chmod(key_file, 0o600)
        try:
            sh(*netns_argv(ns, ["wg", "set", name, "private-key", str(key_file),
                                "listen-port", str(listen_port)]))  # fmt: skip
        finally:
            key_file.unlink()
        sh("ip", "-n", ns, "addr", "add", address, "dev", name)
        sh("ip", "-n", ns, "link", "set", name, "up")
        iface = WgInterface(ns, name, private, public, address, listen_port, proc)
        self.interfaces.append(iface)
        return iface

    def peer(
        self, iface: WgInterface, public_key: str, allowed_ips: str, endpoint: str | None = None
    ) -> None:
        argv = ["wg", "set", iface.name, "peer", public_key, "allowed-ips", allowed_ips]
        if endpoint:
            argv += ["endpoint", endpoint, "persistent-keepalive", "25"]
        sh(*netns_argv(iface.ns, argv))

    def kill_wireguard(self, iface: WgInterface) -> None:
        """Stop the tunnel the hard way: the interface vanishes with its process."""
        if iface.process is not None:
            stop_process(iface.process)
        with contextlib.suppress(FileNotFoundError):
            (UAPI_DIR / f"{iface.name}.sock").unlink()

    def start(self, ns: str, argv: Sequence[str], **kwargs) -> subprocess.Popen:
        proc = popen_in(ns, argv, **kwargs)
        self.processes.append(proc)
        return proc

    # --- teardown -----------------------------------------------------------------------

    def close(self) -> None:
        """Stop every process first (a namespace lives on while a process is inside it),
        then delete the namespaces, which takes their veths and tun devices with them."""
        for proc in reversed(self.processes):
            stop_process(proc)
        for ns in reversed(self.namespaces):
            for pid in sh("ip", "netns", "pids", ns, check=False).stdout.split():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            sh("ip", "netns", "del", ns, check=False)
        for iface in self.interfaces:
            with contextlib.suppress(FileNotFoundError):
                (UAPI_DIR / f"{iface.name}.sock").unlink()
        for log in self._logs:
            with contextlib.suppress(FileNotFoundError):
                log.unlink()
        self.processes.clear()
        self.namespaces.clear()


@dataclass
class Pool:
    """The node pool's side: its namespace and its WireGuard interface at 10.0.0.1/24."""

    lab: Lab
    ns: str
    wg: WgInterface
    address: str = f"{POOL_TUNNEL_IP}:50051"


@dataclass
class Worker:
    """A worker namespace linked to the pool; `wg` is None until a tunnel is started."""

    ns: str
    underlay_ip: str
    pool_endpoint: str  # the pool's WireGuard endpoint as seen from this worker
    wg: WgInterface | None = None


def start_pool(lab: Lab) -> Pool:
    ns = lab.namespace("pool")
    return Pool(lab, ns, lab.wireguard(ns, "p", f"{POOL_TUNNEL_IP}/24"))


def add_worker(pool: Pool, role: str, host: int, *, tunnel: bool = True) -> Worker:
    """A worker namespace with a veth to the pool; with `tunnel`, wireguard-go at
    10.0.0.<host>/24 peered both ways (the pool accepts it as 10.0.0.<host>/32)."""
    lab = pool.lab
    ns = lab.namespace(role)
    pool_ip, worker_ip = lab.link(pool.ns, ns)
    worker = Worker(ns, worker_ip, f"{pool_ip}:{pool.wg.listen_port}")
    if tunnel:
        worker.wg = lab.wireguard(ns, f"w{host}", f"10.0.0.{host}/24")
        lab.peer(pool.wg, worker.wg.public_key, f"10.0.0.{host}/32")
        lab.peer(worker.wg, pool.wg.public_key, "10.0.0.0/24", worker.pool_endpoint)
    return worker


LOGIN_SERVER = Path(__file__).with_name("netns_login_server.py")


def start_login_server(lab: Lab, ns: str, address: str, timeout: float = 20) -> subprocess.Popen:
    """A real gRPC UserService in `ns`; returns once it is serving at `address`."""
    proc = lab.start(
        ns,
        [PYTHON, str(LOGIN_SERVER), address],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=python_env(),
    )
    line = _readline(proc, timeout)
    if line.strip() != "READY":
        stop_process(proc)
        raise LabError(f"login server in {ns} did not start: {line}")
    return proc


def _readline(proc: subprocess.Popen, timeout: float) -> str:
    import selectors

    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            return f"(nothing within {timeout:g} s)"
    return proc.stdout.readline() or f"(exited {proc.poll()})"


# --- helpers for end-to-end tests (worker over the tunnel) ---------------------------------


def enable_forwarding(ns: str) -> None:
    """Let `ns` route between its WireGuard peers (per namespace, off by default), so one
    worker namespace can reach another through the pool, as on a real hub network."""
    sh("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1")


def wait_for_port(ns: str, host: str, port: int, timeout: float = 20) -> None:
    """Return once something accepts TCP connections at host:port inside `ns`."""
    code = (
        "import socket, sys, time\n"
        f"end = time.monotonic() + {timeout}\n"
        "while True:\n"
        "    try:\n"
        f"        socket.create_connection(({host!r}, {port}), 1).close(); break\n"
        "    except OSError:\n"
        "        if time.monotonic() > end: sys.exit(1)\n"
        "        time.sleep(0.1)\n"
    )
    done = run_in(ns, [PYTHON, "-c", code], timeout=timeout + 10)
    if done.returncode != 0:
        raise LabError(f"nothing listens at {host}:{port} in {ns} after {timeout:g} s")


def http_get_json(ns: str, url: str, timeout: float = 15) -> tuple[int, object]:
    """GET url from inside `ns` (no proxy); (status, parsed JSON body)."""
    code = (
        "import json, urllib.request, urllib.error\n"
        "opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))\n"
        "try:\n"
        f"    r = opener.open({url!r}, timeout={timeout}); status, body = r.status, r.read()\n"
        "except urllib.error.HTTPError as e:\n"
        "    status, body = e.code, e.read()\n"
        "print(json.dumps([status, json.loads(body)]))\n"
    )
    status, body = run_python_json(ns, code, timeout=timeout + 15)  # type: ignore[misc]
    return int(status), body


def start_worker_tunnel(pool: Pool, worker: Worker, host: int) -> WgInterface:
    """Bring up the tunnel of a worker made with tunnel=False (e.g. after its app started):
    wireguard-go at 10.0.0.<host>/24, peered both ways with the pool."""
    lab = pool.lab
    worker.wg = lab.wireguard(worker.ns, f"w{host}", f"10.0.0.{host}/24")
    lab.peer(pool.wg, worker.wg.public_key, f"10.0.0.{host}/32")
    lab.peer(worker.wg, pool.wg.public_key, "10.0.0.0/24", worker.pool_endpoint)
    return worker.wg
