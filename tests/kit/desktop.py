"""For the desktop app's tests (tests/gui, tests/keyring): offscreen Qt, the roster of a
real local node pool, a real Worker on the real Docker engine driven through the real
DesktopApp and its bridge, tasks submitted to the pool."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the xvfb tests start their own app process
os.environ.setdefault("DBUS_SESSION_BUS_ADDRESS", "disabled:")  # no stray bus from Qt
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import docker  # noqa: E402
import pytest  # noqa: E402

from hivemind_desktop.core.credentials import Credentials  # noqa: E402
from hivemind_desktop.core.settings import Settings  # noqa: E402
from hivemind_desktop.nodepool import NodePool, UserSpec  # noqa: E402
from tests.kit import free_port, make_zip  # noqa: E402
from tests.kit.docker_images import BUSYBOX_IMAGE as TASK_IMAGE  # noqa: E402
from tests.kit.pools import PoolClient  # noqa: E402

VOLUNTEER = ("vol", "vol-pw")
SUBMITTER = ("alice", "alice-pw")
WORKER_HOST = "127.0.0.3"  # the pool skips 127.0.0.1; other suites use .2


@pytest.fixture(scope="session")
def task_image(task_images: None) -> str:
    return TASK_IMAGE


@pytest.fixture
def translations(qapp):
    """Install a language in a test (translations.install("zh_TW")); English again after."""
    from hivemind_desktop.gui import resources

    tr = resources.Translations()
    yield tr
    tr.install("en")


@pytest.fixture
def pool_users() -> list[UserSpec]:
    return [UserSpec(*VOLUNTEER), UserSpec(*SUBMITTER, 100)]


@pytest.fixture
def pool_options(tmp_path: Path) -> dict[str, object]:
    return {"data_dir": tmp_path / "pool", "dispatch_interval_s": 0.2}


def make_settings(tmp_path: Path, master_address: str, **changes: object) -> Settings:
    return Settings(
        master_address=master_address,
        advertise_address=WORKER_HOST,
        busy_cpu_percent=0,  # the machine's own load (tests, CI) must not freeze tasks
        node_port=free_port(WORKER_HOST),
        allowed_peers=("127.0.0.0/8",),
        status_port=0,
        data_dir=str(tmp_path / "data"),
        log_dir=str(tmp_path / "logs"),
        task_image=TASK_IMAGE,
        max_cpu_cores=1,
        max_memory_gb=1,
        max_concurrent_tasks=2,
        language="en",
        **changes,
    )


@pytest.fixture
def test_credentials() -> Iterator[Credentials]:
    """A service name of its own, so a developer's real keyring entry is never touched."""
    creds = Credentials(service=f"HiveMind Desktop test {os.getpid()}")
    yield creds
    try:
        creds.delete()
    except Exception:
        pass


@pytest.fixture
def make_desktop(qtbot, tmp_path: Path, test_credentials: Credentials):
    """Build a started DesktopApp on a real Worker; shut down cleanly after the test."""
    from hivemind_desktop.gui.app import DesktopApp

    apps: list[DesktopApp] = []

    def make(settings: Settings, show: bool = True, **kwargs: object) -> DesktopApp:
        app = DesktopApp(
            settings,
            credentials=kwargs.pop("credentials", test_credentials),
            config_file=tmp_path / "config.toml",
            **kwargs,
        )
        apps.append(app)
        with qtbot.waitSignal(app.bridge.started, timeout=30_000):
            app.start(show_window=show)
        qtbot.waitUntil(lambda: app.state.snapshot is not None, timeout=10_000)
        return app

    yield make
    client = docker.from_env()
    try:
        for app in apps:
            if app.sign_in_dialog is not None:
                app.sign_in_dialog.reject()
            if not app.quitting:
                with qtbot.waitSignal(app.finished, timeout=60_000):
                    app.shutdown()
            app.window.deleteLater()
            app.translations.install("en")  # the QApplication outlives this app
        # sparse: other suites' containers come and go while we list
        listed = client.containers.list(
            all=True, sparse=True, filters={"label": "hivemind.managed=1"}
        )
        leftovers = [
            c.id[:12]
            for c in listed
            if c.attrs.get("Labels", {}).get("hivemind.task", "").startswith(f"{TASK_PREFIX}-")
            and c.attrs["Labels"]["hivemind.task"].endswith(f"-{os.getpid()}")
        ]
        assert not leftovers, f"task containers left behind: {leftovers}"
    finally:
        client.close()


TASK_PREFIX = "guitest"


@pytest.fixture
def submit(pool: NodePool) -> Iterator[Callable[[str, dict[str, str]], str]]:
    """submit(name, files): upload a task as the submitting user without waiting for it (the
    test watches the app run it); returns its id."""
    with PoolClient(pool.address, *SUBMITTER) as submitter:

        def do(name: str, files: dict[str, str]) -> str:
            task_id = f"{TASK_PREFIX}-{name}-{os.getpid()}"
            reply = submitter.upload(task_id, make_zip(files), cpu_score=50)
            assert reply.success, reply.message
            return task_id

        yield do
