"""The password of a worker that runs as a system service, which has no keyring.

Two sources, both files, so the password never sits on a command line (every local user
reads `ps`), in the config file, or in the environment (inherited by every child):

- systemd's credential: the unit says `LoadCredential=hivemind-password:/etc/...`; systemd
  (as root) reads that root-only file and hands the service a private copy in
  `$CREDENTIALS_DIRECTORY`, readable by the service user alone, on a non-swappable fs.
- a file named by the `password_file` setting (HIVEMIND_PASSWORD_FILE), for a worker
  started some other way (a container, another init system, by hand).

A file that others may read or write is refused with the fix, never used: a password
that leaked once is leaked whatever the worker does next.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

CREDENTIAL_NAME = "hivemind-password"  # the name in the unit's LoadCredential=
DEFAULT_SOURCE = "/etc/hivemind-desktop/password"  # what the shipped unit loads
MAX_BYTES = 4096  # a password file is one line; anything bigger is the wrong file


class PasswordFileError(ValueError):
    """The password file cannot be used; the message is one line: the cause and the fix."""


@dataclass(frozen=True)
class ServicePassword:
    password: str
    source: str  # for the log and the self-test, never the password itself


def read_password_file(path: Path) -> str:
    """The first line of `path`, refused (PasswordFileError) when it is missing, not a
    plain file, empty, too big, or readable or writable by anyone but its owner."""
    try:
        # O_NOFOLLOW is not used: a credential may legitimately be a link (e.g. into a
        # secrets mount); what matters is the file read, so check the opened file itself.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise PasswordFileError(f"the password file {path} does not exist") from None
    except PermissionError:
        raise PasswordFileError(
            f"the password file {path} cannot be read by this user "
            f"(uid {_uid()}): give it to this user, or load it through systemd "
            "(LoadCredential=)"
        ) from None
    except OSError as exc:
        raise PasswordFileError(
            f"the password file {path} cannot be read: {exc.strerror}"
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PasswordFileError(f"the password file {path} is not a plain file")
        loose = stat.S_IMODE(info.st_mode) & 0o077
        if loose:
            raise PasswordFileError(
                f"the password file {path} can be read or changed by other users "
                f"(mode {stat.S_IMODE(info.st_mode):04o}): make it its owner's alone "
                f"with `chmod 600 {path}`, then change the password, it may have leaked"
            )
        data = os.read(fd, MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise PasswordFileError(
            f"the password file {path} is over {MAX_BYTES} bytes: it should hold the "
            "password on one line"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PasswordFileError(f"the password file {path} is not UTF-8 text") from None
    password = text.splitlines()[0] if text else ""
    if not password:
        raise PasswordFileError(f"the password file {path} is empty: write the password in it")
    return password


def credential_path(env: Mapping[str, str]) -> Path | None:
    """Where systemd put the credential, when this process was started with one."""
    folder = env.get("CREDENTIALS_DIRECTORY", "")
    if not folder:
        return None
    path = Path(folder) / CREDENTIAL_NAME
    try:
        os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:  # e.g. a folder this user may not enter: say so, no traceback
        raise PasswordFileError(
            f"systemd's credential folder {folder} cannot be read by this user "
            f"(uid {_uid()}): {exc.strerror}; check the unit's User= and LoadCredential="
        ) from None
    return path


def find_service_password(
    password_file: str,
    env: Mapping[str, str] | None = None,
    credential_source: Path = Path(DEFAULT_SOURCE),
) -> ServicePassword | None:
    """The password from systemd's credential, else from `password_file`; None when
    neither is given. Raises PasswordFileError for a file that is given but unusable.
    `credential_source`: the file the shipped unit's LoadCredential= names."""
    env = os.environ if env is None else env
    path = credential_path(env)
    if path is not None:
        try:
            password = read_password_file(path)
        except PasswordFileError as exc:  # name the file the admin edits, not the copy
            raise PasswordFileError(
                f"{exc} (systemd's copy of the file named by LoadCredential="
                f"{CREDENTIAL_NAME}:..., by default {DEFAULT_SOURCE})"
            ) from None
        refuse_loose_source(credential_source)
        return ServicePassword(password, f"systemd credential {path}")
    if password_file:
        file = Path(password_file)
        return ServicePassword(read_password_file(file), f"password file {file}")
    if env.get("CREDENTIALS_DIRECTORY"):  # a service given credentials, but not this one
        raise PasswordFileError(
            f"systemd passed no credential {CREDENTIAL_NAME}: write the password alone in "
            f"{DEFAULT_SOURCE} (`sudo install -m 600 /dev/null {DEFAULT_SOURCE}`, then "
            f"`sudoedit {DEFAULT_SOURCE}`), or name the file in the unit's LoadCredential="
        )
    return None


def refuse_loose_source(source: Path) -> None:
    """systemd's copy is always 0400, so a source file others may read would pass
    unseen: look at the source too (its folder is world-searchable) and refuse it alike."""
    try:
        mode = stat.S_IMODE(os.stat(source).st_mode)
    except OSError:  # not there (another LoadCredential= source) or not ours to see
        return
    if mode & 0o077:
        raise PasswordFileError(
            f"the password file {source} can be read or changed by other users "
            f"(mode {mode:04o}): make it root's alone with `chmod 600 {source}`, then "
            "change the password, it may have leaked"
        )


def _uid() -> int | str:
    return os.getuid() if hasattr(os, "getuid") else "?"
