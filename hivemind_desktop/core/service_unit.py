"""The Linux system service's unit file, read the way systemd reads it, for what the app
must agree with: which config file, data and log folders, user and credential the service
uses. `hivemind-desktop --service ...` and the package check take them from the installed
unit itself, so they cannot drift from it. Standard library only (the package check runs
it with the system's python3).

Only what our unit uses is understood: [Service] assignments, quoted Environment= words,
EnvironmentFile= (a leading '-' = optional), LoadCredential=, State/LogsDirectory=, User=,
Group=, UMask=, WorkingDirectory=, ExecStart=, ExecStartPre= (prefixes - and + only). A '%'
specifier is refused rather than guessed, which keeps the unit literal for every reader.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

UNIT_NAME = "hivemind-desktop.service"
# Where systemd looks, most important first (an admin's copy in /etc wins).
UNIT_PATHS = (
    Path("/etc/systemd/system") / UNIT_NAME,
    Path("/usr/lib/systemd/system") / UNIT_NAME,
    Path("/lib/systemd/system") / UNIT_NAME,
)
STATE_ROOT = Path("/var/lib")
LOGS_ROOT = Path("/var/log")
CREDENTIALS_ROOT = Path("/run/credentials")


class UnitError(ValueError):
    """The unit file cannot be read or uses something this reader does not understand."""


@dataclass(frozen=True)
class Unit:
    """The [Service] section's settings that decide how the worker starts."""

    path: Path
    user: str = ""
    group: str = ""
    exec_start: tuple[str, ...] = ()
    # ExecStartPre= commands as (prefixes, argv); "+" = as root outside the sandbox,
    # "-" = a failure is ignored.
    exec_start_pre: tuple[tuple[str, tuple[str, ...]], ...] = ()
    environment: Mapping[str, str] = field(default_factory=dict)
    environment_files: tuple[tuple[Path, bool], ...] = ()  # (path, optional)
    credentials: Mapping[str, Path] = field(default_factory=dict)  # id -> source file
    state_directories: tuple[str, ...] = ()
    logs_directories: tuple[str, ...] = ()
    state_directory_mode: int = 0o755
    logs_directory_mode: int = 0o755
    umask: int = 0o022
    working_directory: str = ""
    directives: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # all, raw

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def state_paths(self) -> tuple[Path, ...]:
        return tuple(STATE_ROOT / d for d in self.state_directories)

    @property
    def logs_paths(self) -> tuple[Path, ...]:
        return tuple(LOGS_ROOT / d for d in self.logs_directories)

    @property
    def credentials_directory(self) -> Path:
        return CREDENTIALS_ROOT / self.name

    def service_environment(
        self, home: str, shell: str = "/usr/sbin/nologin", credentials_directory: Path | None = None
    ) -> dict[str, str]:
        """The environment systemd gives the started process (systemd.exec(5), "Environment
        variables in spawned processes"), less what only a running systemd can set
        (INVOCATION_ID, JOURNAL_STREAM): EnvironmentFile= overrides Environment=, both
        override the basics."""
        env = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "USER": self.user,
            "LOGNAME": self.user,
            "HOME": home,
            "SHELL": shell,
        }
        if self.state_directories:
            env["STATE_DIRECTORY"] = ":".join(str(p) for p in self.state_paths)
        if self.logs_directories:
            env["LOGS_DIRECTORY"] = ":".join(str(p) for p in self.logs_paths)
        if self.credentials:
            env["CREDENTIALS_DIRECTORY"] = str(credentials_directory or self.credentials_directory)
        env.update(self.environment)
        for path, optional in self.environment_files:
            if not path.exists():
                if optional:
                    continue
                raise UnitError(f"{self.path}: EnvironmentFile {path} does not exist")
            env.update(read_environment_file(path))
        return env


def installed_unit(paths: Iterable[Path] = UNIT_PATHS) -> Path | None:
    return next((p for p in paths if p.is_file()), None)


def read_unit(path: Path) -> Unit:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UnitError(f"cannot read the unit {path}: {exc.strerror or exc}") from None
    return parse_unit(text, path)


