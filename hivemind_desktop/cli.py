"""Entry points: the desktop app (default), --headless, --self-test, and the commands
status, task-area, demo, nodepool and submit. All of them run the same core."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from hivemind_desktop import __version__
from hivemind_desktop.core import settings as settings_mod
from hivemind_desktop.core.settings import Settings, SettingsError

# Command-line flags that override settings (highest precedence), flag -> Settings field.
SETTING_FLAGS = {
    "--master-address": "master_address",
    "--node-port": "node_port",
    "--node-id": "node_id",
    "--advertise-address": "advertise_address",
    "--allowed-peers": "allowed_peers",
    "--max-cpu-cores": "max_cpu_cores",
    "--max-memory-gb": "max_memory_gb",
    "--max-concurrent-tasks": "max_concurrent_tasks",
    "--task-image": "task_image",
    "--task-runtime": "task_runtime",
    "--status-port": "status_port",
    "--flask-port": "status_port",  # the original worker's name, still accepted
    "--remote-api-address": "remote_api_address",
    "--remote-api-port": "remote_api_port",
    "--data-dir": "data_dir",
    "--log-dir": "log_dir",
    "--language": "language",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hivemind-desktop",
        description="Lend this computer to the HiveMind network. With no command, "
        "starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--headless", action="store_true", help="run the worker without a GUI")
    parser.add_argument("--self-test", action="store_true", help="check this installation")
    parser.add_argument(
        "--minimized", action="store_true", help="start in the tray only (start at login)"
    )
    parser.add_argument(
        "--quit",
        action="store_true",
        help="ask the running desktop app to stop its tasks cleanly and quit (waits for it)",
    )
    parser.add_argument("--config", type=Path, help="config file (default: the platform's)")
    parser.add_argument(
        "--service",
        action="store_true",
        help="with --self-test, status or task-area: use the Linux system service's "
        "settings, read from its unit (run as root)",
    )
    group = parser.add_argument_group("settings (override the config file and environment)")
    for flag, field in SETTING_FLAGS.items():
        group.add_argument(flag, dest=field, default=None, metavar=field.upper())

    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    status = commands.add_parser("status", help="show a running worker's status")
    status.add_argument("--stop", metavar="TASK_ID", help="stop a running task")
    pair = commands.add_parser(
        "pair", help="let another computer's desktop app watch this worker (remote API)"
    )
    pair.add_argument(
        "--control", action="store_true", help="also allow pause/resume and stopping a task"
    )
    pair.add_argument("--file", type=Path, help="also write a pairing file here (owner-only)")
    pair.add_argument("--list", action="store_true", help="list the paired computers")
    pair.add_argument("--revoke", metavar="NAME", help="unpair a computer")
    demo = commands.add_parser("demo", help="run a local node pool and sample tasks end to end")
    demo.add_argument("--gui", action="store_true", help="open the desktop app on the demo")
    demo.add_argument("--tasks", type=int, default=3, help="how many sample tasks (default 3)")
    forget = commands.add_parser(
        "forget",
        help="remove this computer's HiveMind settings, sign-in, data, logs and task containers",
    )
    forget.add_argument("--yes", action="store_true", help="required: confirms the removal")
    diagnostics = commands.add_parser(
        "diagnostics", help="save a zip for a bug report (logs, settings, self-test; no secrets)"
    )
    diagnostics.add_argument("--out", type=Path, help="the zip to write (default: ./hivemind-"
                             "diagnostics-DATE.zip)")  # fmt: skip
    add_task_area_arguments(
        commands.add_parser("task-area", help="a size-limited area for task files (Linux, root)")
    )

    commands.add_parser(
        "prepare-service",
        help="(root, run by the system service before the worker) make what its user may "
        "not: the lowest-CPU-weight parent cgroup for tasks",
    )

    from hivemind_desktop.nodepool.cli import add_nodepool_arguments, add_submit_arguments

    add_nodepool_arguments(commands.add_parser("nodepool", help="serve a local node pool"))
    add_submit_arguments(commands.add_parser("submit", help="send a task folder to a node pool"))
    return parser


def load_settings(args: argparse.Namespace) -> Settings:
    flags = {field: getattr(args, field, None) for field in SETTING_FLAGS.values()}
    return settings_mod.load(flags=flags, config_file=args.config)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.quit:
        return run_quit()
    if args.command in ("nodepool", "submit"):
        from hivemind_desktop.nodepool import cli as pool_cli

        runner = pool_cli.run_nodepool if args.command == "nodepool" else pool_cli.run_submit
        return runner(args)
    service = None
    if args.service:
        from hivemind_desktop import service_mode
        from hivemind_desktop.core.service_unit import UnitError

        if not (args.self_test or args.command in service_mode.COMMANDS):
            print(
                "hivemind-desktop: --service goes with --self-test, status or task-area; "
                "the service itself is started by systemd: "
                "`sudo systemctl enable --now hivemind-desktop`",
                file=sys.stderr,
            )
            return 2
        try:
            service = service_mode.load_service_context()
        except UnitError as exc:
            print(f"hivemind-desktop: {exc}", file=sys.stderr)
            return 2
        service_mode.adopt(service)
    try:
        settings = load_settings(args)
    except SettingsError as exc:
        if not args.self_test:
            if sys.stderr is not None:  # a windowed app on Windows has none
                print(f"hivemind-desktop: {exc}", file=sys.stderr)
            if args.command is None and not args.headless:
                _show_settings_error(exc, args.config)
            return 2
        settings = None  # the self-test reports the bad setting among its other checks
    if args.self_test:
        from hivemind_desktop.selftest import format_report, run_self_test

        report = run_self_test(
            settings, config_file=args.config, service=service.unit if service else None
        )
        print(format_report(report))
        return 0 if report.ok else 1
    assert settings is not None  # only the self-test runs with a bad setting
    if args.command == "status":
        return run_status(settings, args.stop)
    if args.command == "forget":
        return run_forget(settings, args.config, args.yes)
    if args.command == "pair":
        return run_pair(settings, args)
    if args.command == "task-area":
        return run_task_area(args, settings)
    if args.command == "prepare-service":
        return run_prepare_service(settings)
    if args.command == "diagnostics":
        return run_diagnostics(settings, args.out, args.config)
    if args.command == "demo":
        from hivemind_desktop.demo import run_demo

        return run_demo(settings, gui=args.gui, task_count=args.tasks)
    if args.headless:
        return run_headless(settings)
    from hivemind_desktop.gui.app import run_gui

    return run_gui(settings, show_window=not args.minimized)


def _show_settings_error(exc: SettingsError, config: Path | None) -> None:
    """The desktop app was meant to start: say why it does not in a window, since a
    double-clicked app (Windows, macOS) has no terminal to read the line above."""
    import os

    from hivemind_desktop.gui.start_error import can_show_dialogs, show_start_error

    if can_show_dialogs(sys.platform, os.environ):
        language = os.environ.get("HIVEMIND_LANGUAGE", "")
        show_start_error(exc, config or settings_mod.config_file_path(), language)


def run_diagnostics(settings: Settings, out: Path | None, config: Path | None) -> int:
    """What the Logs page's "Save diagnostics" does, for a server without a screen."""
    from hivemind_desktop.core.diagnostics import default_name, write_diagnostics
    from hivemind_desktop.selftest import format_report, run_self_test

    target = out or Path.cwd() / default_name()
    report = format_report(run_self_test(settings, config_file=config))
    try:
        write_diagnostics(target, settings, report)
    except OSError as exc:
        print(f"hivemind-desktop: {exc}", file=sys.stderr)
        return 1
    print(f"diagnostics saved to {target} (no passwords or tokens in it)")
    return 0


