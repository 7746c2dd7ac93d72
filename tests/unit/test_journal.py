"""Journal logging: the stream systemd names in JOURNAL_STREAM is recognised by its real
device and inode (and nothing else is), lines carry sd-daemon priorities, one entry per
line, secrets redacted, and no log file is written."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from hivemind_desktop.core.journal import JournalFormatter, is_journal_stream, priority
from hivemind_desktop.core.logs import LOG_FILE_NAME, setup_logging, teardown_logging

REPO = Path(__file__).resolve().parents[2]


def stream_id(path: Path) -> str:
    info = os.stat(path)
    return f"{info.st_dev}:{info.st_ino}"


def test_only_the_named_stream_counts(tmp_path: Path) -> None:
    journal, other = tmp_path / "journal", tmp_path / "other"
    with open(journal, "w") as to_journal, open(other, "w") as elsewhere:
        env = {"JOURNAL_STREAM": stream_id(journal)}
        assert is_journal_stream(to_journal, env)
        # A child that inherited the variable but writes elsewhere keeps its own file.
        assert not is_journal_stream(elsewhere, env)
        assert not is_journal_stream(to_journal, {})
        for bad in ("", "12", "a:b", "1:2:3", ":"):
            assert not is_journal_stream(to_journal, {"JOURNAL_STREAM": bad})


def test_priorities_follow_sd_daemon() -> None:
    assert [priority(level) for level in (50, 40, 30, 20, 10)] == [2, 3, 4, 6, 7]


def test_each_line_of_a_traceback_is_its_own_entry_with_the_priority() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "hivemind", logging.ERROR, __file__, 1, "task failed", None, sys.exc_info()
        )
    lines = JournalFormatter().format(record).splitlines()
    assert len(lines) > 2
    assert all(line.startswith("<3>") for line in lines)
    assert lines[0] == "<3>hivemind [MainThread]: task failed"
    assert lines[-1] == "<3>ValueError: boom"


def test_headless_process_logs_to_its_journal_stream_and_writes_no_file(tmp_path: Path) -> None:
    """A real child process whose stderr is the file JOURNAL_STREAM names, as systemd
    starts it: the lines land there with priorities, redacted; the log folder stays empty."""
    output = tmp_path / "journal"
    log_dir = tmp_path / "logs"
    code = (
        "import logging, sys\n"
        "from hivemind_desktop.core.journal import is_journal_stream\n"
        "from hivemind_desktop.core.logs import setup_logging, register_secret\n"
        f"setup_logging({str(log_dir)!r}, journal=is_journal_stream(sys.stderr))\n"
        "register_secret('hunter2-service')\n"
        "logging.getLogger('hivemind.test').warning('signing in with hunter2-service')\n"
        "logging.getLogger('hivemind.test').info('serving')\n"
    )
    with open(output, "w") as stream:
        env = {**os.environ, "PYTHONPATH": str(REPO), "JOURNAL_STREAM": stream_id(output)}
        subprocess.run([sys.executable, "-c", code], stderr=stream, env=env, check=True, timeout=60)
    lines = output.read_text().splitlines()
    assert "<4>hivemind.test [MainThread]: signing in with ***" in lines
    assert "<6>hivemind.test [MainThread]: serving" in lines
    assert "hunter2-service" not in output.read_text()
    assert not log_dir.exists()


def test_without_the_journal_the_file_is_kept(tmp_path: Path) -> None:
    try:
        setup_logging(tmp_path / "logs", journal=False)
        logging.getLogger("hivemind.test").warning("to the file")
    finally:
        teardown_logging()
    assert "to the file" in (tmp_path / "logs" / LOG_FILE_NAME).read_text()
