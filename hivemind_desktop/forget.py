"""`hivemind-desktop forget`: remove what HiveMind Desktop left on this computer.

Run by the Windows uninstaller when the volunteer agrees (and by hand anywhere): the
task containers this install made, the remembered sign-in in the OS keyring, the
WireGuard tunnel service (Windows) and its config with the private key, the settings,
the data folder (task history, queued results) and the logs. Program files are the
installer's business. Each step says what it did; one that cannot be done (no Docker
engine, a locked keyring) is reported and the others still run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hivemind_desktop.core.instance_lock import holder_pid
from hivemind_desktop.core.settings import Settings, config_file_path
from hivemind_desktop.core.vpn.config import DEFAULT_CONFIG_NAME


@dataclass(frozen=True)
class Step:
    what: str
    done: bool
    detail: str = ""

    def line(self) -> str:
        mark = "removed" if self.done else "not removed"
        return f"{self.what}: {mark}" + (f" ({self.detail})" if self.detail else "")


def _containers(settings: Settings) -> Step:
    what = "task containers"
    store_file = settings.data_path / "worker.sqlite3"
    if not store_file.exists():
        return Step(what, True, "none: this computer never ran a task")
    from hivemind_desktop.core.docker_runner import DockerRunner, DockerUnavailable
    from hivemind_desktop.core.store import Store

    try:
        store = Store(store_file)
    except Exception as exc:  # a newer app's store, or not a database: say so, go on
        return Step(what, False, f"the task store {store_file} cannot be read: {exc}")
    try:
        install_id = store.get_value("install_id")
    finally:
        store.close()
    if not install_id:
        return Step(what, True, "none")
    runner = DockerRunner(install_id=install_id)
    try:
        found = runner.labelled_containers()
        for container in found:
            runner.remove(container.container_id)
    except DockerUnavailable as exc:
        return Step(what, False, str(exc))
    return Step(what, True, f"{len(found)} removed")


def _sign_in() -> Step:
    from hivemind_desktop.core.credentials import Credentials, KeyringUnavailable

    what = "remembered sign-in (OS keyring)"
    try:
        Credentials().delete()
    except KeyringUnavailable as exc:
        return Step(what, False, str(exc))
    return Step(what, True)


def _tunnel_service(config_dir: Path, run: Callable[..., object]) -> Step | None:
    """Windows only: the WireGuard app keeps an installed tunnel service running after
    its config file is gone. Elsewhere wg-quick/NetworkManager tunnels are the
    volunteer's, brought down as they were brought up."""
    if sys.platform != "win32":
        return None
    from hivemind_desktop.core.vpn.tunnel import tunnel_up_plan

    plan = tunnel_up_plan(config_dir / DEFAULT_CONFIG_NAME)
    if plan.down is None:
        return Step("WireGuard tunnel service", True, "WireGuard is not installed")
    try:
        run(list(plan.down), check=False, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return Step("WireGuard tunnel service", False, str(exc))
    return Step("WireGuard tunnel service", True, plan.interface)


def _folder(what: str, path: Path) -> Step:
    if not path.exists():
        return Step(what, True, f"{path} did not exist")
    try:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    except OSError as exc:
        return Step(what, False, f"{path}: {exc.strerror or exc}")
    return Step(what, True, str(path))


def forget(
    settings: Settings,
    config_file: Path | None = None,
    run: Callable[..., object] = subprocess.run,
) -> list[Step]:
    """Remove everything listed in the module's docstring; refuses (raises RuntimeError)
    while a worker still uses the data folder, so nothing is pulled from under it."""
    pid = holder_pid(settings.data_path)
    if pid is not None:
        raise RuntimeError(
            f"HiveMind is still running (process {pid}): quit it first "
            "(hivemind-desktop --quit), then run this again"
        )
    config_file = config_file or config_file_path()
    steps = [_containers(settings), _sign_in()]
    tunnel = _tunnel_service(config_file.parent, run)
    if tunnel is not None:
        steps.append(tunnel)
    wireguard = config_file.parent / DEFAULT_CONFIG_NAME
    steps.append(_folder("WireGuard config (private key)", wireguard))
    steps.append(_folder("settings", config_file))
    steps.append(_folder("data folder (history, queued results)", settings.data_path))
    steps.append(_folder("logs", settings.log_path))
    return steps
