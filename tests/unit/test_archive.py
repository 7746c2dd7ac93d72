"""Task archive unpacking, the run convention, manifests and result archives.

Hostile archives are built here with zipfile (and byte patches where zipfile refuses to
write a lie). Every refusal is checked for its message, for an empty task folder and for
nothing written next to it.
"""

from __future__ import annotations

import io
import json
import os
import stat
import struct
import tempfile
import warnings
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hivemind_desktop.core.archive import (
    ArchiveLimits,
    ArchiveRejected,
    ExecutionSummary,
    Manifest,
    ResultTooLarge,
    build_result_archive,
    entry_command,
    unpack_task_archive,
)

Entry = tuple  # (name, data) or (name, data, unix mode)


def craft_zip(entries: list[Entry], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """An archive as an attacker would write it: duplicate names, unix modes, any method."""
    buf = io.BytesIO()
    with warnings.catch_warnings():  # duplicate names are the point of some tests
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buf, "w", method) as zf:
            for name, data, *mode in entries:
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = method
                if mode:
                    info.external_attr = mode[0] << 16
                zf.writestr(info, data)
    return buf.getvalue()


def patch_headers(blob: bytes, **fields: int) -> bytes:
    """Rewrite fields of the first member in both its local and central header."""
    data = bytearray(blob)
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    offsets = {  # (local offset, central offset, struct format)
        "flags": (6, 8, "<H"),
        "method": (8, 10, "<H"),
        "compressed": (18, 20, "<I"),
        "size": (22, 24, "<I"),
    }
    for name, value in fields.items():
        lo, co, fmt = offsets[name]
        struct.pack_into(fmt, data, local + lo, value)
        struct.pack_into(fmt, data, central + co, value)
    return bytes(data)


@pytest.fixture
def box(tmp_path: Path) -> Path:
    """The parent of the task folder: nothing may ever appear here but the task folder."""
    parent = tmp_path / "box"
    parent.mkdir()
    return parent


def refused(blob: bytes | Path, box: Path, limits: ArchiveLimits | None = None) -> str:
    dest = box / "task"
    with pytest.raises(ArchiveRejected) as caught:
        unpack_task_archive(blob, dest, limits or ArchiveLimits())
    assert os.listdir(box) == [], "a refused archive left something behind"
    message = str(caught.value)
    assert "\n" not in message
    return message


MAIN = ("main.py", b"print('hi')\n")
ZEROS_50MB = 50 * 2**20


