"""`hivemind-desktop --service --self-test`: the Linux system service's own checks, run
by root on the unit's settings (service_mode.py): its user exists, that user (not root)
can reach the container engine, the password file is root's alone, and the node pool
accepts the account. A service with no keyring needs none of the keyring check.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from collections.abc import Mapping
from pathlib import Path

from hivemind_desktop.core.service_password import (
    CREDENTIAL_NAME,
    PasswordFileError,
    read_password_file,
)
from hivemind_desktop.core.service_unit import UNIT_NAME, Unit
from hivemind_desktop.core.settings import Settings
from hivemind_desktop.selftest import FAIL, OK, WARN, CheckResult

DEFAULT_SOCKET = Path("/var/run/docker.sock")
WANTS = Path("/etc/systemd/system/multi-user.target.wants") / UNIT_NAME
ENABLE = "sudo systemctl enable --now hivemind-desktop"


def check_service(
    unit: Unit, settings: Settings, env: Mapping[str, str] | None = None
) -> list[CheckResult]:
    env = os.environ if env is None else env
    state = "enabled" if WANTS.is_symlink() or WANTS.exists() else f"disabled (turn on: {ENABLE})"
    results = [CheckResult("service", OK, f"{unit.path}, runs as {unit.user}; {state}")]
    if not unit.user:
        results.append(
            CheckResult("user", WARN, "the unit has no User=: the worker would run as root")
        )
        return results
    try:
        user = pwd.getpwnam(unit.user)
    except KeyError:
        results.append(
            CheckResult(
                "user",
                FAIL,
                f"the service user {unit.user} does not exist: reinstall the package "
                "(`sudo dpkg-reconfigure hivemind-desktop` makes it)",
                blocking=True,
            )
        )
        return results
    results.append(check_engine_access(user, env))
    results.extend(check_password(unit, settings, user))
    return results


def engine_socket(env: Mapping[str, str]) -> Path | None:
    """The engine's unix socket the service will use; None when DOCKER_HOST names
    something else (tcp, ssh), whose access is not a matter of file permissions."""
    host = env.get("DOCKER_HOST", "")
    if not host:
        return DEFAULT_SOCKET
    if host.startswith("unix://"):
        return Path(host.removeprefix("unix://"))
    return None


def check_engine_access(user: pwd.struct_passwd, env: Mapping[str, str]) -> CheckResult:
    """Whether the service user (not root, who runs this) may open the engine's socket:
    its owner, a group it is in, or everyone, with read and write."""
    socket_path = engine_socket(env)
    if socket_path is None:
        host = env.get("DOCKER_HOST", "")
        return CheckResult("engine access", OK, f"DOCKER_HOST={host}: not a local socket")
    try:
        info = socket_path.stat()
    except OSError as exc:
        return CheckResult(
            "engine access",
            FAIL,
            f"no container engine socket at {socket_path} ({exc.strerror}): start the "
            "engine, or set DOCKER_HOST in /etc/default/hivemind-desktop",
            blocking=True,
        )
    mode = stat.S_IMODE(info.st_mode)
    groups = set(os.getgrouplist(user.pw_name, user.pw_gid))
    if user.pw_uid == 0:
        return CheckResult(
            "engine access", WARN, "the service runs as root: give it a user of its own (User=)"
        )
    if info.st_uid == user.pw_uid and mode & 0o600 == 0o600:
        how = f"owns {socket_path} (a rootless engine of its own)"
    elif info.st_gid in groups and mode & 0o060 == 0o060:
        group = _group_name(info.st_gid)
        how = f"is in the group {group} of {socket_path}"
        if group == "docker" or info.st_uid == 0:
            how += " (root-equivalent: see the README's servers section)"
    elif mode & 0o006 == 0o006:
        how = f"may use {socket_path}: everyone may (mode {mode:04o})"
    else:
        group = _group_name(info.st_gid)
        return CheckResult(
            "engine access",
            FAIL,
            f"the service user {user.pw_name} cannot use {socket_path} (owner "
            f"{_user_name(info.st_uid)}, group {group}, mode {mode:04o}): "
            f"`sudo adduser {user.pw_name} {group}` (root-equivalent) then restart the "
            "service, or point DOCKER_HOST at a rootless engine",
            blocking=True,
        )
    return CheckResult("engine access", OK, f"{user.pw_name} {how}", blocking=True)


def check_password(unit: Unit, settings: Settings, user: pwd.struct_passwd) -> list[CheckResult]:
    """The password file the service gets (root-only, systemd copies it), then whether the
    pool takes the account. Reading the file needs root."""
    source = unit.credentials.get(CREDENTIAL_NAME)
    if not settings.username:
        return [
            CheckResult(
                "account",
                FAIL,
                'no username in the config file: set username = "..." in '
                f"{os.environ.get('HIVEMIND_CONFIG_FILE', 'the config file')}",
                blocking=True,
            )
        ]
    if source is None and not settings.password_file:
        return [
            CheckResult(
                "password",
                FAIL,
                f"the unit loads no credential {CREDENTIAL_NAME} and no password_file is "
                "set: the service cannot sign in",
                blocking=True,
            )
        ]
    path = source or Path(settings.password_file)
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return [CheckResult("password", WARN, f"{path} not checked: run the self-test as root")]
    try:
        password = read_password_file(path)
        owner = path.stat().st_uid
    except (PasswordFileError, OSError) as exc:
        fix = ""
        if isinstance(exc, PasswordFileError) and "does not exist" in str(exc):
            fix = f": `sudo install -m 600 /dev/null {path}`, then `sudoedit {path}`"
        return [CheckResult("password", FAIL, f"{exc}{fix}", blocking=True)]
    wanted = (0,) if source else (0, user.pw_uid)  # systemd copies a credential as root
    if owner not in wanted:
        return [
            CheckResult(
                "password",
                FAIL,
                f"{path} belongs to {_user_name(owner)}: `sudo chown root: {path}`",
                blocking=True,
            )
        ]
    how = "systemd credential" if source else "password_file"
    results = [CheckResult("password", OK, f"{path} ({how}), readable by its owner only")]
    results.append(check_account(settings, password))
    return results


def check_account(settings: Settings, password: str) -> CheckResult:
    """Sign in once with the service's account (the token is dropped at once)."""
    from hivemind_desktop.core.pool.probe import probe_sign_in

    result = probe_sign_in(settings.master_address, settings.username, password, timeout_s=5)
    if result.ok:
        detail = f"{settings.username} signs in at {settings.master_address}"
        return CheckResult("account", OK, detail, blocking=True)
    if result.pool_answered:
        return CheckResult("account", FAIL, f"{settings.username}: {result.message}", True)
    # Unreachable is the node-pool check's finding; the service retries by itself.
    return CheckResult("account", WARN, f"not checked: {result.message}")


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)
