"""Logging for the whole app: a rotating file, an in-memory ring for the Logs page, and
redaction of secrets before any handler writes a line.

The worker handles a password, JWTs and `authorization: Bearer` metadata; a log line that
quotes a request or an exception could carry any of them to disk or to the screen. Every
handler we install carries the RedactingFilter, which rewrites the record itself (message,
arguments, exception and stack text), so whatever formats it later sees only masks.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hivemind_desktop.core.events import LOG, EventBus

LOG_FILE_NAME = "hivemind-desktop.log"
FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"
MASK = "***"
MIN_SECRET_LENGTH = 3  # masking every "a" would make logs unreadable and hide nothing

# -- redaction -------------------------------------------------------------------------------

_KEY = r"\w*(?:password|passwd|passphrase|token|secret|api[_-]?key)\w*"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # A JWT anywhere: header.payload.signature, base64url, the header always starts eyJ.
    (re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), MASK),
    # Bearer credentials, as metadata tuples, headers or free text.
    (re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9._~+/=-]+"), rf"\1\2{MASK}"),
    # authorization: VALUE / authorization=Basic VALUE / ('authorization', 'VALUE')
    (
        re.compile(
            r"""(?i)(\bauthorization['"]?\s*[:=,]\s*['"]?(?:(?:bearer|basic|token)\s+)?)"""
            r"""[^\s'",)}]+"""
        ),
        rf"\1{MASK}",
    ),
    # "password": "x y" / password='x' / token: "x" (quoted values may hold spaces)
    (
        re.compile(rf"""(?i)(\b{_KEY}['"]?\s*[:=]\s*)(['"])(?:\\.|(?!\2).)*\2"""),
        rf"\1\2{MASK}\2",
    ),
    # password=x / token: x (unquoted: up to whitespace or a separator)
    (re.compile(rf"""(?i)(\b{_KEY}['"]?\s*[:=]\s*)(?!['"*])[^\s,;&)}}\]]+"""), rf"\1{MASK}"),
]


class SecretRegistry:
    """Literal secrets known at run time (the password, each token). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def register(self, value: str | None) -> None:
        if not value or len(value) < MIN_SECRET_LENGTH:
            return
        # Also the forms a secret takes once repr()'d or JSON-encoded inside a message.
        forms = {value, repr(value)[1:-1], json.dumps(value)[1:-1]}
        with self._lock:
            if forms <= self._secrets:
                return
            self._secrets |= forms
            ordered = sorted(self._secrets, key=len, reverse=True)  # longest first
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered))

    def clear(self) -> None:
        with self._lock:
            self._secrets.clear()
            self._pattern = None

    def redact(self, text: str) -> str:
        pattern = self._pattern
        return pattern.sub(MASK, text) if pattern is not None else text


_secrets = SecretRegistry()


def register_secret(value: str | None) -> None:
    """Mask this exact value in every later log line (empty or very short values ignored)."""
    _secrets.register(value)


def clear_secrets() -> None:
    """Forget registered secrets (for tests, and after sign-out)."""
    _secrets.clear()


def redact(text: str, registry: SecretRegistry | None = None) -> str:
    """Mask secrets in text: registered literals first, then the known shapes."""
    text = (registry or _secrets).redact(text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record so no handler can see a secret. Never drops a record."""

    def __init__(self, registry: SecretRegistry | None = None) -> None:
        super().__init__()
        self._registry = registry or _secrets

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # bad %-args: keep what we can, masked
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message, self._registry)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._registry)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self._registry)
        return True


# -- the in-memory ring -----------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    time: float
    level: str
    name: str
    message: str


