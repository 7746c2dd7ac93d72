"""The task area: a size-limited file system for all task files together (Linux, root).

Each task's files live in `<data_dir>/tasks/<task_id>/`. The disk guard holds each task to
its budget by polling, which overshoots by a few MiB; nothing limits the tasks together.
Root can, once: a sparse ext4 image, loop-mounted at `<data_dir>/tasks`, sized by the
volunteer. The kernel then refuses (ENOSPC) every write past that size, so task files can
never take more of the volunteer's disk than they lent, whatever the tasks do.

The image lives in IMAGE_DIR (root-only, 0700), not in the data folder: the data folder
belongs to the volunteer's account, which could replace an image kept there by a crafted
file system that root then mounts at boot. Every path under the data folder is treated
as the account's: opened without following links, mounted through an open descriptor.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pwd
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from hivemind_desktop.core.instance_lock import LOCK_NAME, DataFolderInUse

GIB = 1024**3
MIN_BYTES = GIB
IMAGE_DIR = Path("/var/lib/hivemind-desktop/task-areas")
FSTAB = Path("/etc/fstab")
# noexec is left out on purpose: tasks may run programs they build in their workspace.
MOUNT_OPTIONS = "nosuid,nodev"
FSTAB_MARK = "# hivemind-desktop task area"
_SBIN = ("/usr/sbin", "/sbin", "/usr/bin", "/bin")
_TOOLS = {
    "mkfs.ext4": "e2fsprogs",
    "mount": "mount",
    "umount": "mount",
    "losetup": "mount",
    "findmnt": "util-linux",
}


class TaskAreaError(RuntimeError):
    """A refusal or failure; str() is one line with the cause and what to do."""


class NotHere(TaskAreaError):
    """Not possible on this OS or as this user (the CLI exits 2)."""


@dataclass(frozen=True)
class AreaStatus:
    tasks_dir: Path
    limited: bool
    size_bytes: int
    free_bytes: int
    source: str = ""  # the backing image, when one is found
    options: str = ""

    def describe(self) -> str:
        if not self.limited:
            return (
                f"{self.tasks_dir} is not a size-limited area: task files share the data "
                f"disk ({self.free_bytes / GIB:.1f} GiB free) and only each task's budget "
                "holds them (by polling). Make one: sudo hivemind-desktop task-area create "
                "--size-gb N"
            )
        return (
            f"{self.tasks_dir} is a size-limited area of {_human(self.size_bytes)} usable, "
            f"{_human(self.free_bytes)} free (image {self.source or 'unknown'}, {self.options})"
        )


def _human(size: int) -> str:
    return f"{size / GIB:.1f} GiB" if size >= GIB else f"{size / 2**20:.0f} MiB"


# -- helpers ------------------------------------------------------------------------------
def _require_linux_root(action: str) -> None:
    if not sys.platform.startswith("linux"):
        raise NotHere(
            "the task area is Linux only: on this system each task's disk budget and the "
            "free-disk floor (HIVEMIND_TASK_DISK_MB, HIVEMIND_MIN_FREE_DISK_GB) hold task files"
        )
    if os.geteuid() != 0:
        raise NotHere(f"task-area {action} needs root: run it with sudo")


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=os.pathsep.join(_SBIN))
    if not found:
        raise TaskAreaError(f"{name} is not installed: install the {_TOOLS[name]} package")
    return found


def _run(args: list[str], what: str, pass_fds: tuple[int, ...] = ()) -> str:
    proc = subprocess.run(
        [_tool(args[0]), *args[1:]], capture_output=True, text=True, pass_fds=pass_fds
    )
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().replace("\n", "; ")
        raise TaskAreaError(f"{what} failed: {detail or f'exit code {proc.returncode}'}")
    return proc.stdout


def image_path(data_dir: Path, image_dir: Path = IMAGE_DIR) -> Path:
    """One image per data folder, named by a hash of its real path (paths can be long or
    hold characters a file name cannot)."""
    key = hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]
    return image_dir / f"{key}.img"


def _real_dir(data_dir: Path) -> Path:
    folder = Path(os.path.realpath(data_dir))
    if not folder.is_dir():
        raise TaskAreaError(
            f"the data folder {folder} does not exist: start HiveMind Desktop once as the "
            "volunteer (it makes the folder), or pass --data-dir"
        )
    return folder


def _hold_lock(folder: Path) -> int:
    """Take the data folder's worker lock (the worker's flock, see instance_lock) for the
    whole change, so no worker runs or starts meanwhile. Opened without following links
    and never written: a root process must not be steered onto another file."""
    path = folder / LOCK_NAME
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o644)
        st = os.stat(folder)
        os.fchown(fd, st.st_uid, st.st_gid)  # the worker must still open it as its owner
    except OSError as exc:
        raise TaskAreaError(f"cannot open {path} ({exc.strerror}): is it a link?") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise TaskAreaError(f"{path} is not a plain file: move it away")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        pid = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
        os.close(fd)
        raise TaskAreaError(
            f"{DataFolderInUse(folder, int(pid) if pid.isdigit() else None)} "
            "(a worker must not run while its task area changes)"
        ) from None
    return fd


def _task_folders(tasks: Path) -> list[str]:
    return sorted(n for n in os.listdir(tasks) if n != "lost+found")


def _owner_ids(owner: str | None, folder: Path) -> tuple[int, int]:
    if owner is None:
        st = os.stat(folder)
        return st.st_uid, st.st_gid
    try:
        entry = pwd.getpwuid(int(owner)) if owner.isdigit() else pwd.getpwnam(owner)
    except KeyError:
        raise TaskAreaError(f"no user {owner!r} on this system: check --owner") from None
    return entry.pw_uid, entry.pw_gid


def _existing_parent(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def _loop_devices(image: Path) -> list[str]:
    out = _run(["losetup", "-n", "-O", "NAME", "-j", str(image)], "listing loop devices")
    return [line.strip() for line in out.splitlines() if line.strip()]


def _mount_source(tasks: Path) -> tuple[str, str]:
    """The backing image (via the loop device) and mount options of the area at `tasks`."""
    try:
        out = subprocess.run(
            [_tool("findmnt"), "-n", "-o", "SOURCE,OPTIONS", "--mountpoint", str(tasks)],
            capture_output=True,
            text=True,
        ).stdout.split()
    except TaskAreaError:
        out = []
    if len(out) < 2:
        return "", ""
    source, options = out[0], out[1]
    backing = Path("/sys/block") / Path(source).name / "loop" / "backing_file"
    try:
        source = backing.read_text().strip()
    except OSError:
        pass
    return source, options


def _fstab_escape(path: Path) -> str:
    # fstab fields are split on blanks; the kernel's octal escapes keep a path whole.
    out = []
    for ch in str(path):
        out.append(f"\\{ord(ch):03o}" if ch in " \t\n\\" else ch)
    return "".join(out)


def fstab_line(image: Path, tasks: Path) -> str:
    # nofail: a missing image never stops the machine from booting; pass 0: no boot fsck
    # (the loop device does not exist yet when fsck runs).
    return f"{_fstab_escape(image)} {_fstab_escape(tasks)} ext4 loop,{MOUNT_OPTIONS},nofail 0 0"


def _write_fstab(fstab: Path, lines: list[str]) -> None:
    mode = stat.S_IMODE(fstab.stat().st_mode) if fstab.exists() else 0o644
    tmp = fstab.with_name(f".{fstab.name}.hivemind-tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.chmod(tmp, mode)
    os.replace(tmp, fstab)  # whole or not at all: a torn fstab can stop a boot


def _without_image(lines: list[str], image: Path) -> list[str]:
    spec = _fstab_escape(image)
    kept: list[str] = []
    for line in lines:
        fields = line.split()
        if fields and fields[0] == spec:
            if kept and kept[-1].strip() == FSTAB_MARK:
                kept.pop()
            continue
        kept.append(line)
    return kept


def persist(image: Path, tasks: Path, fstab: Path = FSTAB) -> bool:
    """Add the area's fstab line, replacing an older one for the same image; False when
    the very line is there already (idempotent)."""
    lines = fstab.read_text(encoding="utf-8").splitlines(keepends=True) if fstab.exists() else []
    wanted = fstab_line(image, tasks)
    if any(line.strip() == wanted for line in lines):
        return False
    lines = _without_image(lines, image)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    _write_fstab(fstab, [*lines, f"{FSTAB_MARK}\n", f"{wanted}\n"])
    return True


def unpersist(image: Path, fstab: Path = FSTAB) -> bool:
    if not fstab.exists():
        return False
    lines = fstab.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = _without_image(lines, image)
    if kept == lines:
        return False
    _write_fstab(fstab, kept)
    return True


# -- the commands -------------------------------------------------------------------------
def status(data_dir: Path) -> AreaStatus:
    tasks = Path(os.path.realpath(data_dir)) / "tasks"
    probe = tasks if tasks.exists() else _existing_parent(tasks)
    usage = shutil.disk_usage(probe)
    if not os.path.ismount(tasks):
        return AreaStatus(tasks, False, usage.total, usage.free)
    source, options = _mount_source(tasks)
    return AreaStatus(tasks, True, usage.total, usage.free, source, options)


def create(
    data_dir: Path,
    size_gb: float,
    *,
    owner: str | None = None,
    persist_fstab: bool = False,
    image_dir: Path = IMAGE_DIR,
    fstab: Path = FSTAB,
    min_bytes: int = MIN_BYTES,  # tests make smaller areas
) -> list[str]:
    """Make and mount the area; returns what was done, one line each."""
    _require_linux_root("create")
    for tool in ("mkfs.ext4", "mount", "umount", "losetup"):
        _tool(tool)
    folder = _real_dir(data_dir)
    size = int(size_gb * GIB)
    if size < min_bytes:
        raise TaskAreaError(
            f"{size_gb:g} GiB is too small: the area must hold at least {min_bytes / GIB:g} "
            "GiB (a task's budget and its result)"
        )
    lock_fd = _hold_lock(folder)
    try:
        tasks = folder / "tasks"
        image = image_path(folder, image_dir)
        if os.path.ismount(tasks):
            raise TaskAreaError(
                f"{tasks} is already a separate file system (see task-area status): "
                "remove it first (task-area remove) to make another"
            )
        if os.path.lexists(tasks):
            if not stat.S_ISDIR(os.lstat(tasks).st_mode):
                raise TaskAreaError(f"{tasks} is not a folder (a link?): move it away")
            inside = _task_folders(tasks)
            if inside:
                raise TaskAreaError(
                    f"{tasks} holds {len(inside)} task folder(s) (tasks in flight or their "
                    "history): let running tasks finish, then move or delete the folders"
                )
        if image.exists():
            raise TaskAreaError(
                f"an image for this data folder already exists ({image}) but is not mounted: "
                "mount it again (mount -a, if it is in /etc/fstab) or delete it with "
                "task-area remove"
            )
        free = shutil.disk_usage(_existing_parent(image_dir)).free
        if size > free:
            raise TaskAreaError(
                f"{size_gb:g} GiB is more than the {free / GIB:.1f} GiB free on the disk of "
                f"{image_dir}: choose a smaller size"
            )
        uid, gid = _owner_ids(owner, folder)
        return _make(folder, tasks, image, size, uid, gid, persist_fstab, fstab)
    finally:
        os.close(lock_fd)


def _make(
    folder: Path,
    tasks: Path,
    image: Path,
    size: int,
    uid: int,
    gid: int,
    persist_fstab: bool,
    fstab: Path,
) -> list[str]:
    done: list[str] = []
    image.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(image.parent, 0o700)
    fd = os.open(image, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    mounted = False
    try:
        os.ftruncate(fd, size)  # sparse: blocks are taken only as tasks write
        os.close(fd)
        fd = -1
        # -m 0: no blocks reserved for root, the volunteer lent all of it to tasks.
        _run(
            ["mkfs.ext4", "-q", "-F", "-m", "0", "-L", "hivemind-tasks", str(image)],
            "mkfs.ext4",
        )
        done.append(f"made {image} ({size / GIB:g} GiB, sparse, root-only 0600), ext4")
        if not os.path.lexists(tasks):
            os.mkdir(tasks, 0o700)
            os.chown(tasks, uid, gid, follow_symlinks=False)
        # Mount through a descriptor opened without following links: the account that owns
        # the data folder cannot swap `tasks` for a link between the checks and the mount.
        target = os.open(tasks, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            _run(
                [
                    "mount",
                    "--no-canonicalize",
                    "-t",
                    "ext4",
                    "-o",
                    f"loop,{MOUNT_OPTIONS}",
                    str(image),
                    f"/proc/self/fd/{target}",
                ],
                "mounting the area",
                pass_fds=(target,),
            )
            mounted = True
            parent_dev = os.fstat(target).st_dev
        finally:
            os.close(target)
        root = os.open(tasks, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            if os.fstat(root).st_dev == parent_dev:
                raise TaskAreaError(f"{tasks} changed while it was being mounted: try again")
            os.fchown(root, uid, gid)
            os.fchmod(root, 0o700)  # the worker's account only, like the data folder
            try:  # e2fsck makes it again if ever needed; here it would look like a task
                os.rmdir("lost+found", dir_fd=root)
            except OSError:
                pass
        finally:
            os.close(root)
        name = pwd.getpwuid(uid).pw_name if _has_user(uid) else str(uid)
        done.append(f"mounted it at {tasks} ({MOUNT_OPTIONS}), owned by {name}, mode 0700")
        line = fstab_line(image, tasks)
        if persist_fstab:
            added = persist(image, tasks, fstab)
            done.append(f"{'added to' if added else 'already in'} {fstab}: {line}")
        else:
            done.append(f"not kept after a reboot: add this line to {fstab} (or use --persist):")
            done.append(f"  {line}")
        return done
    except BaseException:
        if fd >= 0:
            os.close(fd)
        if mounted:
            subprocess.run([_tool("umount"), str(tasks)], capture_output=True)
        _detach(image)
        image.unlink(missing_ok=True)
        raise


def _has_user(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def _detach(image: Path) -> None:
    """Free any loop device still backed by `image` (mount -o loop frees its own on
    umount; this covers a failure half-way)."""
    try:
        for device in _loop_devices(image):
            subprocess.run([_tool("losetup"), "-d", device], capture_output=True)
    except TaskAreaError:
        pass


def remove(data_dir: Path, *, image_dir: Path = IMAGE_DIR, fstab: Path = FSTAB) -> list[str]:
    """Unmount the area, delete its image and its fstab line; returns what was done."""
    _require_linux_root("remove")
    folder = _real_dir(data_dir)
    lock_fd = _hold_lock(folder)
    try:
        tasks = folder / "tasks"
        image = image_path(folder, image_dir)
        done: list[str] = []
        if os.path.ismount(tasks):
            source, _ = _mount_source(tasks)
            if source != str(image):
                raise TaskAreaError(
                    f"{tasks} is a mount this command did not make ({source or 'unknown'}): "
                    "unmount it yourself"
                )
            inside = _task_folders(tasks)
            if inside:
                raise TaskAreaError(
                    f"the area holds {len(inside)} task folder(s) (tasks in flight or their "
                    "history): move or delete them first, they would be lost"
                )
            _run(["umount", str(tasks)], "unmounting the area")
            done.append(f"unmounted {tasks}")
        _detach(image)
        if image.exists():
            image.unlink()
            done.append(f"deleted {image}")
        if unpersist(image, fstab):
            done.append(f"removed its line from {fstab}")
        if not done:
            done.append(f"no task area for {folder}: nothing to remove")
        return done
    finally:
        os.close(lock_fd)
