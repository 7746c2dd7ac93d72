"""CLI entry points: `hivemind-desktop nodepool ...` and `hivemind-desktop submit ...`.

The main CLI adds these with add_*_arguments on a subparser and calls run_*(args).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from hivemind_desktop.nodepool.models import TRUST_LEVELS, UserSpec
from hivemind_desktop.nodepool.passwords import (
    PASSWORD_ENV,
    USERS_ENV,
    SecretsError,
    submit_password,
    users_from_sources,
)

# The server and the submit client load grpc, token signing and the pool's store: they
# are imported by the commands that use them, not by every `hivemind-desktop` start.

IN_PROCESS_LIST = "visible to every local user in the process list"


def parse_user_spec(text: str) -> UserSpec:
    """`NAME:PASSWORD[:BALANCE]`; a trailing `:<digits>` is the balance, so a password
    that itself ends in `:<digits>` needs an explicit balance (`NAME:pa:55:0`)."""
    name, sep, rest = text.partition(":")
    if not sep or not name or not rest:
        raise argparse.ArgumentTypeError(
            f"invalid --user {name or text!r}: use NAME:PASSWORD[:BALANCE]"
        )
    password, sep, balance = rest.rpartition(":")
    if sep and password and balance.isdigit():
        return UserSpec(name, password, int(balance))
    return UserSpec(name, rest, 0)


def parse_trust(text: str) -> tuple[str, str]:
    name, _, level = text.partition(":")
    if not name or level not in TRUST_LEVELS:
        raise argparse.ArgumentTypeError(
            f"invalid --trust {text!r}: use NAME:LEVEL with LEVEL one of {', '.join(TRUST_LEVELS)}"
        )
    return name, level


def parse_login(text: str) -> tuple[str, str | None]:
    """`NAME` (password from --password-file or $HIVEMIND_PASSWORD) or `NAME:PASSWORD`."""
    name, sep, password = text.partition(":")
    if not name or (sep and not password):
        raise argparse.ArgumentTypeError(
            f"invalid --user {name!r}: use NAME with --password-file or {PASSWORD_ENV}"
        )
    return name, password if sep else None


def parse_address(text: str) -> str:
    from hivemind_desktop.nodepool.server import split_host_port

    try:
        split_host_port(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def non_negative_int(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 0")
    return int(text)


# -- nodepool ---------------------------------------------------------------------


def add_nodepool_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--listen",
        type=parse_address,
        default="127.0.0.1:50051",
        help="HOST:PORT to serve on (only this address is bound; default %(default)s)",
    )
    parser.add_argument(
        "--user",
        dest="users",
        type=parse_user_spec,
        action="append",
        default=[],
        metavar="NAME:PASSWORD[:BALANCE]",
        help=f"an account (repeatable); the balance applies when the account is new. "
        f"The password is {IN_PROCESS_LIST}: prefer --users-file or ${USERS_ENV}",
    )
    parser.add_argument(
        "--users-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="accounts, one NAME:PASSWORD[:BALANCE] per line ('#' comments); the file must "
        f"be readable by its owner only (chmod 600). ${USERS_ENV} takes the same lines",
    )
    parser.add_argument("--data", type=Path, default=None, help="keep state here (SQLite)")
    parser.add_argument(
        "--token-ttl", type=positive_float, default=3600.0, help="JWT lifetime in seconds"
    )
    parser.add_argument(
        "--dispatch-interval",
        type=positive_float,
        default=10.0,
        help="seconds between dispatch rounds (default %(default)s)",
    )
    parser.add_argument(
        "--trust",
        type=parse_trust,
        action="append",
        default=[],
        metavar="NAME:LEVEL",
        help="trust group of an account: high, normal (default) or low (repeatable)",
    )
    parser.add_argument(
        "--reward", type=non_negative_int, default=10, help="CPT paid per completed task"
    )


def _setup_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    logging.getLogger("hivemind_desktop.nodepool").setLevel(logging.INFO)


def run_nodepool(args: argparse.Namespace) -> int:
    """Serve until SIGINT/SIGTERM; 0 on a clean stop, 2 when the pool cannot start."""
    from hivemind_desktop.nodepool.server import NodePool, NodePoolError

    _setup_logging()
    try:
        users = args.users + users_from_sources(args.users_file, os.environ, parse_user_spec)
        pool = NodePool(
            listen=args.listen,
            users=users,
            data_dir=args.data,
            token_ttl_s=args.token_ttl,
            dispatch_interval_s=args.dispatch_interval,
            trust=dict(args.trust),
            reward_per_task=args.reward,
        )
        pool.start()
    except (NodePoolError, ValueError) as exc:  # SecretsError is a ValueError
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not users and args.data is None:
        logging.getLogger("hivemind_desktop.nodepool").warning(
            "no account given: nobody can log in; add accounts with --users-file PATH "
            f"or ${USERS_ENV}"
        )
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        pool.stop(grace=2.0)
    logging.getLogger("hivemind_desktop.nodepool").info("node pool stopped")
    return 0


# -- submit -----------------------------------------------------------------------


def add_submit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, help="the task folder (main.py, run.sh, ...)")
    parser.add_argument(
        "--pool", type=parse_address, default="127.0.0.1:50051", help="node pool HOST:PORT"
    )
    parser.add_argument(
        "--user",
        dest="login",
        type=parse_login,
        required=True,
        metavar="NAME",
        help=f"account to submit as; its password from --password-file or ${PASSWORD_ENV} "
        f"(NAME:PASSWORD works too, but is {IN_PROCESS_LIST})",
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="file whose first line is the password, readable by its owner only (chmod 600)",
    )
    parser.add_argument("--task-id", default=None, help="default: folder name + random suffix")
    parser.add_argument("--cpu-score", type=non_negative_int, default=100, help="1/100 cores")
    parser.add_argument("--memory-gb", type=non_negative_int, default=1)
    parser.add_argument("--gpu-score", type=non_negative_int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="default: ./<task_id>-result")
    parser.add_argument(
        "--timeout", type=positive_float, default=600.0, help="seconds to wait for the result"
    )


def run_submit(args: argparse.Namespace) -> int:
    """0 when the task completed with status Success, 1 otherwise."""
    from hivemind_desktop.nodepool.submit import SubmitError, submit_folder

    username, inline = args.login
    try:
        password = submit_password(username, inline, args.password_file, os.environ)
    except SecretsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    def show(status: str, message: str) -> None:
        print(f"  {status}{': ' + message if message else ''}", flush=True)

    try:
        result = submit_folder(
            args.folder,
            args.pool,
            username,
            password,
            task_id=args.task_id,
            cpu_score=args.cpu_score,
            memory_gb=args.memory_gb,
            gpu_score=args.gpu_score,
            out=args.out,
            timeout=args.timeout,
            on_status=show,
        )
    except SubmitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    where = f" on {result.worker_ip}" if result.worker_ip else ""
    print(f"task {result.task_id}: {result.status}{where}")
    if result.message and not result.ok:
        print(f"  {result.message}")
    if result.out_dir is not None:
        print(f"result in {result.out_dir}")
    if result.execution_log:
        print("--- execution_log.txt ---")
        print(result.execution_log.rstrip())
    return 0 if result.ok else 1
