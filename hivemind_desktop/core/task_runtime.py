"""Which container runtime isolates a task: gVisor (runsc) where the Docker engine has
it, else runc, as the volunteer chose with HIVEMIND_TASK_RUNTIME.

runc containers share the volunteer's kernel; gVisor puts a user-space kernel between a
stranger's code and it. The choice is a pure function of the setting, the runtimes the
engine lists and whether the task gets a network, so it is tested with those as input.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say

RUNSC = "runsc"
RUNC = "runc"
PREFERENCES = ("auto", RUNSC, RUNC)
NETWORK_NONE = "--network=none"  # the argument scripts/enable-gvisor registers runsc with

# The Linux package installs the script here; a source checkout has it in scripts/.
PACKAGED_ENABLE_SCRIPT = Path("/usr/share/hivemind-desktop/enable-gvisor")


def enable_command() -> str:
    """The one command that installs gVisor and registers it with Docker (Linux)."""
    if PACKAGED_ENABLE_SCRIPT.exists():
        return f"sudo bash {PACKAGED_ENABLE_SCRIPT}"
    return "sudo bash scripts/enable-gvisor"


# The refusals, as templates (core/i18n.py): the Tasks page shows them translated.
RUN_ENABLE = QT_TRANSLATE_NOOP("Core", "run `%1` (installs gVisor and registers it with Docker)")
FIX_ENABLE = say(RUN_ENABLE, enable_command())
NO_GVISOR = QT_TRANSLATE_NOOP(
    "Core",
    "gVisor (runsc) is not available to the Docker engine and HIVEMIND_TASK_RUNTIME "
    "is runsc: %1, or set HIVEMIND_TASK_RUNTIME=auto",
)
NETWORK_UNDER_GVISOR = QT_TRANSLATE_NOOP(
    "Core",
    "this task asks for a network but tasks run only in gVisor "
    "(HIVEMIND_TASK_RUNTIME=runsc), which gives them none here: set "
    "HIVEMIND_TASK_RUNTIME=auto to run such tasks in runc, or DOCKER_NETWORK=none "
    "to run them offline",
)

# Under gVisor the task's processes live inside the sandbox; what the host's pids cgroup
# counts is the sandbox's own threads and helper processes: about 44 at rest and up to
# about 9 per process of the task (measured with Debian's runsc 20221219, ptrace
# platform). Reaching that limit crashes the sandbox, so the cgroup gets room for the
# task's own limit; it still bounds what a task can take from the host.
RUNSC_PIDS_BASE = 128
RUNSC_PIDS_PER_PROCESS = 8


@dataclass(frozen=True)
class RuntimeChoice:
    runtime: str  # RUNSC or RUNC; "" when the task must be refused
    problem: str = ""  # why no runtime may run it: the cause and the fix

    @property
    def label(self) -> str:
        return describe(self.runtime) if self.runtime else ""


def describe(runtime: str | None) -> str:
    """How a runtime isolates a task, in a few words (task details, execution log)."""
    if runtime == RUNSC:
        return "gVisor (runsc): its own kernel in a sandbox"
    if runtime == RUNC:
        return "runc: shares this computer's kernel"
    return runtime or "not started"


def choose(preference: str, engine_runtimes: Iterable[str], *, network: bool) -> RuntimeChoice:
    """The runtime for one task. `network`: the task gets a network (its manifest asked
    and the volunteer set DOCKER_NETWORK). The runsc entry that scripts/enable-gvisor
    registers runs with --network=none (gVisor cannot use the engine's network set-up
    here), so such a task stays on runc under `auto` and is refused under `runsc`."""
    if preference not in PREFERENCES:
        raise ValueError(f"unknown task runtime {preference!r}: use auto, runsc or runc")
    available = RUNSC in set(engine_runtimes)
    if preference == RUNC:
        return RuntimeChoice(RUNC)
    if preference == RUNSC and not available:
        return RuntimeChoice("", say(NO_GVISOR, FIX_ENABLE))
    if preference == RUNSC and network:
        return RuntimeChoice("", NETWORK_UNDER_GVISOR)
    if available and not network:
        return RuntimeChoice(RUNSC)
    return RuntimeChoice(RUNC)


def summary(preference: str, engine_runtimes: Iterable[str]) -> tuple[bool, str]:
    """(ok, one line) for the Monitor page, `status` and --self-test: what new tasks get."""
    choice = choose(preference, engine_runtimes, network=False)
    if choice.problem:
        return False, choice.problem
    if choice.runtime == RUNSC:
        return True, "gVisor (runsc): each task runs on its own kernel in a sandbox"
    if preference == RUNC:
        return True, "runc (HIVEMIND_TASK_RUNTIME=runc): tasks share this computer's kernel"
    return True, f"runc: tasks share this computer's kernel; for a stronger sandbox {FIX_ENABLE}"


def usable_runtimes(
    listed: Mapping[str, object], *, local: bool, exists=os.path.exists
) -> frozenset[str]:
    """The runtimes an engine lists that can run: Podman lists every runtime it knows
    (runsc, kata...) whether installed or not, so where the engine runs on this machine a
    runtime whose binary path is missing does not count. runsc counts only as
    scripts/enable-gvisor registers it, with --network=none: without it this gVisor
    refuses to start in the engine's network set-up."""
    usable = set()
    for name, entry in listed.items():
        fields = entry if isinstance(entry, Mapping) else {}
        path = fields.get("path", "")
        if local and isinstance(path, str) and path.startswith("/") and not exists(path):
            continue
        if name == RUNSC and NETWORK_NONE not in (fields.get("runtimeArgs") or []):
            continue
        usable.add(name)
    return frozenset(usable)


def host_pids_limit(runtime: str, pids_limit: int) -> int:
    """The pids cgroup limit that gives a task `pids_limit` processes in `runtime`."""
    if runtime == RUNSC:
        return RUNSC_PIDS_BASE + pids_limit * RUNSC_PIDS_PER_PROCESS
    return pids_limit
