"""The wizard's slow checks, free of Qt so they can run on any thread.

Each one calls the same core code the worker uses (Docker runner, node-pool sign-in, VPN),
so what the wizard says is what the worker will find. None of them prompts or prints;
every outcome is a value with the core's one-line message.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import psutil

from hivemind_desktop.core import vpn
from hivemind_desktop.core.docker_runner import DockerRunner, DockerStatus, DockerUnavailable
from hivemind_desktop.core.gpu import GpuInfo, read_gpus
from hivemind_desktop.core.pool.probe import ProbeResult, probe_sign_in

__all__ = [
    "DockerCheck",
    "Hardware",
    "ProbeResult",
    "TunnelCheck",
    "check_docker",
    "check_tunnel",
    "default_shares",
    "probe_sign_in",
    "read_hardware",
]


@dataclass(frozen=True)
class DockerCheck:
    status: DockerStatus
    platform: str
    in_docker_group: bool | None  # None: not Linux, or no docker group on this machine
    missing_images: tuple[str, ...] = ()  # task images not installed (none are pulled later)
    image_problem: str = ""  # why the images could not be looked up


def _in_docker_group() -> bool | None:
    if not sys.platform.startswith("linux"):
        return None
    import grp  # POSIX only

    try:
        group = grp.getgrnam("docker")
    except KeyError:
        return None
    if os.geteuid() == 0:
        return True
    return group.gr_gid in os.getgroups()


def check_docker(images: tuple[str, ...] = ()) -> DockerCheck:
    """Ask the engine the way the worker does, and whether the task `images` are
    installed (the worker refuses a task whose image is not: it never pulls at run
    time). A fresh runner each time: the SDK client reads DOCKER_HOST once and keeps its
    connection, and "Check again" must look anew."""
    runner = DockerRunner(install_id="setup-wizard")
    status = runner.status()
    missing: list[str] = []
    problem = ""
    if status.available:
        try:
            missing = [image for image in images if not runner.has_image(image)]
        except DockerUnavailable as exc:
            problem = str(exc)
    return DockerCheck(status, sys.platform, _in_docker_group(), tuple(missing), problem)


@dataclass(frozen=True)
class TunnelCheck:
    state: vpn.VpnState
    pool_ok: bool
    pool_rtt_ms: float | None
    pool_message: str
    address: vpn.AddressChoice

    @property
    def ok(self) -> bool:
        """Up, answering, and an address the pool can dial."""
        return self.state.up and self.pool_ok and bool(self.address.address)


def check_tunnel(master_address: str, interface: str | None = None) -> TunnelCheck:
    """The three facts the worker relies on: the interface is up, the pool answers a
    real gRPC call through it, and which address the pool will be told to dial."""
    state = vpn.interface_state(interface)
    ok, rtt, message = vpn.verify_pool_reachable(master_address, timeout=5)
    choice = vpn.detect_advertise_address(state.interface if state.up else interface)
    return TunnelCheck(state, ok, rtt, message, choice)


@dataclass(frozen=True)
class Hardware:
    cpu_cores: int
    memory_gb: int
    gpus: list[GpuInfo] = field(default_factory=list)
    gpu_message: str = ""


def read_hardware() -> Hardware:
    gpus, message = read_gpus()
    return Hardware(
        cpu_cores=psutil.cpu_count() or 1,
        memory_gb=max(1, int(psutil.virtual_memory().total / 2**30)),
        gpus=list(gpus),
        gpu_message=message,
    )


@dataclass(frozen=True)
class Shares:
    cpu_cores: float
    memory_gb: int
    share_gpu: bool
    parallel_tasks: int
    # When to contribute: the rules a volunteer most often wants from the start.
    suspend_when_in_use: bool = False
    suspend_on_battery: bool = True
    cpu_cap_percent: int = 100


def default_shares(totals: Hardware) -> Shares:
    """Half the cores, a quarter of the memory, the GPU only if there is an NVIDIA one;
    as many parallel tasks as whole shared cores, at most 3."""
    cpu = max(0.5, totals.cpu_cores / 2)
    return Shares(
        cpu_cores=cpu,
        memory_gb=max(1, totals.memory_gb // 4),
        share_gpu=bool(totals.gpus),
        parallel_tasks=max(1, min(3, int(cpu))),
    )
