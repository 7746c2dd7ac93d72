"""The task-progress convention (core/progress.py): console lines, the .progress file,
and the time-left estimate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hivemind_desktop.core.progress import ConsoleProgress, read_progress_file, remaining_s


def test_console_lines_fractions_and_percents() -> None:
    reader = ConsoleProgress()
    assert reader.feed("starting\n") is None
    assert reader.feed("PROGRESS 0.25\n") == 0.25
    assert reader.feed("PROGRESS 40%\nsome output\nPROGRESS 50 %\n") == 0.5
    assert reader.feed("PROGRESS 75\r\n") == 0.75  # past 1: a percent


def test_a_line_split_across_chunks_is_read_once_complete() -> None:
    reader = ConsoleProgress()
    assert reader.feed("work\nPROG") is None
    assert reader.feed("RESS 0.") is None
    assert reader.feed("6\n") == 0.6


@pytest.mark.parametrize(
    "text",
    [
        "PROGRESS 101%\n",  # past 100 %
        "PROGRESS 250\n",
        "PROGRESS -0.5\n",
        "PROGRESS abc\n",
        "my PROGRESS 0.5\n",  # not alone on its line
        "PROGRESS 0.5 done\n",
        "progress 0.5\n",  # the marker is upper case
    ],
)
def test_what_is_not_progress_is_ignored(text: str) -> None:
    assert ConsoleProgress().feed(text) is None


def test_a_very_long_unfinished_line_is_not_kept() -> None:
    reader = ConsoleProgress()
    reader.feed("x" * 10_000)
    assert reader.feed("PROGRESS 0.3\n") is None  # still the same long line
    assert reader.feed("PROGRESS 0.4\n") == 0.4


def test_progress_file(tmp_path: Path) -> None:
    assert read_progress_file(tmp_path) is None
    (tmp_path / ".progress").write_text("0.42\n")
    assert read_progress_file(tmp_path) == 0.42
    (tmp_path / ".progress").write_text("PROGRESS 90%")
    assert read_progress_file(tmp_path) == 0.9
    (tmp_path / ".progress").write_text("nearly done")
    assert read_progress_file(tmp_path) is None
    (tmp_path / ".progress").write_text("0.5" + " " * 100)  # too big to be a number
    assert read_progress_file(tmp_path) is None


def test_progress_file_never_follows_a_link_or_blocks_on_a_fifo(tmp_path: Path) -> None:
    secret = tmp_path / "host-file"
    secret.write_text("0.77")
    work = tmp_path / "workspace"
    work.mkdir()
    (work / ".progress").symlink_to(secret)
    assert read_progress_file(work) is None  # the host file is not read through the link
    (work / ".progress").unlink()
    os.mkfifo(work / ".progress")
    assert read_progress_file(work) is None  # returns at once (O_NONBLOCK), no value


def test_time_left_follows_the_pace_so_far() -> None:
    assert remaining_s(0.25, 60.0) == pytest.approx(180.0)
    assert remaining_s(1.0, 60.0) == 0.0
    assert remaining_s(0.001, 60.0) is None  # too early to tell
    assert remaining_s(None, 60.0) is None
    assert remaining_s(0.5, None) is None