def add_task_area_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="area_action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="make and mount the area (root)")
    create.add_argument("--size-gb", type=float, required=True, help="its size in GiB")
    create.add_argument("--owner", help="user owning it (default: the data folder's owner)")
    create.add_argument("--persist", action="store_true", help="add it to /etc/fstab")
    actions.add_parser("status", help="is the tasks folder a size-limited area")
    actions.add_parser("remove", help="unmount it and delete its image (root)")
    for action in actions.choices.values():
        # SUPPRESS: without the flag here, the global --data-dir and HIVEMIND_DATA_DIR hold.
        action.add_argument(
            "--data-dir",
            dest="data_dir",
            default=argparse.SUPPRESS,
            metavar="DATA_DIR",
            help="the worker's data folder (under sudo, name the volunteer's)",
        )


def run_task_area(args: argparse.Namespace, settings: Settings) -> int:
    from hivemind_desktop.core import task_area

    folder = settings.data_path
    try:
        if args.area_action == "status":
            print(task_area.status(folder).describe())
            return 0
        if args.area_action == "create":
            done = task_area.create(
                folder, args.size_gb, owner=args.owner, persist_fstab=args.persist
            )
        else:
            done = task_area.remove(folder)
    except task_area.NotHere as exc:
        print(f"hivemind-desktop: {exc}", file=sys.stderr)
        return 2
    except (task_area.TaskAreaError, OSError) as exc:
        print(f"hivemind-desktop: {exc}", file=sys.stderr)
        return 1
    print("\n".join(done))
    return 0


