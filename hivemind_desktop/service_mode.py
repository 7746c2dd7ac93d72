"""`hivemind-desktop --service COMMAND`: a command run by an admin (root) on the settings
the Linux system service runs with, read from the installed unit itself (its
Environment=, EnvironmentFile=, LoadCredential=), not from the admin's own environment.

`--self-test` then checks the service's configuration too (selftest_service.py), `status`
finds the service's status API and install secret, `task-area` the service's data folder.
The worker itself is never started this way: systemd starts it, as its own user.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hivemind_desktop.core import settings as settings_mod
from hivemind_desktop.core.service_unit import Unit, UnitError, installed_unit, read_unit

# The commands that make sense on the service's settings.
COMMANDS = ("status", "task-area")
_SYSTEMD_BASICS = {"PATH", "USER", "LOGNAME", "HOME", "SHELL", "CREDENTIALS_DIRECTORY"}


@dataclass(frozen=True)
class ServiceContext:
    unit: Unit
    environment: dict[str, str]  # what the unit adds to the process environment


def load_service_context() -> ServiceContext:
    """The installed unit and the environment it gives the worker; UnitError (one line
    for the admin) when the service is not installed or its files cannot be read."""
    override = os.environ.get("HIVEMIND_SERVICE_UNIT")  # e.g. a copy for a second worker
    path = Path(override) if override else installed_unit()
    if path is None:
        raise UnitError(
            "the hivemind-desktop system service is not installed (no "
            "hivemind-desktop.service unit): install the .deb package"
        )
    unit = read_unit(path)
    try:
        env = unit.service_environment(home="")
    except OSError as exc:
        raise UnitError(f"{path}: {exc}") from None
    added = {k: v for k, v in env.items() if k not in _SYSTEMD_BASICS}
    return ServiceContext(unit, added)


def adopt(context: ServiceContext) -> None:
    """Make this process see the service's settings: drop the caller's own setting
    variables (the service never sees them) and take the unit's."""
    names = {spec.env for spec in settings_mod.SPECS.values() if spec.env}
    for name in names | {"HIVEMIND_CONFIG_FILE", "DOCKER_HOST"}:
        os.environ.pop(name, None)
    os.environ.update(context.environment)
