"""`NodePool`: a real node pool on one address, for the demo, tests and local clusters."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc

from hivemind_desktop.nodepool.accounts import hash_password
from hivemind_desktop.nodepool.dispatch import Dispatcher, Timings
from hivemind_desktop.nodepool.models import (
    TRUST_LEVELS,
    USERNAME_RE,
    NodeView,
    TaskView,
    UserSpec,
)
from hivemind_desktop.nodepool.services import (
    MasterNodeService,
    NodeManagerService,
    PoolContext,
    UserService,
    WorkerUploadService,
)
from hivemind_desktop.nodepool.store import PoolStore
from hivemind_desktop.nodepool.tokens import TokenIssuer
from hivemind_desktop.rpc import MAX_MESSAGE_BYTES, pb_grpc

log = logging.getLogger("hivemind_desktop.nodepool")

DB_NAME = "nodepool.sqlite3"
ARCHIVE_DIR = "archives"
_SECRET_KEY = "jwt_secret"  # noqa: S105 - the kv key under which the secret lives


class NodePoolError(RuntimeError):
    """A pool that cannot start; the message names the cause and the fix."""


def split_host_port(listen: str) -> tuple[str, int]:
    """`HOST:PORT` (IPv6 as `[::1]:PORT`) -> (host, port); ValueError names the fix."""
    host, sep, port = listen.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"invalid listen address {listen!r}: use HOST:PORT, e.g. 127.0.0.1:50051")
    return host, int(port)


class NodePool:
    """Serves UserService, NodeManagerService, MasterNodeService and the upload side
    of WorkerNodeService on exactly `listen`, and dispatches tasks to nodes."""

    def __init__(
        self,
        listen: str = "127.0.0.1:50051",
        users: Iterable[UserSpec] = (),
        data_dir: Path | None = None,
        token_ttl_s: float = 3600,
        dispatch_interval_s: float = 10.0,
        online_window_s: float = 180,
        running_silence_fail_s: float = 60,
        running_busy_silence_fail_s: float = 120,
        node_expiry_s: float = 900,
        reward_per_task: int = 10,
        trust: Mapping[str, str] | None = None,
        max_workers: int = 16,
    ) -> None:
        self._host, self._port = split_host_port(listen)
        self._listen = listen
        self._users = list(users)
        self._check_users()
        self._trust = dict(trust or {})
        for name, level in self._trust.items():
            if level not in TRUST_LEVELS:
                raise ValueError(
                    f"invalid trust level {level!r} for {name!r}: use one of "
                    f"{', '.join(TRUST_LEVELS)}"
                )
        for name, value in (
            ("token_ttl_s", token_ttl_s),
            ("dispatch_interval_s", dispatch_interval_s),
            ("online_window_s", online_window_s),
            ("running_silence_fail_s", running_silence_fail_s),
            ("running_busy_silence_fail_s", running_busy_silence_fail_s),
            ("node_expiry_s", node_expiry_s),
        ):
            if not value > 0:
                raise ValueError(f"{name} must be > 0, got {value!r}")
        if reward_per_task < 0:
            raise ValueError(f"reward_per_task must not be negative, got {reward_per_task!r}")
        self._data_dir = None if data_dir is None else Path(data_dir)
        self._token_ttl_s = token_ttl_s
        self._timings = Timings(
            dispatch_interval_s=dispatch_interval_s,
            online_window_s=online_window_s,
            running_silence_fail_s=running_silence_fail_s,
            running_busy_silence_fail_s=running_busy_silence_fail_s,
            node_expiry_s=node_expiry_s,
        )
        self._reward = reward_per_task
        self._max_workers = max_workers
        self._scratch: Path | None = None
        self._store: PoolStore | None = None
        self._dispatcher: Dispatcher | None = None
        self._server: grpc.Server | None = None
        self.address = ""

    def _check_users(self) -> None:
        seen: set[str] = set()
        for user in self._users:
            if not USERNAME_RE.match(user.name):
                raise ValueError(
                    f"invalid username {user.name!r}: use letters, digits, '.', '_', '@' or '-'"
                )
            if not user.password:
                raise ValueError(f"user {user.name!r} needs a non-empty password")
            if user.balance < 0:
                raise ValueError(f"user {user.name!r}: balance must not be negative")
            if user.name in seen:
                raise ValueError(f"user {user.name!r} given twice: give each user once")
            seen.add(user.name)

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> NodePool:
        if self._server is not None:
            raise NodePoolError("node pool already started")
        try:
            self._open_store()
            self._start_server()
        except BaseException:
            self._teardown()
            raise
        log.info("node pool listening on %s", self.address)
        return self

    def _open_store(self) -> None:
        if self._data_dir is not None:
            try:
                self._data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise NodePoolError(
                    f"cannot create data dir {self._data_dir}: {exc.strerror}; "
                    "choose a writable --data"
                ) from None
            db, blobs = self._data_dir / DB_NAME, self._data_dir / ARCHIVE_DIR
        else:
            self._scratch = Path(tempfile.mkdtemp(prefix="hivemind-nodepool-"))
            db, blobs = None, self._scratch / ARCHIVE_DIR
        store = self._store = PoolStore(db, blobs)
        secret = store.kv_get(_SECRET_KEY)
        if secret is None:  # persisted, so a restarted pool still accepts its tokens
            secret = TokenIssuer.new_secret()
            store.kv_set(_SECRET_KEY, secret)
        self._tokens = TokenIssuer(secret, self._token_ttl_s)
        for user in self._users:
            salt, pw_hash = hash_password(user.password)
            store.upsert_account(user.name, salt, pw_hash, user.balance)
        for name, level in self._trust.items():
            self.set_trust(name, level)

    def _start_server(self) -> None:
        assert self._store is not None
        self._dispatcher = Dispatcher(self._store, self._timings)
        ctx = PoolContext(self._store, self._tokens, self._dispatcher, self._reward)
        server = grpc.server(
            ThreadPoolExecutor(max_workers=self._max_workers, thread_name_prefix="nodepool-rpc"),
            options=[
                ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                ("grpc.so_reuseport", 0),  # a second pool on the same port must fail, not share
            ],
        )
        pb_grpc.add_UserServiceServicer_to_server(UserService(ctx), server)
        pb_grpc.add_NodeManagerServiceServicer_to_server(NodeManagerService(ctx), server)
        pb_grpc.add_MasterNodeServiceServicer_to_server(MasterNodeService(ctx), server)
        pb_grpc.add_WorkerNodeServiceServicer_to_server(WorkerUploadService(ctx), server)
        self._server = server
        try:
            port = server.add_insecure_port(self._listen)
        except RuntimeError:
            port = 0
        if not port:
            raise NodePoolError(
                f"cannot listen on {self._listen}: the port is in use or the address is not "
                "on this machine; choose another --listen"
            )
        self.address = f"{self._host}:{port}"
        server.start()
        self._dispatcher.start()

    def stop(self, grace: float | None = 1.0) -> None:
        """Stop serving (in-flight calls get `grace` seconds) and close the store."""
        self._teardown(grace)

    def _teardown(self, grace: float | None = 1.0) -> None:
        if self._server is not None:
            self._server.stop(grace).wait()
            self._server = None
        if self._dispatcher is not None:
            self._dispatcher.stop()
            self._dispatcher = None
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def __enter__(self) -> NodePool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- read-only views and test/CLI knobs --------------------------------------

    @property
    def _live_store(self) -> PoolStore:
        if self._store is None:
            raise NodePoolError("node pool not started")
        return self._store

    def tasks(self) -> list[TaskView]:
        return self._live_store.tasks()

    def task(self, task_id: str) -> TaskView | None:
        return self._live_store.task(task_id)

    def task_log(self, task_id: str) -> str:
        return self._live_store.log(task_id)

    def nodes(self) -> list[NodeView]:
        return self._live_store.nodes()

    def node(self, node_id: str) -> NodeView | None:
        return self._live_store.node(node_id)

    def balance(self, name: str) -> int | None:
        return self._live_store.balance(name)

    def set_trust(self, name: str, level: str) -> None:
        if level not in TRUST_LEVELS:
            raise ValueError(f"invalid trust level {level!r}: use one of {', '.join(TRUST_LEVELS)}")
        if not self._live_store.set_trust(name, level):
            raise ValueError(f"cannot set trust of {name!r}: no such user; add it with --user")

    @property
    def dispatch_ticks(self) -> int:
        """Dispatch rounds run so far (tests wait for rounds instead of sleeping)."""
        return 0 if self._dispatcher is None else self._dispatcher.ticks

    def wake(self) -> None:
        """Run a dispatch tick now rather than at the next interval."""
        if self._dispatcher is not None:
            self._dispatcher.wake()
