"""Task archives in, result archives out.

A task zip comes from a stranger, so unpacking trusts nothing in it: every name, type and
size is checked against the central directory before a byte is written, sizes are counted
again while streaming (headers can lie), and a refusal leaves the destination empty.

Layout rule: when every entry sits inside ONE top-level folder (what zipping a folder
gives), that folder's contents become the workspace root. Finder's ``__MACOSX/`` side
folder is ignored. The workspace root is where the entry point and ``hivemind.json`` live.

Manifest (optional ``hivemind.json`` at the root, every key optional, unknown keys refused):
``{"image": str, "command": [str] | str, "env": {NAME: str}, "network": bool,
"time_limit_s": int > 0}``. A string command is split like a shell would, run without one.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import stat
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, cast

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say
from hivemind_desktop.core.view_file import ViewFile

MANIFEST_NAME = "hivemind.json"
ENTRY_SCRIPTS = ("main.py", "app.py", "run.py", "start.py")
SHELL_ENTRY = "run.sh"
STATUS_SUCCESS, STATUS_FAILED, STATUS_STOPPED = "Success", "Failed", "Stopped by user"
STATUS_RETURNED = "Stopped by the worker"  # held frozen too long: given back to the pool
# Generated files of the result archive; they win over task files of the same root name.
EXECUTION_LOG, TASK_LOGS, TASK_STOPPED = "execution_log.txt", "task_logs.txt", "task_stopped.txt"

_CHUNK = 1 << 20
_MAX_MANIFEST_BYTES = 64 * 1024
_MAX_NAME_BYTES = 1024
_ZIP_EPOCH = 315_619_200  # 1980-01-02 UTC: zip dates cannot go earlier
_IGNORED_TOP = "__MACOSX"
_SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_BAD_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
_WINDOWS_DEVICE = re.compile(r"(?i)^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IMAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}")  # which images may run: engine
# What a broken or hostile member can raise while being decompressed.
_CORRUPT = (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError, NotImplementedError)
_OPEN_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
)

# Why an archive is refused, as templates (core/i18n.py): the Tasks page and the notices
# show them in the volunteer's language; the log and the node pool keep the English.
NOT_A_ZIP = QT_TRANSLATE_NOOP("Core", "not a valid zip archive (%1): send a .zip file")
ARCHIVE_EMPTY = QT_TRANSLATE_NOOP("Core", "the archive is empty: add your task's files")
TOO_MANY_ENTRIES = QT_TRANSLATE_NOOP("Core", "the archive has %1 entries; at most %2")
OVER_DISK_BUDGET = QT_TRANSLATE_NOOP(
    "Core", "the archive unpacks to %1 bytes; the task disk budget is %2 bytes"
)
ARCHIVE_RATIO = QT_TRANSLATE_NOOP(
    "Core", "the archive compresses %1x overall; at most %2x is accepted (zip bomb?)"
)
NO_FILES = QT_TRANSLATE_NOOP("Core", "the archive holds no files: add your task's files")
ENCRYPTED = QT_TRANSLATE_NOOP(
    "Core", "entry '%1' is encrypted: send the archive without a password"
)
COMPRESSION_METHOD = QT_TRANSLATE_NOOP(
    "Core", "entry '%1' uses compression method %2: re-zip with deflate"
)
SYMLINK = QT_TRANSLATE_NOOP("Core", "entry '%1' is a symbolic link: links are not allowed")
SPECIAL_FILE = QT_TRANSLATE_NOOP("Core", "entry '%1' is a special file (device, fifo or socket)")
ENTRY_TOO_BIG = QT_TRANSLATE_NOOP("Core", "entry '%1' is %2 bytes; at most %3")
ENTRY_RATIO = QT_TRANSLATE_NOOP(
    "Core", "entry '%1' compresses %2x; at most %3x is accepted (zip bomb?)"
)
ABSOLUTE_PATH = QT_TRANSLATE_NOOP("Core", "entry '%1' has an absolute path: use relative paths")
DRIVE_LETTER = QT_TRANSLATE_NOOP(
    "Core", "entry '%1' starts with a drive letter: use relative paths"
)
EMPTY_NAME = QT_TRANSLATE_NOOP("Core", "entry '%1' has an empty name")
CLIMBS_OUT = QT_TRANSLATE_NOOP("Core", "entry '%1' climbs out of the task folder with '..'")
NAME_TOO_LONG = QT_TRANSLATE_NOOP("Core", "entry '%1...' has a name over %2 bytes")
NOT_PORTABLE = QT_TRANSLATE_NOOP(
    "Core",
    "entry '%1' has a name that is not a portable file name "
    '(control characters, <>:"|?*, device names, trailing dot or space)',
)
PART_TOO_LONG = QT_TRANSLATE_NOOP("Core", "entry '%1...' has a path part over 255 bytes")
TWICE = QT_TRANSLATE_NOOP("Core", "entry '%1' appears twice in the archive")
COLLIDE = QT_TRANSLATE_NOOP("Core", "entries '%1' and '%2' collide (same name, ignoring case)")
FILE_AND_FOLDER = QT_TRANSLATE_NOOP("Core", "entry '%1' is both a file and a folder")
MANIFEST_TOO_BIG = QT_TRANSLATE_NOOP("Core", "%1 is over %2 KiB")
MANIFEST_UNREADABLE = QT_TRANSLATE_NOOP("Core", "%1 cannot be read (%2): re-zip the task")
MANIFEST_NOT_JSON = QT_TRANSLATE_NOOP("Core", "%1 is not valid JSON: %2")
MANIFEST_KEY_TWICE = QT_TRANSLATE_NOOP("Core", "%1 sets '%2' twice")
MANIFEST_NOT_OBJECT = QT_TRANSLATE_NOOP("Core", "%1 must hold a JSON object")
MANIFEST_UNKNOWN_KEYS = QT_TRANSLATE_NOOP(
    "Core", "%1 has unknown key(s) %2: allowed are image, command, env, network, time_limit_s"
)
BAD_IMAGE = QT_TRANSLATE_NOOP("Core", "%1: image must be an image name like hivemind/task-python")
COMMAND_SPLIT = QT_TRANSLATE_NOOP("Core", "%1: command cannot be split (%2)")
BAD_COMMAND = QT_TRANSLATE_NOOP(
    "Core", "%1: command must be a non-empty list of strings or a string"
)
BAD_ENV = QT_TRANSLATE_NOOP("Core", "%1: env must be an object of NAME: value strings")
BAD_ENV_NAME = QT_TRANSLATE_NOOP("Core", "%1: env name '%2' must match [A-Za-z_][A-Za-z0-9_]*")
BAD_ENV_VALUE = QT_TRANSLATE_NOOP("Core", "%1: env value of %2 must be a string")
BAD_NETWORK = QT_TRANSLATE_NOOP("Core", "%1: network must be true or false")
BAD_TIME_LIMIT = QT_TRANSLATE_NOOP(
    "Core", "%1: time_limit_s must be a positive whole number of seconds"
)
LANDS_OUTSIDE = QT_TRANSLATE_NOOP("Core", "entry '%1' would land outside the task folder")
CORRUPT_ENTRY = QT_TRANSLATE_NOOP(
    "Core",
    "entry '%1' does not match its declared size or checksum (%2): the archive is corrupt",
)
MORE_THAN_HEADER = QT_TRANSLATE_NOOP(
    "Core", "entry '%1' unpacks to more bytes than its header says"
)
SIZE_MISMATCH = QT_TRANSLATE_NOOP(
    "Core", "entry '%1' unpacks to %2 bytes but its header says %3: the archive is corrupt"
)
NO_ENTRY_POINT = QT_TRANSLATE_NOOP(
    "Core",
    "no entry point: the archive needs main.py, app.py, run.py, start.py or run.sh at its "
    "top level (or a command in %1)",
)


class ArchiveRejected(ValueError):
    """The archive breaks a rule; str(exc) is one line naming it, fit for the task's owner."""