def run_prepare_service(settings: Settings) -> int:
    """The service's ExecStartPre=+ (root): tasks' parent cgroup with the lowest CPU weight,
    which the service's own user may not make, so the owner's programs always win."""
    if not settings.low_priority:
        print("low priority is off (HIVEMIND_LOW_PRIORITY): nothing to prepare")
        return 0
    from hivemind_desktop.core.docker_runner import DockerRunner, DockerUnavailable

    try:
        ready = DockerRunner(install_id="prepare-service").prepare_low_priority_parent()
    except DockerUnavailable as exc:
        print(f"hivemind-desktop: {exc}", file=sys.stderr)
        return 1
    if not ready:  # a warning above says why, when it is not the engine's cgroup driver
        print(
            "tasks run at the lowest CPU weight among containers only: the engine's cgroup "
            "driver (systemd) or permissions allow no parent cgroup"
        )
        return 0
    print("tasks' parent cgroup at the lowest CPU weight: ready")
    return 0


def saved_credentials():
    """The OS keyring when one is usable, else None (headless servers often have none:
    they sign in with HIVEMIND_USERNAME / HIVEMIND_PASSWORD instead)."""
    try:
        from hivemind_desktop.core.credentials import Credentials

        return Credentials()
    except Exception as exc:
        logging.getLogger(__name__).info("no keyring: %s", exc)
        return None


def with_service_password(settings: Settings) -> tuple[Settings, str]:
    """Settings with the password from systemd's credential or the password file (a
    service has no keyring), and where it came from; unchanged when the environment
    already gave one or no file is named. Raises PasswordFileError (a ValueError)."""
    if settings.password:
        return settings, ""
    from hivemind_desktop.core.service_password import find_service_password

    found = find_service_password(settings.password_file)
    if found is None:
        return settings, ""
    from hivemind_desktop.core.logs import register_secret

    register_secret(found.password)
    return settings.replace(password=found.password), found.source


def run_forget(settings: Settings, config_file: Path | None, yes: bool) -> int:
    from hivemind_desktop.forget import forget

    if not yes:  # asked by the uninstaller's own dialog, or meant on the command line
        print(
            "hivemind-desktop: forget removes this computer's HiveMind settings, sign-in, "
            "data, logs and task containers: add --yes to go on",
            file=sys.stderr,
        )
        return 2
    try:
        steps = forget(settings, config_file)
    except RuntimeError as exc:
        print(f"hivemind-desktop: {exc}", file=sys.stderr)
        return 1
    for step in steps:
        print(step.line())
    return 0 if all(step.done for step in steps) else 1


