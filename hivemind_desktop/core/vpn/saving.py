"""Writing a validated config where only its owner can read it (it holds the private key)."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import tempfile
from pathlib import Path

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say
from hivemind_desktop.core.vpn.config import DEFAULT_CONFIG_NAME, VpnConfigError, parse_config

log = logging.getLogger(__name__)

# wg-quick names the interface after the file stem, and Linux allows 15 characters.
_CONFIG_NAME_RE = re.compile(r"^[A-Za-z0-9_=+.-]{1,15}\.conf$")

# Why a config is not saved, as templates (core/i18n.py): the wizard shows them translated.
BAD_NAME = QT_TRANSLATE_NOOP(
    "Core",
    "config file name %1 is not usable: WireGuard names the tunnel after it, so use up to "
    "15 letters, digits or _=+.- followed by .conf (e.g. %2)",
)
NOT_A_FOLDER = QT_TRANSLATE_NOOP("Core", "%1 is not a folder: choose a folder for the config")
NOT_WRITTEN = QT_TRANSLATE_NOOP(
    "Core",
    "could not write the WireGuard config to %1: %2: choose a folder you can write to",
)
LOOSE_PERMISSIONS = QT_TRANSLATE_NOOP(
    "Core",
    "%1 has permissions %2 instead of 0o600 and would expose the private key: the folder's "
    "file system does not keep permissions, choose another folder",
)


def save_config(text: str, config_dir: Path | str, name: str = DEFAULT_CONFIG_NAME) -> Path:
    """Validate, then write the config atomically, readable by its owner only.

    The text is written as given (comments and all), since it is what the volunteer's
    WireGuard client will read; only a config that passed validation is written.
    """
    config = parse_config(text)
    if not _CONFIG_NAME_RE.match(name):
        raise VpnConfigError(say(BAD_NAME, repr(name), DEFAULT_CONFIG_NAME))
    directory = Path(config_dir)
    try:
        if not directory.exists():
            directory.mkdir(mode=0o700, parents=True)
            os.chmod(directory, 0o700)  # mkdir's mode is filtered by the umask
        if not directory.is_dir():
            raise VpnConfigError(say(NOT_A_FOLDER, directory))
        target = directory / name
        data = text if text.endswith("\n") else text + "\n"
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                os.chmod(tmp, 0o600)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise VpnConfigError(say(NOT_WRITTEN, directory, exc.strerror or exc)) from exc
    if os.name == "posix":
        mode = stat.S_IMODE(target.stat().st_mode)
        if mode != 0o600:
            raise VpnConfigError(say(LOOSE_PERMISSIONS, target, oct(mode)))
    log.info("saved WireGuard config %s (public key %s)", target, config.public_key)
    return target