class ResultTooLarge(ValueError):
    """The workspace does not fit in the result size allowed; nothing was kept."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_files: int = 10_000
    max_total_bytes: int = 2 * 2**30  # the per-task disk budget
    max_member_bytes: int = 1 * 2**30
    max_ratio: float = 200.0
    # Ratios are only judged past this size: a few KB of zeros legitimately compress 500x.
    ratio_min_bytes: int = 2**20


@dataclass(frozen=True)
class Manifest:
    image: str | None = None
    command: list[str] | None = None
    env: dict[str, str] = field(default_factory=dict)
    network: bool = False
    time_limit_s: int | None = None


@dataclass
class ExecutionSummary:
    task_id: str
    status: str  # STATUS_SUCCESS | STATUS_FAILED | STATUS_STOPPED | STATUS_RETURNED
    exit_code: int | None
    node_id: str
    started_at: datetime | None  # None: failed before the container started
    finished_at: datetime | None
    reason: str = ""
    isolation: str = ""  # the container runtime that isolated it ("" if none started)

    def __post_init__(self) -> None:
        if self.status not in (STATUS_SUCCESS, STATUS_FAILED, STATUS_STOPPED, STATUS_RETURNED):
            raise ValueError(
                f"unknown status {self.status!r}: use Success, Failed, Stopped by user or "
                "Stopped by the worker"
            )


@dataclass(frozen=True)
class _Member:
    info: zipfile.ZipInfo
    parts: tuple[str, ...]  # relative to the workspace root, already checked
    is_dir: bool
    executable: bool


# ---------------------------------------------------------------------------- unpacking


def unpack_task_archive(
    source: bytes | memoryview | Path, dest: Path, limits: ArchiveLimits = ArchiveLimits()
) -> Manifest:
    """Unpack a task zip into dest (absent or empty) and return its manifest.

    Raises ArchiveRejected naming the broken rule; on any failure dest is left as found.
    """
    dest = Path(dest)
    existed = dest.exists()
    if existed and (not dest.is_dir() or any(dest.iterdir())):
        raise FileExistsError(f"task folder {dest} is not empty: give each task a fresh folder")
    with _open_zip(source) as zf:
        members = _plan(zf.infolist(), limits)
        manifest = _read_manifest(zf, members)
        try:
            dest.mkdir(parents=True, exist_ok=True)
            _extract(zf, members, dest, limits)
        except BaseException:
            _empty(dest, remove=not existed)
            raise
    return manifest


def _open_zip(source: bytes | memoryview | Path) -> zipfile.ZipFile:
    if isinstance(source, memoryview):
        fileobj: IO[bytes] | Path = cast(IO[bytes], ViewFile(source))  # BytesIO would copy
    elif isinstance(source, bytes | bytearray):
        fileobj = io.BytesIO(source)
    else:
        fileobj = Path(source)
        if not fileobj.is_file():
            raise FileNotFoundError(f"task archive {fileobj} does not exist")
    try:
        return zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise ArchiveRejected(say(NOT_A_ZIP, exc)) from None


def _plan(infos: list[zipfile.ZipInfo], limits: ArchiveLimits) -> list[_Member]:
    """Check every entry against the central directory; nothing is written yet."""
    if not infos:
        raise ArchiveRejected(ARCHIVE_EMPTY)
    if len(infos) > limits.max_files:
        raise ArchiveRejected(say(TOO_MANY_ENTRIES, len(infos), limits.max_files))
    total = sum(i.file_size for i in infos)
    if total > limits.max_total_bytes:
        raise ArchiveRejected(say(OVER_DISK_BUDGET, total, limits.max_total_bytes))
    members = [_check_member(info, limits) for info in infos]
    packed = sum(i.compress_size for i in infos)
    if total > limits.ratio_min_bytes and total > limits.max_ratio * max(packed, 1):
        raise ArchiveRejected(
            say(ARCHIVE_RATIO, f"{total / max(packed, 1):.0f}", f"{limits.max_ratio:.0f}")
        )
    members = [m for m in members if m.parts[0] != _IGNORED_TOP]
    if not any(not m.is_dir for m in members):
        raise ArchiveRejected(NO_FILES)
    _check_collisions(members)
    return _strip_single_top(members)


def _check_member(info: zipfile.ZipInfo, limits: ArchiveLimits) -> _Member:
    parts = _safe_parts(info.filename)
    shown = "/".join(parts)
    if info.flag_bits & 0x41:  # 0x01 encrypted, 0x40 strong encryption
        raise ArchiveRejected(say(ENCRYPTED, shown))
    if info.compress_type not in _SUPPORTED_METHODS:
        raise ArchiveRejected(say(COMPRESSION_METHOD, shown, info.compress_type))
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        raise ArchiveRejected(say(SYMLINK, shown))
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise ArchiveRejected(say(SPECIAL_FILE, shown))
    is_dir = kind == stat.S_IFDIR or info.filename.endswith(("/", "\\"))
    if info.file_size > limits.max_member_bytes:
        raise ArchiveRejected(say(ENTRY_TOO_BIG, shown, info.file_size, limits.max_member_bytes))
    size, packed = info.file_size, max(info.compress_size, 1)
    if size > limits.ratio_min_bytes and size > limits.max_ratio * packed:
        raise ArchiveRejected(
            say(ENTRY_RATIO, shown, f"{size / packed:.0f}", f"{limits.max_ratio:.0f}")
        )
    return _Member(info, parts, is_dir, executable=bool(mode & 0o111) and not is_dir)


def _safe_parts(raw: str) -> tuple[str, ...]:
    """Split an entry name into path parts that can only land inside the workspace."""
    shown = _show(raw)
    name = raw.replace("\\", "/")  # some Windows zippers use backslashes as separators
    if name.startswith("/"):
        raise ArchiveRejected(say(ABSOLUTE_PATH, shown))
    if re.match(r"[A-Za-z]:", name):
        raise ArchiveRejected(say(DRIVE_LETTER, shown))
    parts = tuple(p for p in name.split("/") if p not in ("", "."))
    if not parts:
        raise ArchiveRejected(say(EMPTY_NAME, shown))
    if ".." in parts:
        raise ArchiveRejected(say(CLIMBS_OUT, shown))
    if len(name.encode("utf-8", "surrogatepass")) > _MAX_NAME_BYTES:
        raise ArchiveRejected(say(NAME_TOO_LONG, shown[:60], _MAX_NAME_BYTES))
    for part in parts:
        if _BAD_CHARS.search(part) or _WINDOWS_DEVICE.match(part) or part[-1] in ". ":
            raise ArchiveRejected(say(NOT_PORTABLE, shown))
        if len(part.encode("utf-8", "surrogatepass")) > 255:
            raise ArchiveRejected(say(PART_TOO_LONG, shown[:60]))
    return parts


def _show(name: str) -> str:
    """A name made safe for a one-line message: control characters escaped, length capped."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
    return text if len(text) <= 120 else text[:117] + "..."


