"""Validated settings: defaults < TOML config file < environment < command-line flags.

The environment keeps the original worker's variable names (NODE_PORT, MASTER_ADDRESS, ...)
so existing deployments carry over. A bad value raises SettingsError with one line naming
the variable and what is allowed.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import psutil

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP

APP_DIR_NAME = "HiveMindDesktop"


class SettingsError(ValueError):
    """A setting has a value that is not allowed; the message is one line for the user.

    The parts are kept too, so a window can say it in the volunteer's words and language:
    `name` is the setting's key (the Settings page names its field from it), `setting` the
    name as the volunteer wrote it (key or environment variable), `detail` the parser's own
    reason (may be empty); `kind` is "value" (setting, value, source, allowed), "unknown"
    (setting), "password", "unreadable" (line, when the file is not valid TOML) or ""
    (gui/start_error.py)."""

    def __init__(
        self,
        message: str,
        *,
        kind: str = "",
        name: str = "",
        setting: str = "",
        value: str = "",
        source: str = "",
        allowed: str = "",
        detail: str = "",
        config_file: Path | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.kind, self.name, self.setting, self.value = kind, name, setting, value
        self.source, self.allowed, self.detail = source, allowed, detail
        self.config_file, self.line = config_file, line


def _default_cpu_cores() -> float:
    return max(1.0, (psutil.cpu_count() or 2) / 2)


def _default_memory_gb() -> int:
    return max(1, int(psutil.virtual_memory().total / 2**30 / 2))


@dataclass(frozen=True)
class Settings:
    node_port: int = 50053
    master_address: str = "10.0.0.1:50051"
    node_id: str = ""  # empty: the signed-in username (the pool pays and trusts by it)
    docker_enabled: bool = True
    docker_network: str = "none"  # network for tasks whose manifest asks; "none" = never
    max_cpu_cores: float = field(default_factory=_default_cpu_cores)
    max_memory_gb: int = field(default_factory=_default_memory_gb)
    max_concurrent_tasks: int = 3
    session_timeout_h: float = 24
    trust_threshold: int = 50
    status_port: int = 5000  # local status API on 127.0.0.1; 0 turns it off
    # The remote status API (TLS, paired computers only) on this one address; empty: off.
    remote_api_address: str = ""
    remote_api_port: int = 5443
    username: str = ""
    password: str = field(default="", repr=False)
    # A file holding the password (headless/service: no keyring); never the password.
    password_file: str = ""
    advertise_address: str = ""  # empty: detect (WireGuard address, else 10.0.0.x not .1)
    allowed_peers: tuple[str, ...] = ()  # empty: the node pool's host
    task_image: str = "hivemind/task-python:latest"
    task_runtime: str = "auto"  # auto (gVisor where the engine has it) | runsc | runc
    share_gpu: bool = True
    max_gpu_memory_gb: int = 0  # 0: all of the shared GPUs' memory
    task_time_limit_s: int = 6 * 3600
    task_disk_budget_mb: int = 2048
    min_free_disk_gb: float | None = None  # None: the smaller of 5 GiB and 5 % of the disk
    pids_limit: int = 256
    # When to contribute (core/policy.py): the owner's programs always come first.
    low_priority: bool = True  # tasks get the lowest CPU weight the platform allows
    suspend_when_in_use: bool = False
    idle_minutes: float = 3.0  # no input this long = the computer is not in use
    suspend_on_battery: bool = True
    busy_cpu_percent: int = 50  # other programs' CPU that suspends tasks; 0 = off
    schedule: str = ""  # allowed hours per weekday, e.g. "mon-fri 18:00-08:00; sat,sun"
    cpu_cap_percent: int = 100  # of each task's CPU share, applied live
    min_free_memory_gb: float = 1.0
    gpu_suspend_when_in_use: bool = True
    max_frozen_minutes: float = 30.0  # a task frozen longer is stopped and returned
    location: str = ""
    language: str = ""  # empty: follow the system locale
    start_at_login: bool = False
    data_dir: str = ""  # empty: the platform's user data dir
    log_dir: str = ""  # empty: the platform's user log dir

    # -- derived -------------------------------------------------------------------------
    @property
    def master_host(self) -> str:
        return split_host_port(self.master_address)[0]

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir or platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))

    @property
    def log_path(self) -> Path:
        return Path(self.log_dir or platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False))

    def replace(self, **changes: Any) -> Settings:
        """A copy with changes, validated like any other source."""
        return validate(dataclasses.replace(self, **changes))

    def public_dict(self) -> dict[str, Any]:
        """Everything but secrets, for the config file, the UI and the status API."""
        values = dataclasses.asdict(self)
        values.pop("password")
        values["allowed_peers"] = list(self.allowed_peers)
        return values


def config_file_path() -> Path:
    override = os.environ.get("HIVEMIND_CONFIG_FILE")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False)) / "config.toml"


# -- parsing --------------------------------------------------------------------------------


def split_host_port(address: str) -> tuple[str, int]:
    host, sep, port = address.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("expected HOST:PORT, e.g. 10.0.0.1:50051")
    return host, int(port)


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def _parse_peers(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    peers = tuple(str(p).strip() for p in items if str(p).strip())
    for peer in peers:
        try:
            ipaddress.ip_network(peer, strict=False)
        except ValueError:
            raise ValueError(f"'{peer}' is not an IP address or network") from None
    return peers


def _parse_ip_or_empty(value: Any) -> str:
    text = str(value).strip()
    if text:
        ipaddress.ip_address(text)  # raises ValueError with a clear enough message
    return text


def _listen_address(value: Any) -> str:
    """One address of this computer, or empty; never every address at once."""
    text = _parse_ip_or_empty(value)
    if text and ipaddress.ip_address(text).is_unspecified:
        raise ValueError("name one address (e.g. the WireGuard address), not every address")
    return text


@dataclass(frozen=True)
class _Spec:
    env: str | None
    parse: Callable[[Any], Any]
    allowed: str
    check: Callable[[Any], bool] = lambda v: True


def _int(v: Any) -> int:
    if isinstance(v, bool):
        raise ValueError("expected a whole number")
    if isinstance(v, float) and not v.is_integer():
        raise ValueError("expected a whole number")
    return int(str(v).strip()) if not isinstance(v, int | float) else int(v)


def _float(v: Any) -> float:
    if isinstance(v, bool):
        raise ValueError("expected a number")
    return float(v)


def _gib_or_auto(v: Any) -> float | None:
    if v is None or str(v).strip().lower() in {"", "auto"}:
        return None
    value = _float(v)
    if not math.isfinite(value):
        raise ValueError("expected a number of GiB")
    return value


def _schedule(v: Any) -> str:
    from hivemind_desktop.core.policy import parse_schedule

    text = str(v).strip()
    parse_schedule(text)  # ValueError names the part that is wrong
    return text


def _str(v: Any) -> str:
    return str(v).strip()


def _address(v: Any) -> str:
    text = str(v).strip()
    split_host_port(text)
    return text


SPECS: dict[str, _Spec] = {
    "node_port": _Spec(
        "NODE_PORT",
        _int,
        QT_TRANSLATE_NOOP("Core", "a port from 1 to 65535"),
        lambda v: 0 < v < 65536,
    ),
    "master_address": _Spec(
        "MASTER_ADDRESS", _address, QT_TRANSLATE_NOOP("Core", "HOST:PORT, e.g. 10.0.0.1:50051")
    ),
    "node_id": _Spec("NODE_ID", _str, QT_TRANSLATE_NOOP("Core", "any text (empty: the username)")),
    "docker_enabled": _Spec(
        "DOCKER_ENABLED", _parse_bool, QT_TRANSLATE_NOOP("Core", "true or false")
    ),
    "docker_network": _Spec(
        "DOCKER_NETWORK", _str, QT_TRANSLATE_NOOP("Core", "a Docker network name, or none"), bool
    ),
    "max_cpu_cores": _Spec(
        "MAX_CPU_CORES",
        _float,
        QT_TRANSLATE_NOOP("Core", "a number of cores above 0"),
        lambda v: 0 < v <= 4096,
    ),
    "max_memory_gb": _Spec(
        "MAX_MEMORY_GB",
        _int,
        QT_TRANSLATE_NOOP("Core", "a whole number of GiB of at least 1"),
        lambda v: 1 <= v <= 65536,
    ),
    "max_concurrent_tasks": _Spec(
        "MAX_CONCURRENT_TASKS",
        _int,
        QT_TRANSLATE_NOOP("Core", "a whole number from 1 to 64"),
        lambda v: 1 <= v <= 64,
    ),
    "session_timeout_h": _Spec(
        "SESSION_TIMEOUT",
        _float,
        QT_TRANSLATE_NOOP("Core", "a number of hours above 0"),
        lambda v: 0 < v < math.inf,
    ),
    "trust_threshold": _Spec(
        "TRUST_THRESHOLD",
        _int,
        QT_TRANSLATE_NOOP("Core", "a whole number from 0 to 100"),
        lambda v: 0 <= v <= 100,
    ),
    "status_port": _Spec(
        "FLASK_PORT",
        _int,
        QT_TRANSLATE_NOOP("Core", "a port from 1 to 65535, or 0 for off"),
        lambda v: 0 <= v < 65536,
    ),
    "remote_api_address": _Spec(
        "HIVEMIND_REMOTE_API_ADDRESS",
        _listen_address,
        QT_TRANSLATE_NOOP(
            "Core", "an IP address of this computer (e.g. its WireGuard address), or empty for off"
        ),
    ),
    "remote_api_port": _Spec(
        "HIVEMIND_REMOTE_API_PORT",
        _int,
        QT_TRANSLATE_NOOP("Core", "a port from 1 to 65535"),
        lambda v: 0 < v < 65536,
    ),
    "username": _Spec("HIVEMIND_USERNAME", _str, QT_TRANSLATE_NOOP("Core", "a node-pool username")),
    "password": _Spec(
        "HIVEMIND_PASSWORD", lambda v: str(v), QT_TRANSLATE_NOOP("Core", "a password")
    ),
    "password_file": _Spec(
        "HIVEMIND_PASSWORD_FILE",
        _str,
        QT_TRANSLATE_NOOP("Core", "the path of a file holding the password"),
    ),
    "advertise_address": _Spec(
        "HIVEMIND_ADVERTISE_ADDRESS",
        _parse_ip_or_empty,
        QT_TRANSLATE_NOOP("Core", "an IP address, e.g. 10.0.0.2"),
    ),
    "allowed_peers": _Spec(
        "HIVEMIND_ALLOWED_PEERS",
        _parse_peers,
        QT_TRANSLATE_NOOP("Core", "comma-separated IP addresses or networks"),
    ),
    "task_image": _Spec(
        "HIVEMIND_TASK_IMAGE", _str, QT_TRANSLATE_NOOP("Core", "a Docker image name"), bool
    ),
    "task_runtime": _Spec(
        "HIVEMIND_TASK_RUNTIME",
        lambda v: str(v).strip().lower(),
        QT_TRANSLATE_NOOP(
            "Core", "auto (gVisor where installed, else runc), runsc (gVisor only) or runc"
        ),
        lambda v: v in {"auto", "runsc", "runc"},
    ),
    "share_gpu": _Spec(
        "HIVEMIND_SHARE_GPU", _parse_bool, QT_TRANSLATE_NOOP("Core", "true or false")
    ),
    "max_gpu_memory_gb": _Spec(
        "HIVEMIND_MAX_GPU_MEMORY_GB",
        _int,
        QT_TRANSLATE_NOOP("Core", "a whole number of GiB, 0 for all"),
        lambda v: v >= 0,
    ),
    "task_time_limit_s": _Spec(
        "HIVEMIND_TASK_TIME_LIMIT",
        _int,
        QT_TRANSLATE_NOOP("Core", "seconds, at least 1"),
        lambda v: v >= 1,
    ),
    "task_disk_budget_mb": _Spec(
        "HIVEMIND_TASK_DISK_MB",
        _int,
        QT_TRANSLATE_NOOP("Core", "MiB, at least 1"),
        lambda v: v >= 1,
    ),
    "min_free_disk_gb": _Spec(
        "HIVEMIND_MIN_FREE_DISK_GB",
        _gib_or_auto,
        QT_TRANSLATE_NOOP("Core", "GiB to keep free on the data disk (0 = no floor), or auto"),
        lambda v: v is None or 0 <= v <= 1_000_000,
    ),
    "pids_limit": _Spec(
        "HIVEMIND_PIDS_LIMIT",
        _int,
        QT_TRANSLATE_NOOP("Core", "a whole number from 16 to 65536"),
        lambda v: 16 <= v <= 65536,
    ),
    "low_priority": _Spec(
        "HIVEMIND_LOW_PRIORITY", _parse_bool, QT_TRANSLATE_NOOP("Core", "true or false")
    ),
    "suspend_when_in_use": _Spec(
        "HIVEMIND_SUSPEND_WHEN_IN_USE", _parse_bool, QT_TRANSLATE_NOOP("Core", "true or false")
    ),
    "idle_minutes": _Spec(
        "HIVEMIND_IDLE_MINUTES",
        _float,
        QT_TRANSLATE_NOOP("Core", "minutes from 0.1 to 1440"),
        lambda v: 0.1 <= v <= 1440,
    ),
    "suspend_on_battery": _Spec(
        "HIVEMIND_SUSPEND_ON_BATTERY", _parse_bool, QT_TRANSLATE_NOOP("Core", "true or false")
    ),
    "busy_cpu_percent": _Spec(
        "HIVEMIND_BUSY_CPU_PERCENT",
        _int,
        QT_TRANSLATE_NOOP("Core", "a percentage from 0 (off) to 100"),
        lambda v: 0 <= v <= 100,
    ),
    "schedule": _Spec(
        "HIVEMIND_SCHEDULE",
        _schedule,
        QT_TRANSLATE_NOOP("Core", "weekdays and hours, e.g. 'mon-fri 18:00-08:00; sat,sun'"),
    ),
    "cpu_cap_percent": _Spec(
        "HIVEMIND_CPU_PERCENT",
        _int,
        QT_TRANSLATE_NOOP("Core", "a percentage from 1 to 100"),
        lambda v: 1 <= v <= 100,
    ),
    "min_free_memory_gb": _Spec(
        "HIVEMIND_MIN_FREE_MEMORY_GB",
        _float,
        QT_TRANSLATE_NOOP("Core", "GiB, 0 or more"),
        lambda v: 0 <= v <= 1_000_000,
    ),
    "gpu_suspend_when_in_use": _Spec(
        "HIVEMIND_GPU_SUSPEND_WHEN_IN_USE", _parse_bool, QT_TRANSLATE_NOOP("Core", "true or false")
    ),
    "max_frozen_minutes": _Spec(
        "HIVEMIND_MAX_FROZEN_MINUTES",
        _float,
        QT_TRANSLATE_NOOP("Core", "minutes above 0"),
        lambda v: 0 < v <= 100_000,
    ),
    "location": _Spec("HIVEMIND_LOCATION", _str, QT_TRANSLATE_NOOP("Core", "any text")),
    "language": _Spec(
        "HIVEMIND_LANGUAGE",
        _str,
        QT_TRANSLATE_NOOP("Core", "en, zh_TW, or empty for the system's"),
        lambda v: v in {"", "en", "zh_TW"},
    ),
    "start_at_login": _Spec(None, _parse_bool, QT_TRANSLATE_NOOP("Core", "true or false")),
    "data_dir": _Spec("HIVEMIND_DATA_DIR", _str, QT_TRANSLATE_NOOP("Core", "a folder path")),
    "log_dir": _Spec("HIVEMIND_LOG_DIR", _str, QT_TRANSLATE_NOOP("Core", "a folder path")),
}


# Config-file keys of earlier releases, still read: key -> today's name.
_RENAMED = {"status_port": "status_port"}


def _coerce(name: str, value: Any, source: str, config_file: Path | None = None) -> Any:
    spec = SPECS[name]
    label = spec.env if (source == "environment" and spec.env) else name
    parts: dict[str, Any] = {
        "kind": "value",
        "name": name,
        "setting": label,
        "value": str(value),
        "source": "config file" if config_file else source,
        "allowed": spec.allowed,
        "config_file": config_file,
    }
    if config_file:
        source = f"config file {config_file}"
    try:
        parsed = spec.parse(value)
    except (ValueError, TypeError) as exc:
        raise SettingsError(
            f"{label}={value!r} ({source}) is not allowed: {spec.allowed} ({exc})",
            detail=str(exc) if isinstance(exc, ValueError) else "",
            **parts,
        ) from None
    if not spec.check(parsed):
        raise SettingsError(f"{label}={value!r} ({source}) is not allowed: {spec.allowed}", **parts)
    return parsed


def parse_value(name: str, value: Any) -> Any:
    """Parse one setting as typed by a person, exactly as the config file would be;
    raises SettingsError with the one-line reason."""
    if name not in SPECS:
        raise SettingsError(f"unknown setting '{name}'")
    return _coerce(name, value, "settings")


def validate(settings: Settings) -> Settings:
    """Re-check every field (used after programmatic changes)."""
    for f in dataclasses.fields(settings):
        _coerce(f.name, getattr(settings, f.name), "settings")
    return settings


def load(
    flags: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Build Settings from all sources; raises SettingsError on the first bad value."""
    env = os.environ if env is None else env
    config_file = config_file or config_file_path()
    values: dict[str, Any] = {}

    if config_file.exists():
        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
            at = re.search(r"at line (\d+)", str(exc))
            raise SettingsError(
                f"config file {config_file} cannot be read: {exc}",
                kind="unreadable",
                config_file=config_file,
                line=int(at.group(1)) if at else None,
            ) from None
        for key, value in data.items():
            key = _RENAMED.get(key, key)
            if key not in SPECS or key == "password":
                raise SettingsError(
                    f"config file {config_file}: unknown setting '{key}'"
                    if key != "password"
                    else f"config file {config_file}: passwords belong in the keyring, or "
                    "in a file of their own named by password_file, not here",
                    kind="unknown" if key != "password" else "password",
                    setting=key,
                    config_file=config_file,
                )
            values[key] = _coerce(key, value, "config file", config_file)

    for name, spec in SPECS.items():
        if spec.env and env.get(spec.env) not in (None, ""):
            values[name] = _coerce(name, env[spec.env], "environment")

    for name, value in (flags or {}).items():
        if value is None:
            continue
        if name not in SPECS:
            raise SettingsError(f"unknown setting '{name}'")
        values[name] = _coerce(name, value, "command line")

    return Settings(**values)


def save(settings: Settings, config_file: Path | None = None) -> Path:
    """Write the non-secret settings that differ from the defaults to the config file."""
    import tomli_w

    config_file = config_file or config_file_path()
    defaults = Settings().public_dict()  # same shapes as the values (lists, not tuples)
    data = {
        k: v
        for k, v in settings.public_dict().items()
        if k not in {"username"} and v != defaults.get(k) and v is not None
    }
    data = {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}
    config_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = config_file.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    os.replace(tmp, config_file)
    return config_file
