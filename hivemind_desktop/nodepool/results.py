"""What a result archive says about its run.

The wire protocol has no status for a result (protocol.md §8: the deployed pool marks
every result COMPLETED); the worker writes how the run ended into `execution_log.txt`
inside the zip ("status: Success / Failed / Stopped by user", "reason: ..."). The local
pool reads it so that a failed or out-of-memory task is recorded FAILED and not paid for.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

EXECUTION_LOG = "execution_log.txt"
SUCCESS = "success"
_LOG_READ_LIMIT = 64 * 1024  # the log is a dozen lines; never inflate more than this
_STATUS_LINE = re.compile(r"^\s*status\s*[:=]\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_REASON_LINE = re.compile(r"^\s*reason\s*[:=]\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_REASON_MAX = 300


@dataclass(frozen=True)
class RunOutcome:
    status: str  # as the worker wrote it: "Success", "Failed", "Stopped by user"; "" unknown
    reason: str  # one printable line, "" when none was given

    @property
    def failed(self) -> bool:
        """Only a stated non-success counts: a result without a readable log is taken
        as completed, as the deployed pool does (other workers may not write one)."""
        return bool(self.status) and self.status.lower() != SUCCESS

    @property
    def stopped(self) -> bool:
        """Stopped on the worker (its volunteer, or the worker shutting down)."""
        return self.status.lower().startswith("stopped")

    def describe(self) -> str:
        """The pool's task message for a run that did not succeed."""
        what = "stopped on the worker" if self.stopped else "failed on the worker"
        return f"{what}: {self.reason}" if self.reason else what


def run_status_of(execution_log: str) -> str:
    match = _STATUS_LINE.search(execution_log)
    return _clean(match.group(1)) if match else ""


def outcome_of_log(execution_log: str) -> RunOutcome:
    reason = _REASON_LINE.search(execution_log)
    text = _clean(reason.group(1)) if reason else ""
    return RunOutcome(run_status_of(execution_log), "" if text == "-" else text)


def outcome_of_zip(result_zip: bytes) -> RunOutcome:
    """The run's outcome from the result's execution_log.txt; unknown when unreadable."""
    try:
        with zipfile.ZipFile(io.BytesIO(result_zip)) as zf:
            with zf.open(EXECUTION_LOG) as log:
                text = log.read(_LOG_READ_LIMIT).decode("utf-8", errors="replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return RunOutcome("", "")  # RuntimeError: an encrypted or oddly compressed member
    return outcome_of_log(text)


def _clean(text: str) -> str:
    """One printable line of bounded length: it ends up in task lists and terminals."""
    return _UNPRINTABLE.sub(" ", text).strip()[:_REASON_MAX]