def _check_collisions(members: list[_Member]) -> None:
    """Refuse names that are, or become on some file system, the same path."""

    def key(parts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(unicodedata.normalize("NFC", p).casefold() for p in parts)

    files: dict[tuple[str, ...], str] = {}
    dirs: set[tuple[str, ...]] = set()
    for m in members:
        k = key(m.parts)
        if m.is_dir:
            dirs.update(k[:n] for n in range(1, len(k) + 1))
            continue
        if k in files and files[k] == "/".join(m.parts):
            raise ArchiveRejected(say(TWICE, files[k]))
        if k in files:
            raise ArchiveRejected(say(COLLIDE, files[k], "/".join(m.parts)))
        files[k] = "/".join(m.parts)
        dirs.update(k[:n] for n in range(1, len(k)))
    for k in files.keys() & dirs:
        raise ArchiveRejected(say(FILE_AND_FOLDER, files[k]))


def _strip_single_top(members: list[_Member]) -> list[_Member]:
    tops = {m.parts[0] for m in members}
    nested = all(len(m.parts) > 1 or m.is_dir for m in members)
    if len(tops) != 1 or not nested:
        return members
    return [
        _Member(m.info, m.parts[1:], m.is_dir, m.executable) for m in members if len(m.parts) > 1
    ]


def _read_manifest(zf: zipfile.ZipFile, members: list[_Member]) -> Manifest:
    found = [m for m in members if m.parts == (MANIFEST_NAME,) and not m.is_dir]
    if not found:
        return Manifest()
    if found[0].info.file_size > _MAX_MANIFEST_BYTES:
        raise ArchiveRejected(say(MANIFEST_TOO_BIG, MANIFEST_NAME, _MAX_MANIFEST_BYTES // 1024))
    try:
        with zf.open(found[0].info) as f:
            raw = f.read(_MAX_MANIFEST_BYTES + 1)
    except _CORRUPT as exc:
        raise ArchiveRejected(say(MANIFEST_UNREADABLE, MANIFEST_NAME, exc)) from None
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveRejected(say(MANIFEST_NOT_JSON, MANIFEST_NAME, exc)) from None
    return parse_manifest(data)


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [k for k, _ in pairs]
    for k in {k for k in keys if keys.count(k) > 1}:
        raise ArchiveRejected(say(MANIFEST_KEY_TWICE, MANIFEST_NAME, _show(k)))
    return dict(pairs)


def parse_manifest(data: object) -> Manifest:
    """Validate a decoded hivemind.json strictly: unknown keys and loose types are refused.

    A key set to null means its default, as if it were absent.
    """
    where = MANIFEST_NAME
    if not isinstance(data, dict):
        raise ArchiveRejected(say(MANIFEST_NOT_OBJECT, where))
    unknown = sorted(set(data) - {"image", "command", "env", "network", "time_limit_s"})
    if unknown:
        raise ArchiveRejected(say(MANIFEST_UNKNOWN_KEYS, where, _show(", ".join(unknown))))
    data = {k: v for k, v in data.items() if v is not None}
    image = data.get("image")
    if image is not None and not (isinstance(image, str) and _IMAGE.fullmatch(image)):
        raise ArchiveRejected(say(BAD_IMAGE, where))
    command = data.get("command")
    if isinstance(command, str):  # split like a shell would, but run without one
        try:
            command = shlex.split(command)
        except ValueError as exc:
            raise ArchiveRejected(say(COMMAND_SPLIT, where, exc)) from None
    if command is not None and (
        not isinstance(command, list)
        or not command
        or not all(isinstance(a, str) and "\0" not in a for a in command)
    ):
        raise ArchiveRejected(say(BAD_COMMAND, where))
    env = data.get("env", {})
    if not isinstance(env, dict):
        raise ArchiveRejected(say(BAD_ENV, where))
    for name, value in env.items():
        if not _ENV_NAME.fullmatch(name):
            shown = _show(name)
            raise ArchiveRejected(say(BAD_ENV_NAME, where, shown))
        if not isinstance(value, str) or "\0" in value:
            raise ArchiveRejected(say(BAD_ENV_VALUE, where, name))
    network = data.get("network", False)
    if not isinstance(network, bool):
        raise ArchiveRejected(say(BAD_NETWORK, where))
    limit = data.get("time_limit_s")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0):
        raise ArchiveRejected(say(BAD_TIME_LIMIT, where))
    return Manifest(image, command, dict(env), network, limit)


def _extract(
    zf: zipfile.ZipFile, members: list[_Member], dest: Path, limits: ArchiveLimits
) -> None:
    root = dest.resolve()
    total = 0
    for m in members:
        target = root.joinpath(*m.parts)
        if not target.resolve().is_relative_to(root):  # belt and braces: names are checked
            raise ArchiveRejected(say(LANDS_OUTSIDE, m.info.filename))
        if m.is_dir:
            target.mkdir(mode=0o755, parents=True, exist_ok=True)
            continue
        target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        total += _stream_member(zf, m, target, limits, limits.max_total_bytes - total)
        os.chmod(target, 0o755 if m.executable else 0o644)


def _stream_member(
    zf: zipfile.ZipFile, m: _Member, target: Path, limits: ArchiveLimits, budget: int
) -> int:
    """Copy one member in chunks, counting real bytes rather than believing the header."""
    shown, declared = "/".join(m.parts), m.info.file_size
    written = 0
    with zf.open(m.info) as src, os.fdopen(os.open(target, _OPEN_FLAGS, 0o600), "wb") as out:
        while True:
            try:
                chunk = src.read(_CHUNK)
            except _CORRUPT as exc:
                raise ArchiveRejected(say(CORRUPT_ENTRY, shown, exc)) from None
            if not chunk:
                break
            written += len(chunk)
            if written > declared or written > limits.max_member_bytes or written > budget:
                raise ArchiveRejected(say(MORE_THAN_HEADER, shown))
            out.write(chunk)
    if written != declared:
        raise ArchiveRejected(say(SIZE_MISMATCH, shown, written, declared))
    return written


def _empty(dest: Path, remove: bool) -> None:
    if remove:
        shutil.rmtree(dest, ignore_errors=True)
        return
    for child in dest.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


# ---------------------------------------------------------------------------- running


def entry_command(workspace: Path, manifest: Manifest) -> list[str]:
    """The command run in the container, working dir = workspace (protocol.md section 6)."""
    if manifest.command:
        return list(manifest.command)
    # Exact names from the directory listing: a case-insensitive host must not match Main.py.
    names = {p.name for p in Path(workspace).iterdir() if p.is_file() and not p.is_symlink()}
    for name in ENTRY_SCRIPTS:
        if name in names:
            return ["python3", name]
    if SHELL_ENTRY in names:
        return ["sh", SHELL_ENTRY]
    raise ArchiveRejected(say(NO_ENTRY_POINT, MANIFEST_NAME))


# ---------------------------------------------------------------------------- results


def build_result_archive(
    workspace: Path,
    dest_zip: Path,
    summary: ExecutionSummary,
    console_output: str,
    *,
    max_bytes: int | None = None,
    consume: bool = False,
) -> Path:
    """Zip the workspace after the run plus the generated logs; returns dest_zip.

    Symlinks and special files the task left are skipped (never followed) and listed in
    execution_log.txt. A missing workspace (the task failed before unpacking) gives a zip of
    the logs alone. The zip is built next to dest_zip and moved into place when whole.
    With `consume`, each file is deleted once it is in the zip, so the disk never holds the
    workspace twice; past `max_bytes` of zip, ResultTooLarge is raised and nothing is kept.
    """
    workspace, dest_zip = Path(workspace), Path(dest_zip)
    if dest_zip.resolve().is_relative_to(workspace.resolve()):
        raise ValueError(f"result zip {dest_zip} must not be inside the workspace it archives")
    reserved = {EXECUTION_LOG, TASK_LOGS, TASK_STOPPED}
    partial = dest_zip.with_name(dest_zip.name + ".partial")
    skipped: list[str] = []
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, strict_timestamps=False) as zf:
            walk = os.walk(
                workspace, onerror=lambda e: skipped.append(f"{e.filename} (unreadable)")
            )
            for dirpath, dirnames, filenames in walk:  # os.walk never descends into links
                base = Path(dirpath)
                rel_dir = base.relative_to(workspace)
                for name in sorted(dirnames):
                    rel = (rel_dir / name).as_posix()
                    why = "symbolic link" if (base / name).is_symlink() else _unencodable(rel)
                    if why:
                        dirnames.remove(name)
                        skipped.append(f"{rel} ({why})")
                    else:
                        zf.mkdir(rel)
                for name in sorted(filenames):
                    rel = (rel_dir / name).as_posix()
                    if rel in reserved:
                        continue
                    why = _add_file(zf, base / name, rel)
                    if why:
                        skipped.append(f"{rel} ({why})")
                    elif consume:
                        (base / name).unlink()
                    if max_bytes is not None and zf.fp is not None and zf.fp.tell() > max_bytes:
                        raise ResultTooLarge(f"the result is larger than {max_bytes // 2**20} MiB")
            zf.writestr(EXECUTION_LOG, _execution_log(summary, skipped).encode("utf-8", "replace"))
            zf.writestr(TASK_LOGS, console_output.encode("utf-8", "replace"))
            if summary.status == STATUS_STOPPED:
                when = _iso(summary.finished_at)
                zf.writestr(
                    TASK_STOPPED, f"Task {summary.task_id} was stopped by user at {when}.\n"
                )
        os.replace(partial, dest_zip)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return dest_zip


def _add_file(zf: zipfile.ZipFile, path: Path, arcname: str) -> str:
    """Stream one workspace file into the zip; returns why it was skipped, or ''."""
    if _unencodable(arcname):
        return _unencodable(arcname)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # before open: a fifo would block
            return "symbolic link" if path.is_symlink() else "not a regular file"
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    with os.fdopen(fd, "rb") as src:
        st = os.fstat(src.fileno())
        if not stat.S_ISREG(st.st_mode):
            return "not a regular file"
        stamp = time.localtime(max(st.st_mtime, _ZIP_EPOCH))[:6]
        info = zipfile.ZipInfo(arcname, date_time=stamp)
        info.external_attr = (stat.S_IFREG | (0o755 if st.st_mode & 0o100 else 0o644)) << 16
        info.compress_type, info.file_size = zipfile.ZIP_DEFLATED, st.st_size
        with zf.open(info, "w") as out:
            shutil.copyfileobj(src, out, _CHUNK)
    return ""


def _unencodable(name: str) -> str:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "name is not valid UTF-8"
    return ""


def _utc(moment: datetime) -> datetime:
    # Naive times in this code base are UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str:
    return "-" if moment is None else _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _execution_log(s: ExecutionSummary, skipped: list[str]) -> str:
    duration = "-"
    if s.started_at and s.finished_at:
        seconds = (_utc(s.finished_at) - _utc(s.started_at)).total_seconds()
        duration = f"{seconds:.1f} s"
    lines = [
        f"task id: {s.task_id}",
        f"status: {s.status}",
        f"exit code: {'-' if s.exit_code is None else s.exit_code}",
        f"node: {s.node_id}",
        f"started: {_iso(s.started_at)}",
        f"finished: {_iso(s.finished_at)}",
        f"duration: {duration}",
        f"reason: {s.reason or '-'}",
    ]
    if s.isolation:
        lines.append(f"isolation: {s.isolation}")
    if skipped:
        lines.append(f"not archived from the workspace ({len(skipped)}):")
        lines += [f"  {entry}" for entry in skipped[:50]]
    return "\n".join(lines) + "\n"
