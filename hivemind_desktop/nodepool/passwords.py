"""Passwords for the `nodepool` and `submit` commands without putting them on the
command line, where every local user sees them in the process list (`ps`, /proc):
a file only its owner can read, or an environment variable. No console prompt: the
app has no console input."""

from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path

from hivemind_desktop.nodepool.models import UserSpec

USERS_ENV = "HIVEMIND_NODEPOOL_USERS"
PASSWORD_ENV = "HIVEMIND_PASSWORD"  # noqa: S105 - a variable name, not a secret
_MAX_FILE_BYTES = 1024 * 1024


class SecretsError(ValueError):
    """A password source that cannot be used; the message names the cause and the fix."""


def read_private_file(path: Path) -> str:
    """The text of a file only its owner may read; refused when group or others can
    (they would see the passwords in it), or when it is not a regular file."""
    try:
        info = path.stat()
    except OSError as exc:
        raise SecretsError(f"cannot read {path}: {exc.strerror}; check the path") from None
    if not stat.S_ISREG(info.st_mode):
        raise SecretsError(f"{path} is not a regular file: give a file of passwords")
    if os.name == "posix" and info.st_mode & 0o077:
        raise SecretsError(
            f"{path} can be read or changed by other users (mode "
            f"{stat.S_IMODE(info.st_mode):03o}): run `chmod 600 {path}`"
        )
    if info.st_size > _MAX_FILE_BYTES:
        raise SecretsError(f"{path} is larger than 1 MiB: give a file of passwords")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretsError(f"cannot read {path}: {exc}; save it as UTF-8 text") from None


def parse_users(text: str, source: str, parse_one: Callable[[str], UserSpec]) -> list[UserSpec]:
    """One `NAME:PASSWORD[:BALANCE]` per line; blank lines and `#` comments skipped.
    Errors name the line, never its content (it holds a password)."""
    users = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            users.append(parse_one(line))
        except (ValueError, argparse.ArgumentTypeError):
            raise SecretsError(
                f"{source}, line {number}: not NAME:PASSWORD[:BALANCE]; fix that line"
            ) from None
    return users


def users_from_sources(
    users_file: Path | None,
    environ: Mapping[str, str],
    parse_one: Callable[[str], UserSpec],
) -> list[UserSpec]:
    """Accounts from --users-file and from $HIVEMIND_NODEPOOL_USERS (both may be used)."""
    users: list[UserSpec] = []
    if users_file is not None:
        users += parse_users(read_private_file(users_file), str(users_file), parse_one)
    if environ.get(USERS_ENV):
        users += parse_users(environ[USERS_ENV], f"${USERS_ENV}", parse_one)
    return users


def submit_password(
    name: str,
    inline: str | None,
    password_file: Path | None,
    environ: Mapping[str, str],
) -> str:
    """The submitter's password: `--user NAME:PASSWORD`, else the first line of
    --password-file, else $HIVEMIND_PASSWORD."""
    if inline is not None and password_file is not None:
        raise SecretsError("give the password once: --user NAME with --password-file")
    if inline is not None:
        return inline
    if password_file is not None:
        lines = read_private_file(password_file).splitlines()
        password = lines[0].rstrip("\r") if lines else ""
        if not password:
            raise SecretsError(f"{password_file} is empty: put the password on its first line")
        return password
    password = environ.get(PASSWORD_ENV, "")
    if not password:
        raise SecretsError(
            f"no password for {name!r}: use --password-file PATH (chmod 600) or set {PASSWORD_ENV}"
        )
    return password