def bomb_zip() -> bytes:
    """One member of 50 MB of zeros (about 1000x), streamed so the test stays light."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(*MAIN)
        with zf.open("zeros.bin", "w") as out:
            block = bytes(2**20)
            for _ in range(ZEROS_50MB // len(block)):
                out.write(block)
    return buf.getvalue()


# ---------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ([MAIN, ("../x", b"evil")], "climbs out of the task folder"),
        ([MAIN, ("a/../../x", b"evil")], "climbs out of the task folder"),
        ([MAIN, ("..\\..\\x", b"evil")], "climbs out of the task folder"),
        ([MAIN, ("C:\\x", b"evil")], "starts with a drive letter"),
        ([MAIN, ("c:/windows/x", b"evil")], "starts with a drive letter"),
        ([MAIN, ("\\x", b"evil")], "has an absolute path"),
        ([MAIN, ("/etc/x", b"evil")], "has an absolute path"),
        ([MAIN, ("link", b"../../etc/passwd", stat.S_IFLNK | 0o777)], "is a symbolic link"),
        ([MAIN, ("dev/tty", b"", stat.S_IFCHR | 0o666)], "is a special file"),
        ([MAIN, ("disk", b"", stat.S_IFBLK | 0o666)], "is a special file"),
        ([MAIN, ("pipe", b"", stat.S_IFIFO | 0o644)], "is a special file"),
        ([MAIN, ("sock", b"", stat.S_IFSOCK | 0o644)], "is a special file"),
        ([MAIN, ("main.py", b"again")], "entry 'main.py' appears twice"),
        ([MAIN, ("Main.py", b"other")], "collide (same name, ignoring case)"),
        ([MAIN, ("a", b"file"), ("a/b", b"inside")], "is both a file and a folder"),
        ([MAIN, ("a/b/", b""), ("a", b"file")], "is both a file and a folder"),
        ([MAIN, ("a/con.txt", b"x")], "not a portable file name"),
        ([MAIN, ("bad\nname", b"x")], "not a portable file name"),
        ([MAIN, ("dots ", b"x")], "not a portable file name"),
        ([MAIN, ("d/" + "x" * 300, b"x")], "path part over 255 bytes"),
        ([("only/", b""), ("dirs/", b"")], "holds no files"),
        ([], "the archive is empty"),
    ],
)
def test_hostile_entries_are_refused(box: Path, entries: list[Entry], reason: str) -> None:
    assert reason in refused(craft_zip(entries), box)


def test_absolute_path_aimed_at_the_parent_folder_writes_nothing(box: Path) -> None:
    target = box / "abs_evil"
    message = refused(craft_zip([MAIN, (str(target), b"evil")]), box)
    assert "absolute path" in message
    assert not target.exists()


@pytest.mark.parametrize(
    ("blob", "reason"),
    [
        (b"", "not a valid zip archive"),
        (b"this is not a zip at all", "not a valid zip archive"),
        (craft_zip([MAIN, ("b.txt", b"x" * 5000)])[:60], "not a valid zip archive"),
        (patch_headers(craft_zip([MAIN]), flags=0x1), "is encrypted"),
        (patch_headers(craft_zip([MAIN]), method=9), "compression method 9"),
    ],
)
def test_malformed_archives_are_refused(box: Path, blob: bytes, reason: str) -> None:
    assert reason in refused(blob, box)


def test_corrupt_member_data_is_refused_and_partial_output_removed(box: Path) -> None:
    payload = os.urandom(300_000)  # incompressible: the member data is long enough to damage
    blob = bytearray(craft_zip([("main.py", payload), ("z.txt", b"tail")]))
    blob[200_000] ^= 0xFF
    assert "the archive is corrupt" in refused(bytes(blob), box)


@pytest.mark.parametrize(
    ("declared", "reason"),
    [(10, "does not match its declared size or checksum"), (6_000_000, "but its header says")],
)
def test_member_sizes_that_lie_in_the_headers_are_refused(
    box: Path, declared: int, reason: str
) -> None:
    blob = patch_headers(craft_zip([("main.py", b"\0" * 5_000_000)]), size=declared)
    assert reason in refused(blob, box, ArchiveLimits(max_ratio=1e9))


def test_zip_bomb_member_is_refused(box: Path) -> None:
    message = refused(bomb_zip(), box)
    assert message.startswith("entry 'zeros.bin' compresses ")
    assert message.endswith("x; at most 200x is accepted (zip bomb?)")


def test_many_small_members_that_bomb_together_are_refused(box: Path) -> None:
    zeros = bytes(900 * 1024)  # each under the 1 MiB floor for per-member ratios
    blob = craft_zip([MAIN] + [(f"z{i}.bin", zeros) for i in range(20)])
    assert "overall; at most 200x" in refused(blob, box)


def test_limits_on_count_total_and_member_size(box: Path) -> None:
    six = craft_zip([(f"f{i}.py", b"x") for i in range(6)])
    assert "has 6 entries; at most 5" in refused(six, box, ArchiveLimits(max_files=5))
    two = craft_zip([("main.py", b"a" * 600), ("b.py", b"b" * 600)])
    limits = ArchiveLimits(max_total_bytes=1000)
    assert "unpacks to 1200 bytes; the task disk budget is 1000" in refused(two, box, limits)
    limits = ArchiveLimits(max_member_bytes=500)
    assert "entry 'main.py' is 600 bytes; at most 500" in refused(two, box, limits)


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [
        ("not json", "hivemind.json is not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ({"imgae": "x"}, "unknown key(s) imgae: allowed are image, command"),
        ('{"image": "a", "image": "b"}', "hivemind.json sets 'image' twice"),
        ({"image": ""}, "image must be an image name like hivemind/task-python"),
        ({"image": "two words"}, "image must be an image name like hivemind/task-python"),
        ({"image": 3}, "image must be an image name like hivemind/task-python"),
        ({"command": 5}, "command must be a non-empty list of strings"),
        ({"command": []}, "command must be a non-empty list of strings"),
        ({"command": ["python3", 1]}, "command must be a non-empty list of strings"),
        ({"command": "echo 'unbalanced"}, "command cannot be split"),
        ({"env": []}, "env must be an object"),
        ({"env": {"1BAD": "x"}}, "env name '1BAD' must match"),
        ({"env": {"A-B": "x"}}, "env name 'A-B' must match"),
        ({"env": {"A": 1}}, "env value of A must be a string"),
        ({"network": "yes"}, "network must be true or false"),
        ({"network": 1}, "network must be true or false"),
        ({"time_limit_s": 0}, "time_limit_s must be a positive whole number"),
        ({"time_limit_s": -5}, "time_limit_s must be a positive whole number"),
        ({"time_limit_s": 1.5}, "time_limit_s must be a positive whole number"),
        ({"time_limit_s": True}, "time_limit_s must be a positive whole number"),
        ({"time_limit_s": "60"}, "time_limit_s must be a positive whole number"),
        ({"env": {"PAD": "x" * 70_000}}, "hivemind.json is over 64 KiB"),
    ],
)
def test_bad_manifests_are_refused(box: Path, manifest: object, reason: str) -> None:
    text = manifest if isinstance(manifest, str) else json.dumps(manifest)
    assert reason in refused(craft_zip([MAIN, ("hivemind.json", text)]), box)


def test_existing_empty_task_folder_stays_and_stays_empty(box: Path) -> None:
    dest = box / "task"
    dest.mkdir()
    blob = bytearray(craft_zip([("a.py", b"fine"), ("main.py", os.urandom(100_000))]))
    blob[60_000] ^= 0xFF  # a.py is written, then main.py fails
    with pytest.raises(ArchiveRejected, match="corrupt"):
        unpack_task_archive(bytes(blob), dest, ArchiveLimits())
    assert os.listdir(box) == ["task"]
    assert os.listdir(dest) == []


def test_non_empty_task_folder_is_refused_untouched(box: Path) -> None:
    dest = box / "task"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="is not empty"):
        unpack_task_archive(craft_zip([MAIN]), dest, ArchiveLimits())
    assert os.listdir(dest) == ["keep.txt"]


# ---------------------------------------------------------------------------- good archives


def unpack(entries: list[Entry], box: Path, **kw: object) -> tuple[Path, Manifest]:
    dest = box / "task"
    manifest = unpack_task_archive(craft_zip(entries, **kw), dest, ArchiveLimits())
    return dest, manifest


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_nested_archive_unpacks_with_contents_and_default_manifest(box: Path) -> None:
    entries = [MAIN, ("data/", b""), ("data/input.txt", b"1 2 3"), ("a/b/c/d.txt", b"deep")]
    dest, manifest = unpack(entries, box)
    assert tree(dest) == {
        "main.py": MAIN[1],
        "data/input.txt": b"1 2 3",
        "a/b/c/d.txt": b"deep",
    }
    assert manifest == Manifest(image=None, command=None, env={}, network=False, time_limit_s=None)
    assert entry_command(dest, manifest) == ["python3", "main.py"]


def test_stored_and_backslash_separated_archives_unpack(box: Path) -> None:
    dest, _ = unpack([MAIN, ("dir\\file.txt", b"win")], box, method=zipfile.ZIP_STORED)
    assert tree(dest) == {"main.py": MAIN[1], "dir/file.txt": b"win"}


def test_single_top_folder_becomes_the_root(box: Path) -> None:
    entries = [
        ("proj/", b""),
        ("proj/main.py", b"print(1)"),
        ("proj/lib/x.py", b"X = 1"),
        ("__MACOSX/proj/._main.py", b"finder junk"),
    ]
    dest, manifest = unpack(entries, box)
    assert tree(dest) == {"main.py": b"print(1)", "lib/x.py": b"X = 1"}
    assert entry_command(dest, manifest) == ["python3", "main.py"]


def test_top_level_file_beside_a_folder_keeps_the_layout(box: Path) -> None:
    dest, manifest = unpack([("README", b"r"), ("src/main.py", b"")], box)
    assert sorted(tree(dest)) == ["README", "src/main.py"]
    with pytest.raises(ArchiveRejected) as caught:
        entry_command(dest, manifest)
    assert str(caught.value) == (
        "no entry point: the archive needs main.py, app.py, run.py, start.py or run.sh at its "
        "top level (or a command in hivemind.json)"
    )


@pytest.mark.parametrize(
    ("names", "command"),
    [
        (["start.py", "run.py", "app.py", "main.py", "run.sh"], ["python3", "main.py"]),
        (["start.py", "app.py", "run.sh"], ["python3", "app.py"]),
        (["start.py", "run.py"], ["python3", "run.py"]),
        (["start.py", "run.sh"], ["python3", "start.py"]),
        (["proj/run.sh"], ["sh", "run.sh"]),
    ],
)
def test_entry_point_order(box: Path, names: list[str], command: list[str]) -> None:
    dest, manifest = unpack([(n, b"") for n in names], box)
    assert entry_command(dest, manifest) == command


def test_entry_point_names_are_exact(box: Path) -> None:
    dest, manifest = unpack([("Main.py", b""), ("lib/main.py", b"")], box)
    with pytest.raises(ArchiveRejected, match="^no entry point"):
        entry_command(dest, manifest)


def test_manifest_is_parsed_and_its_command_wins(box: Path) -> None:
    doc = {
        "image": "hivemind/task-busybox:latest",
        "command": "python3 -u job.py --label 'two words'",
        "env": {"MODE": "fast", "_X1": ""},
        "network": True,
        "time_limit_s": 60,
    }
    dest, manifest = unpack([MAIN, ("job.py", b""), ("hivemind.json", json.dumps(doc))], box)
    assert manifest == Manifest(
        image="hivemind/task-busybox:latest",
        command=["python3", "-u", "job.py", "--label", "two words"],
        env={"MODE": "fast", "_X1": ""},
        network=True,
        time_limit_s=60,
    )
    assert entry_command(dest, manifest) == ["python3", "-u", "job.py", "--label", "two words"]
    listed = Manifest(command=["sh", "-c", "echo hi"])
    assert entry_command(dest, listed) == ["sh", "-c", "echo hi"]


def test_manifest_nulls_mean_defaults(box: Path) -> None:
    doc = dict.fromkeys(["image", "command", "env", "network", "time_limit_s"])
    _, manifest = unpack([MAIN, ("hivemind.json", json.dumps(doc))], box)
    assert manifest == Manifest()


def test_manifest_inside_single_top_folder_counts(box: Path) -> None:
    doc = json.dumps({"command": ["sh", "go.sh"]})
    dest, manifest = unpack([("p/go.sh", b"echo"), ("p/hivemind.json", doc)], box)
    assert entry_command(dest, manifest) == ["sh", "go.sh"]


def test_modes_never_carry_setuid_and_exec_only_when_asked(box: Path) -> None:
    entries = [
        MAIN,
        ("suid.sh", b"", stat.S_IFREG | 0o4777),
        ("plain.txt", b"", stat.S_IFREG | 0o666),
        ("sticky.txt", b"", stat.S_IFREG | 0o1600),
        ("windows.txt", b""),  # no unix mode at all
    ]
    dest, _ = unpack(entries, box)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in dest.iterdir()}
    assert modes == {
        "main.py": 0o644,
        "suid.sh": 0o755,
        "plain.txt": 0o644,
        "sticky.txt": 0o644,
        "windows.txt": 0o644,
    }


def test_path_source_and_small_zero_files_are_fine(box: Path, tmp_path: Path) -> None:
    archive = tmp_path / "task.zip"
    archive.write_bytes(craft_zip([MAIN, ("zeros.bin", bytes(100_000))]))  # ~500x but tiny
    dest = box / "task"
    unpack_task_archive(archive, dest, ArchiveLimits())
    assert (dest / "zeros.bin").read_bytes() == bytes(100_000)


def test_path_source_bomb_is_refused(box: Path, tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(bomb_zip())
    assert "zip bomb" in refused(archive, box)


# ---------------------------------------------------------------------------- random names


PLAIN = st.text("abcé_-", min_size=1, max_size=5)
SEGMENT = st.one_of(
    PLAIN,
    PLAIN,
    PLAIN,
    st.sampled_from(["..", ".", "", "CON", "C:", "a.", "b ", "\n", "x\x00y", "~"]),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=4),
)
NAME = st.builds(
    lambda lead, parts, sep: lead + sep.join(parts),
    st.sampled_from(["", "", "", "/", "\\", "../", "C:\\"]),
    st.lists(SEGMENT, min_size=1, max_size=4),
    st.sampled_from(["/", "/", "\\"]),
)
NAMES = st.lists(NAME, min_size=1, max_size=5)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=NAMES)
def test_random_names_never_land_outside_dest(tmp_path: Path, names: list[str]) -> None:
    parent = Path(tempfile.mkdtemp(dir=tmp_path))
    dest = parent / "task"
    blob = craft_zip([(name, b"payload") for name in names])
    try:
        unpack_task_archive(blob, dest, ArchiveLimits())
    except ArchiveRejected as exc:
        assert "\n" not in str(exc)
        assert os.listdir(parent) == []
        return
    assert os.listdir(parent) == ["task"]
    root = dest.resolve()
    for path in dest.rglob("*"):
        assert path.resolve().is_relative_to(root)
        assert not path.is_symlink()


# ---------------------------------------------------------------------------- results


START = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone(timedelta(hours=2)))


def summary(status: str, **kw: object) -> ExecutionSummary:
    fields = {
        "task_id": "t-42",
        "status": status,
        "exit_code": 137,
        "node_id": "alice",
        "started_at": START,
        "finished_at": START + timedelta(seconds=90.5),
        "reason": "stopped from the node pool",
    }
    fields.update(kw)
    return ExecutionSummary(**fields)  # type: ignore[arg-type]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "out" / "deep").mkdir(parents=True)
    (ws / "empty").mkdir()
    (ws / "main.py").write_text("print('hi')")
    (ws / "out" / "deep" / "result.csv").write_text("a,b\n1,2\n")
    (ws / "out" / "execution_log.txt").write_text("the task's own file, not at the root")
    tool = ws / "tool.sh"
    tool.write_text("echo")
    tool.chmod(0o755)
    (ws / "execution_log.txt").write_text("FORGED LOG")
    (ws / "task_stopped.txt").write_text("FORGED STOP")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.txt").write_text("TOP SECRET")
    (ws / "link_to_file").symlink_to(secret / "key.txt")
    (ws / "link_to_dir").symlink_to(secret)
    os.mkfifo(ws / "pipe")
    return ws


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


def test_result_archive_of_a_stopped_task(workspace: Path, tmp_path: Path) -> None:
    dest = tmp_path / "result.zip"
    out = build_result_archive(workspace, dest, summary("Stopped by user"), "line 1\nline 2\n")
    assert out == dest
    files = read_zip(dest)
    assert sorted(files) == [
        "execution_log.txt",
        "main.py",
        "out/deep/result.csv",
        "out/execution_log.txt",
        "task_logs.txt",
        "task_stopped.txt",
        "tool.sh",
    ]
    assert files["out/deep/result.csv"] == b"a,b\n1,2\n"
    assert files["out/execution_log.txt"] == b"the task's own file, not at the root"
    assert files["task_logs.txt"] == b"line 1\nline 2\n"
    assert files["task_stopped.txt"] == b"Task t-42 was stopped by user at 2024-05-01T10:01:30Z.\n"
    log = files["execution_log.txt"].decode()
    assert log.startswith(
        "task id: t-42\nstatus: Stopped by user\nexit code: 137\nnode: alice\n"
        "started: 2024-05-01T10:00:00Z\nfinished: 2024-05-01T10:01:30Z\nduration: 90.5 s\n"
        "reason: stopped from the node pool\n"
    )
    assert "link_to_file (symbolic link)" in log and "pipe (not a regular file)" in log
    assert all(b"TOP SECRET" not in data for data in files.values())
    with zipfile.ZipFile(dest) as zf:
        names = zf.namelist()
        assert "empty/" in names and not any(n.startswith("link_to_dir") for n in names)
        assert stat.S_IMODE(zf.getinfo("tool.sh").external_attr >> 16) == 0o755
        assert stat.S_IMODE(zf.getinfo("main.py").external_attr >> 16) == 0o644
    assert not (tmp_path / "result.zip.partial").exists()


def test_result_archive_of_a_successful_task(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "task_stopped.txt").write_text("a task cannot claim it was stopped")
    (ws / "task_logs.txt").write_text("FORGED")
    naive_start = datetime(2024, 1, 1, 0, 0, 0)
    done = summary("Success", exit_code=0, reason="", started_at=naive_start, finished_at=None)
    files = read_zip(build_result_archive(ws, tmp_path / "r.zip", done, "ok ✓\udcff"))
    assert sorted(files) == ["execution_log.txt", "task_logs.txt"]
    assert files["task_logs.txt"] == "ok ✓?".encode()
    log = files["execution_log.txt"].decode()
    assert "status: Success\nexit code: 0\n" in log
    assert "started: 2024-01-01T00:00:00Z\nfinished: -\nduration: -\nreason: -\n" in log


def test_result_archive_without_workspace_and_with_odd_names(tmp_path: Path) -> None:
    failed = summary("Failed", exit_code=None, started_at=None, finished_at=None, reason="bad")
    files = read_zip(build_result_archive(tmp_path / "never", tmp_path / "a.zip", failed, ""))
    assert sorted(files) == ["execution_log.txt", "task_logs.txt"]
    assert "exit code: -\n" in files["execution_log.txt"].decode()
    ws = tmp_path / "ws"
    ws.mkdir()
    os.close(os.open(os.fsencode(ws) + b"/bad\xffname", os.O_CREAT | os.O_WRONLY))
    os.mkdir(os.fsencode(ws) + b"/dir\xff")
    (ws / "ok.txt").write_text("ok")
    files = read_zip(build_result_archive(ws, tmp_path / "b.zip", failed, ""))
    assert sorted(files) == ["execution_log.txt", "ok.txt", "task_logs.txt"]
    log = files["execution_log.txt"].decode()
    assert "not archived from the workspace (2):" in log
    assert log.count("(name is not valid UTF-8)") == 2


def test_result_zip_inside_the_workspace_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must not be inside the workspace"):
        build_result_archive(tmp_path, tmp_path / "r.zip", summary("Failed"), "")
    assert not (tmp_path / "r.zip").exists()


def test_unknown_status_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown status 'Done'"):
        summary("Done")
    assert summary("Failed", started_at=datetime.now(UTC)).status == "Failed"


def test_result_archive_consumes_the_workspace_and_stops_at_its_limit(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    for n in range(4):
        (workspace / f"part{n}.bin").write_bytes(os.urandom(4 << 20))  # incompressible
    now = datetime.now(UTC)
    summary = ExecutionSummary("t", "Success", 0, "node", now, now, "")
    too_small = tmp_path / "small.zip"
    with pytest.raises(ResultTooLarge):
        build_result_archive(workspace, too_small, summary, "", max_bytes=1 << 20)
    assert not too_small.exists()
    assert not list(tmp_path.glob("*.partial"))

    dest = tmp_path / "result.zip"
    build_result_archive(workspace, dest, summary, "log", max_bytes=64 << 20, consume=True)
    assert not list(workspace.iterdir())  # each file went once it was in the zip
    with zipfile.ZipFile(dest) as zf:
        assert sorted(n for n in zf.namelist() if n.startswith("part")) == [
            f"part{n}.bin" for n in range(4)
        ]