def run_quit() -> int:
    from hivemind_desktop.gui.single_instance import ask_to_quit

    outcome = ask_to_quit()
    if outcome is None:
        print("HiveMind Desktop is not running.")
        return 0
    if outcome:
        print("HiveMind Desktop stopped its tasks and quit.")
        return 0
    print("hivemind-desktop: the app is still stopping its tasks; try again", file=sys.stderr)
    return 1


def run_headless(settings: Settings) -> int:
    from hivemind_desktop.core.journal import is_journal_stream
    from hivemind_desktop.core.logs import setup_logging
    from hivemind_desktop.core.worker import DataFolderInUse, Worker

    try:
        settings, password_source = with_service_password(settings)
    except ValueError as exc:  # PasswordFileError: nothing is started
        print(f"hivemind-desktop: {exc}", file=sys.stderr)
        return 2
    if password_source and not settings.username:
        print(
            f"hivemind-desktop: a password is given ({password_source}) but no username: "
            "set username in the config file (or HIVEMIND_USERNAME)",
            file=sys.stderr,
        )
        return 2
    # Signed in from the environment: the keyring is never read (a headless worker has no
    # sign-out), so its backends, entry points and D-Bus stack are never loaded.
    given = bool(settings.username and settings.password)
    try:
        log = setup_logging(settings.log_path, journal=is_journal_stream(sys.stderr))
        if password_source:
            logging.getLogger(__name__).info("password read from the %s", password_source)
        worker = Worker(settings, credentials=None if given else saved_credentials(), log=log)
    except (DataFolderInUse, OSError) as exc:  # OSError: the log folder cannot be written
        print(f"hivemind-desktop: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    worker.start()
    snap = worker.snapshot()
    err: dict[str, Any] = {"file": sys.stderr, "flush": True}
    print(
        f"HiveMind worker {snap.node_id or '(not signed in)'} serving on "
        f"{snap.advertise_address or '-'}:{settings.node_port}, node pool "
        f"{settings.master_address}: {snap.state}",
        flush=True,
    )
    # Problems the worker keeps running with (and retries), one line each.
    if not snap.docker.available:
        print(f"hivemind-desktop: no task can run: {snap.docker.reason}", **err)
    if worker.allowed.problem:
        print(f"hivemind-desktop: no task can be accepted: {worker.allowed.problem}", **err)
    if worker.status_api_problem:
        print(f"hivemind-desktop: the local status API is off: {worker.status_api_problem}", **err)
    if worker.status_api_note:
        print(f"hivemind-desktop: {worker.status_api_note}", **err)
    if worker.remote_api_problem:
        print(f"hivemind-desktop: the remote status API is off: {worker.remote_api_problem}", **err)
    stop.wait()
    print("stopping: running tasks are stopped and their results delivered", flush=True)
    worker.shutdown(stop_tasks=True)
    return 0


def _stored_value(settings: Settings, key: str) -> str:
    """A value from the worker's store (read-only): the API secret, why the API is off."""
    import sqlite3

    path = settings.data_path / "worker.sqlite3"
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM kv WHERE key=?", (key,)).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return ""
    return row[0] if row else ""


def _api_secret(settings: Settings) -> str:
    return _stored_value(settings, "api_secret")


def _no_answer(settings: Settings, base: str) -> int:
    """Nothing (or a stranger) answers on the port: say whether a worker runs on this data
    folder with its status API off, and why."""
    from hivemind_desktop.core.instance_lock import holder_pid
    from hivemind_desktop.core.status_api import STATUS_API_KEY

    pid = holder_pid(settings.data_path)
    problem = _stored_value(settings, STATUS_API_KEY) if pid else ""
    if problem:
        print(
            f"hivemind-desktop: the worker (process {pid}) is running, but its status API "
            f"is off: {problem}",
            file=sys.stderr,
        )
    else:
        print(
            f"hivemind-desktop: no worker answers on {base}: is it running "
            "(hivemind-desktop --headless) with this FLASK_PORT?",
            file=sys.stderr,
        )
    return 1


def status_port(settings: Settings) -> int:
    """The port to ask: the one the worker on this data folder says it listens on (it
    falls back to a free port when FLASK_PORT is taken), else FLASK_PORT."""
    from hivemind_desktop.core.instance_lock import holder_pid
    from hivemind_desktop.core.status_api import STATUS_PORT_KEY

    if holder_pid(settings.data_path):
        stored = _stored_value(settings, STATUS_PORT_KEY)
        if stored.isdigit() and 0 < int(stored) <= 65535:
            return int(stored)
    return settings.status_port


def run_status(settings: Settings, stop_task: str | None) -> int:
    port = status_port(settings)
    base = f"http://127.0.0.1:{port}"
    if port != settings.status_port:
        print(
            f"hivemind-desktop: the status API is on port {port} "
            f"(port {settings.status_port} is taken by another program)",
            file=sys.stderr,
        )
    try:
        if stop_task:
            req = urllib.request.Request(  # noqa: S310 (a loopback http URL we build)
                f"{base}/api/stop_task/{urllib.parse.quote(stop_task, safe='')}",
                method="POST",
                headers={"Authorization": f"Bearer {_api_secret(settings)}"},
            )
        else:
            req = urllib.request.Request(f"{base}/api/status")  # noqa: S310
        with urllib.request.urlopen(req, timeout=5) as reply:  # noqa: S310 (loopback only)
            print(json.dumps(json.load(reply), indent=2))
        return 0
    except urllib.error.HTTPError as exc:
        try:
            reason = json.load(exc)["error"]
        except (ValueError, KeyError, TypeError):
            return _no_answer(settings, base)  # another program holds the port
        print(f"hivemind-desktop: {reason}", file=sys.stderr)
        return 1
    except (OSError, ValueError):  # ValueError: a non-JSON answer from another program
        return _no_answer(settings, base)


def run_pair(settings: Settings, args: argparse.Namespace) -> int:
    """Ask the running worker (over its loopback API, with the install secret) for a
    pairing code, the list of paired computers, or to unpair one."""
    import datetime
    import os

    if not settings.status_port:
        print(
            "hivemind-desktop: pairing goes through the worker's local status API, which is "
            "off (FLASK_PORT=0): set FLASK_PORT to a free port and restart the worker",
            file=sys.stderr,
        )
        return 1
    base = f"http://127.0.0.1:{settings.status_port}/api/pairing"
    if args.list:
        url, method = base, "GET"
    elif args.revoke:
        url, method = f"{base}?{urllib.parse.urlencode({'revoke': args.revoke})}", "POST"
    else:
        url, method = f"{base}?permissions={'read,control' if args.control else 'read'}", "POST"
    request = urllib.request.Request(  # noqa: S310 (a loopback http URL we build)
        url, method=method, headers={"Authorization": f"Bearer {_api_secret(settings)}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
            body = json.load(reply)
    except urllib.error.HTTPError as exc:
        try:
            reason = json.load(exc)["error"]
        except (ValueError, KeyError, TypeError):
            return _no_answer(settings, base)
        print(f"hivemind-desktop: {reason}", file=sys.stderr)
        return 1
    except (OSError, ValueError):
        return _no_answer(settings, base)
    if args.list:
        for item in body:
            when = datetime.datetime.fromtimestamp(item["paired_at"]).strftime("%Y-%m-%d %H:%M")
            print(f"{item['name']}\t{', '.join(item['permissions'])}\tpaired {when}")
        if not body:
            print("no computer is paired")
        return 0
    if args.revoke:
        print(body["message"])
        return 0
    until = datetime.datetime.fromtimestamp(body["expires_at"]).strftime("%H:%M")
    print(f"Pairing code (once, until {until}; {' + '.join(body['permissions'])}):")
    print(f"  {body['link']}")
    print("Enter it on the other computer: HiveMind Desktop > Computers > Add computer.")
    if args.file:
        fd = os.open(args.file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(body["file"])
        print(f"Pairing file: {args.file} (readable by you only; it works once)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
