""""Save diagnostics": one zip a volunteer can attach to a bug report.

It holds the app's log files, the settings and a self-test report, and no secret: the
settings go through Settings.public_dict() (no password) with any secret-looking key
dropped, and every text passes the log redaction (JWTs, bearer tokens, key=value
secrets) and a literal match of the secrets the caller knows (the password, tokens),
so a secret that slipped into a log by some unforeseen path still stays out.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

import hivemind_desktop
from hivemind_desktop.core.logs import LOG_FILE_NAME, MASK, SecretRegistry, redact
from hivemind_desktop.core.settings import Settings

_SECRET_KEY = re.compile(r"(?i)password|passwd|passphrase|token|secret|api[_-]?key|private")
MAX_LOG_BYTES = 20 * 1024 * 1024  # all log files together; the newest part is kept


def default_name(now: float | None = None) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    return f"hivemind-diagnostics-{stamp}.zip"


def safe_settings(settings: Settings) -> dict:
    """The settings without secrets (what the config file and the status API show)."""
    values = settings.public_dict()
    return {k: v for k, v in values.items() if not _SECRET_KEY.search(k)}


def log_files(log_dir: Path) -> list[Path]:
    """The current log and its rotated copies, newest first."""
    if not log_dir.is_dir():
        return []
    files = [p for p in log_dir.glob(f"{LOG_FILE_NAME}*") if p.is_file() and not p.is_symlink()]
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)


def write_diagnostics(
    target: Path,
    settings: Settings,
    self_test: str,
    secrets: Iterable[str | None] = (),
) -> Path:
    """Write the zip at `target` (owner-only) and return its path. Raises OSError with a
    message for people when the file cannot be written."""
    registry = SecretRegistry()
    for value in secrets:
        registry.register(value)
    registry.register(settings.password)

    def clean(text: str) -> str:
        # Ours, then the app's registered ones (password and tokens of this run), then shapes.
        return registry.redact(redact(registry.redact(text)))

    about = "\n".join(
        [
            f"HiveMind Desktop {hivemind_desktop.__version__}",
            f"Python {sys.version.split()[0]} on {platform.platform()}",
            f"written {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        ]
    )
    partial = target.with_name(target.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("about.txt", about + "\n")
            zf.writestr(
                "settings.json",
                clean(json.dumps(safe_settings(settings), indent=2, default=str)) + "\n",
            )
            zf.writestr("self-test.txt", clean(self_test) + "\n")
            budget = MAX_LOG_BYTES
            for path in log_files(settings.log_path):
                if budget <= 0:
                    break
                data = path.read_bytes()[-budget:]
                budget -= len(data)
                zf.writestr(f"logs/{path.name}", clean(data.decode("utf-8", errors="replace")))
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OSError(
            f"the diagnostics could not be saved in {target.parent}: "
            f"{exc.strerror or exc}; choose another folder"
        ) from None
    return target


__all__ = ["MASK", "default_name", "log_files", "safe_settings", "write_diagnostics"]