def parse_unit(text: str, path: Path = Path(UNIT_NAME)) -> Unit:
    directives = _service_section(text, path)
    values: dict[str, object] = {"path": path, "directives": directives}

    def last(key: str) -> str:
        found = directives.get(key, ())
        return found[-1] if found else ""

    values["user"] = last("User")
    values["group"] = last("Group")
    exec_start = [v for v in directives.get("ExecStart", ()) if v]
    if len(exec_start) != 1:
        raise UnitError(f"{path}: expected one ExecStart=, found {len(exec_start)}")
    command = exec_start[0].lstrip("-@:+!")
    if command != exec_start[0]:
        raise UnitError(f"{path}: ExecStart= prefixes are not expected: {exec_start[0]}")
    values["exec_start"] = tuple(shlex.split(command))
    pre = []
    for value in _list(directives, "ExecStartPre"):
        argv = value.lstrip("-@:+!")
        prefixes = value[: len(value) - len(argv)]
        if set(prefixes) - {"-", "+"}:
            raise UnitError(f"{path}: ExecStartPre= prefixes other than - and +: {value}")
        pre.append((prefixes, tuple(shlex.split(argv))))
    values["exec_start_pre"] = tuple(pre)
    environment: dict[str, str] = {}
    for value in _list(directives, "Environment"):
        for word in shlex.split(value):
            key, sep, item = word.partition("=")
            if not sep or not key:
                raise UnitError(f"{path}: Environment word {word!r} is not NAME=VALUE")
            environment[key] = item
    values["environment"] = environment
    values["environment_files"] = tuple(
        (Path(v.removeprefix("-")), v.startswith("-")) for v in _list(directives, "EnvironmentFile")
    )
    credentials: dict[str, Path] = {}
    for value in _list(directives, "LoadCredential"):
        ident, sep, source = value.partition(":")
        if not sep or not ident or not source.startswith("/"):
            raise UnitError(f"{path}: LoadCredential={value} is not ID:/ABSOLUTE/PATH")
        credentials[ident] = Path(source)
    values["credentials"] = credentials
    directories = (("StateDirectory", "state_directories"), ("LogsDirectory", "logs_directories"))
    for key, attr in directories:
        names = tuple(w for v in _list(directives, key) for w in v.split())
        if any(n.startswith("/") or ".." in n.split("/") for n in names):
            raise UnitError(f"{path}: {key}= takes names relative to its root, not {names}")
        values[attr] = names
    for key, attr in (
        ("StateDirectoryMode", "state_directory_mode"),
        ("LogsDirectoryMode", "logs_directory_mode"),
        ("UMask", "umask"),
    ):
        if last(key):
            try:
                values[attr] = int(last(key), 8)
            except ValueError:
                raise UnitError(f"{path}: {key}={last(key)} is not an octal mode") from None
    values["working_directory"] = last("WorkingDirectory")
    return Unit(**values)  # type: ignore[arg-type]


def read_environment_file(path: Path) -> dict[str, str]:
    """NAME=VALUE lines, '#' and ';' comments, optional quotes (systemd.exec(5))."""
    env: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key.replace("_", "a").isalnum():
            raise UnitError(f"{path}, line {number}: expected NAME=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        env[key] = value
    return env


def _list(directives: Mapping[str, tuple[str, ...]], key: str) -> list[str]:
    """A list setting: each assignment adds, an empty one clears what came before."""
    items: list[str] = []
    for value in directives.get(key, ()):
        if value:
            items.append(value)
        else:
            items.clear()
    return items


def _service_section(text: str, path: Path) -> dict[str, tuple[str, ...]]:
    directives: dict[str, list[str]] = {}
    section = ""
    pending = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = pending + raw.strip() if pending else raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise UnitError(f"{path}, line {number}: expected KEY=VALUE, got {line!r}")
        if section != "Service":
            continue
        value = value.strip()
        if "%" in value.replace("%%", ""):
            raise UnitError(f"{path}, line {number}: specifiers (%) are not supported: {value}")
        directives.setdefault(key.strip(), []).append(value.replace("%%", "%"))
    return {k: tuple(v) for k, v in directives.items()}
