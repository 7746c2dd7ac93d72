"""Logging setup on real files: redaction everywhere, the memory ring, rotation, events."""

from __future__ import annotations

import logging
import logging.handlers
import stat

import jwt
import pytest

from hivemind_desktop.core.events import LOG, EventBus
from hivemind_desktop.core.logs import (
    LOG_FILE_NAME,
    LogEntry,
    MemoryLog,
    RedactingFilter,
    clear_secrets,
    redact,
    register_secret,
    setup_logging,
    teardown_logging,
)

log = logging.getLogger("hivemind_desktop.test_logs")

PASSWORD = "correct horse battery"
TOKEN = jwt.encode(
    {"sub": "volunteer", "exp": 4102444800},
    "pool-signing-key-of-at-least-32-bytes",
    algorithm="HS256",
)
OTHER_JWT = jwt.encode(
    {"sub": "someone-else"}, "another-signing-key-of-32-bytes-or-more", algorithm="HS256"
)


@pytest.fixture
def logging_dir(tmp_path):
    teardown_logging()  # start from nothing: earlier tests' workers installed logging
    yield tmp_path / "logs"
    teardown_logging()
    clear_secrets()


def file_text(log_dir) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return "".join(p.read_text(encoding="utf-8") for p in sorted(log_dir.iterdir()))


def our_handlers() -> list[logging.Handler]:
    return [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactingFilter) for f in h.filters)
    ]


def test_secrets_never_reach_the_file_nor_the_ring(logging_dir):
    memory = setup_logging(logging_dir, EventBus())
    register_secret(PASSWORD)
    register_secret(TOKEN)
    log.info("signing in as %s with %s", "volunteer", PASSWORD)
    log.info("LoginRequest: username=volunteer password=hunter2hunter2")
    log.info("login payload %s", {"username": "volunteer", "password": "p a s s"})
    log.info("calling with metadata %s", [("authorization", f"Bearer {TOKEN}")])
    log.info("header authorization: Bearer opaque-credential-42")
    log.info("someone else's token showed up: %s", OTHER_JWT)
    log.info("refresh answered new_token=%s", "tok-value-77")
    try:
        raise RuntimeError(f"pool rejected token={TOKEN} for {PASSWORD!r}")
    except RuntimeError:
        log.exception("upload failed")
    log.info("stack with secret %s", PASSWORD, stack_info=True)

    written = file_text(logging_dir)
    ring = "\n".join(e.message for e in memory.entries())
    for text in (written, ring):
        for secret in (
            PASSWORD,
            TOKEN,
            OTHER_JWT,
            "hunter2hunter2",
            "p a s s",
            "opaque-credential-42",
            "tok-value-77",
        ):
            assert secret not in text
        assert "signing in as volunteer with ***" in text
        assert "Bearer ***" in text
        assert "'password': '***'" in text
    assert "RuntimeError: pool rejected token=*** for '***'" in written  # the traceback
    assert "upload failed (RuntimeError: pool rejected token=*** for '***')" in ring
    assert len(memory.entries()) == 9


def test_redact_keeps_ordinary_text():
    plain = "task t-1 finished in 3.2 s; basic checks passed; the token expired"
    assert redact(plain) == plain


def test_ring_trims_to_the_newest_500_past_1000(logging_dir):
    memory = setup_logging(logging_dir, None)
    for i in range(1000):
        log.info("line %d", i)
    entries = memory.entries()
    assert len(entries) == 1000 and entries[0].message == "line 0"
    log.info("line %d", 1000)
    entries = memory.entries()
    assert len(entries) == 500
    assert entries[0].message == "line 501"
    assert entries[-1].message == "line 1000"


def test_file_rotates_and_keeps_the_set_number_of_backups(logging_dir):
    setup_logging(logging_dir, None, max_bytes=2_000, backup_count=2)
    for i in range(300):
        log.info("rotating line %04d with some padding to fill the file", i)
    names = sorted(p.name for p in logging_dir.iterdir())
    assert names == [LOG_FILE_NAME, f"{LOG_FILE_NAME}.1", f"{LOG_FILE_NAME}.2"]
    assert all((logging_dir / n).stat().st_size <= 2_000 for n in names)
    assert "rotating line 0299" in (logging_dir / LOG_FILE_NAME).read_text()


def test_defaults_one_megabyte_times_five_and_a_private_folder(logging_dir):
    setup_logging(logging_dir, None)
    files = [h for h in our_handlers() if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert [(h.maxBytes, h.backupCount) for h in files] == [(1_000_000, 5)]
    assert stat.S_IMODE(logging_dir.stat().st_mode) == 0o700


def test_log_events_are_published(logging_dir):
    events = EventBus()
    seen: list[LogEntry] = []
    events.subscribe(lambda e: seen.append(e.data["entry"]) if e.kind == LOG else None)
    setup_logging(logging_dir, events)
    log.warning("disk almost full: %d GiB left", 2)
    assert len(seen) == 1
    entry = seen[0]
    assert (entry.level, entry.name, entry.message) == (
        "WARNING",
        "hivemind_desktop.test_logs",
        "disk almost full: 2 GiB left",
    )


def test_a_subscriber_that_logs_does_not_loop(logging_dir):
    events = EventBus()
    calls = []

    def chatty(event) -> None:
        calls.append(event)
        log.info("subscriber saw a log line")

    events.subscribe(chatty)
    memory = setup_logging(logging_dir, events)
    log.info("first")
    assert len(calls) == 1
    assert [e.message for e in memory.entries()] == ["first", "subscriber saw a log line"]


def test_setup_twice_does_not_duplicate_and_keeps_the_ring(logging_dir, tmp_path):
    root = logging.getLogger()
    before = len(root.handlers)
    first = setup_logging(logging_dir, None)
    log.info("before the second setup")
    second = setup_logging(logging_dir, EventBus(), console=False)
    assert second is first
    assert len(root.handlers) == before + 2  # the ring and the file
    log.info("once only")
    assert file_text(logging_dir).count("once only") == 1
    assert [e.message for e in second.entries()] == ["before the second setup", "once only"]

    moved = tmp_path / "elsewhere"
    setup_logging(moved, None, console=True)
    assert len(root.handlers) == before + 3  # ring, file, console
    log.info("to the new folder")
    assert "to the new folder" in file_text(moved)
    assert "to the new folder" not in file_text(logging_dir)


def test_teardown_removes_everything_and_restores_the_level(logging_dir):
    root = logging.getLogger()
    level, before = root.level, list(root.handlers)
    setup_logging(logging_dir, None, level=logging.DEBUG)
    assert root.level == logging.DEBUG
    teardown_logging()
    assert root.handlers == before
    assert root.level == level


def test_unwritable_log_folder_names_the_cause_and_changes_nothing(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    before = list(logging.getLogger().handlers)
    with pytest.raises(OSError, match=r"cannot write logs in .*a-file/logs: .*HIVEMIND_LOG_DIR"):
        setup_logging(blocker / "logs", None)
    assert logging.getLogger().handlers == before


def test_short_secrets_are_not_registered_and_forms_are_covered():
    try:
        register_secret("ab")
        register_secret(None)
        assert redact("about a cab") == "about a cab"
        register_secret('it\'s "q"')
        assert redact(f"repr {'it' + chr(39) + 's ' + chr(34) + 'q' + chr(34)!r}") == "repr '***'"
    finally:
        clear_secrets()


def test_memory_log_refuses_a_bad_trim_rule():
    with pytest.raises(ValueError, match="keep=0"):
        MemoryLog(max_entries=10, keep=0)