class MemoryLog(logging.Handler):
    """The newest log entries for the Logs page; publishes each as a LOG event.

    Holds at most `max_entries`; when that is exceeded it keeps the newest `keep`
    (the original worker's rule: cheap, and the page never needs more).
    """

    def __init__(
        self, events: EventBus | None = None, max_entries: int = 1000, keep: int = 500
    ) -> None:
        super().__init__()
        if not 0 < keep <= max_entries:
            raise ValueError(f"keep={keep} must be from 1 to max_entries={max_entries}")
        self.events = events
        self.max_entries = max_entries
        self.keep = keep
        self._entries: list[LogEntry] = []
        self._entries_lock = threading.Lock()
        self._publishing = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.exc_text:  # the exception's last line; the file has the traceback
                message = f"{message} ({record.exc_text.strip().splitlines()[-1]})"
            entry = LogEntry(record.created, record.levelname, record.name, message)
            with self._entries_lock:
                self._entries.append(entry)
                if len(self._entries) > self.max_entries:
                    del self._entries[: -self.keep]
            events = self.events
            # A subscriber that logs would come back here; store that entry, don't loop.
            if events is not None and not getattr(self._publishing, "active", False):
                self._publishing.active = True
                try:
                    events.publish(LOG, entry=entry)
                finally:
                    self._publishing.active = False
        except Exception:
            self.handleError(record)

    def entries(self) -> list[LogEntry]:
        """Oldest first."""
        with self._entries_lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._entries_lock:
            self._entries.clear()


# -- setup --------------------------------------------------------------------------------------


class _Installed:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.memory: MemoryLog | None = None
        self.handlers: list[logging.Handler] = []
        self.previous_level: int | None = None


_installed = _Installed()


def setup_logging(
    log_dir: Path,
    events: EventBus | None = None,
    level: int = logging.INFO,
    console: bool = False,
    *,
    journal: bool = False,
    max_bytes: int = 1_000_000,
    backup_count: int = 5,
) -> MemoryLog:
    """Install the app's handlers on the root logger and return the memory ring.

    journal: stderr is systemd's journal stream (core/journal.py): log there, with
    priorities, and write no file (the journal keeps the lines; a file would double them).
    Idempotent: a second call replaces the file and console handlers (a new folder or
    level) but keeps the same MemoryLog, so whoever holds it keeps its entries.
    """
    new_handlers: list[logging.Handler] = []
    if journal:
        from hivemind_desktop.core.journal import JournalFormatter

        to_journal = logging.StreamHandler(sys.stderr)
        to_journal.setFormatter(JournalFormatter())
        new_handlers.append(to_journal)
    else:
        new_handlers.append(_file_handler(Path(log_dir), max_bytes, backup_count))
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        new_handlers.append(stream)

    root = logging.getLogger()
    with _installed.lock:
        memory = _installed.memory or MemoryLog(events)
        memory.events = events
        _remove(root, _installed.handlers)
        if _installed.previous_level is None:
            _installed.previous_level = root.level
        for handler in [memory, *new_handlers]:
            handler.setLevel(level)
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter(_secrets))
            root.addHandler(handler)
        root.setLevel(level)
        _installed.memory = memory
        _installed.handlers = [memory, *new_handlers]
    return memory


def _file_handler(log_dir: Path, max_bytes: int, backup_count: int) -> logging.Handler:
    try:
        if not log_dir.exists():
            log_dir.mkdir(parents=True, mode=0o700)
            os.chmod(log_dir, 0o700)  # mkdir's mode is reduced by the umask
        handler = logging.handlers.RotatingFileHandler(
            log_dir / LOG_FILE_NAME, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
        )
    except OSError as exc:
        raise OSError(
            f"cannot write logs in {log_dir}: {exc.strerror or exc}; "
            "choose another log folder (HIVEMIND_LOG_DIR)"
        ) from None
    handler.setFormatter(logging.Formatter(FILE_FORMAT))
    return handler


def teardown_logging() -> None:
    """Remove and close what setup_logging installed; restore the root level."""
    root = logging.getLogger()
    with _installed.lock:
        _remove(root, _installed.handlers)
        if _installed.previous_level is not None:
            root.setLevel(_installed.previous_level)
        _installed.handlers = []
        _installed.memory = None
        _installed.previous_level = None


def _remove(root: logging.Logger, handlers: Iterable[logging.Handler]) -> None:
    for handler in handlers:
        root.removeHandler(handler)
        if not isinstance(handler, MemoryLog):
            handler.close()
