"""The Computers page on a real X server (Xvfb), at scale 1 and at HiDPI scale 2,
watching three real headless workers over TLS, one of them killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hivemind_desktop.core.credentials import Secrets
from hivemind_desktop.core.fleet import client
from hivemind_desktop.core.fleet.book import ComputerBook
from hivemind_desktop.core.remote.access import parse_link
from tests.kit import REPO
from tests.kit.fleet import RemoteWorker, start_remote_workers
from tests.kit.secret_service import secret_service  # noqa: F401
from tests.kit.xvfb import start_xvfb

pytestmark = [pytest.mark.xvfb, pytest.mark.gui, pytest.mark.keyring, pytest.mark.docker]

ARTIFACTS = REPO / "artifacts"


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[RemoteWorker]]:
    started = start_remote_workers(tmp_path / "workers", 3, first=21)
    yield started
    for worker in started:
        worker.stop(signal.SIGKILL)


@pytest.fixture
def display() -> Iterator[str]:
    xvfb, name = start_xvfb()
    yield name
    xvfb.terminate()
    xvfb.wait(10)


@pytest.mark.parametrize("scale", ["1", "2"])
def test_the_page_on_xvfb_shows_online_and_offline_workers(
    tmp_path, secret_service, workers, display, scale  # noqa: F811
):
    book = ComputerBook(tmp_path / "computers.json", Secrets())
    for worker in workers:
        book.add(client.pair(parse_link(worker.pair()), "xvfb-desk"))
    workers[2].stop(signal.SIGKILL)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"computers_page_xvfb_scale{scale}.png"
    env = dict(secret_service, DISPLAY=display, QT_SCALE_FACTOR=scale)
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("xvfb_computers.py")), str(book.path),
         str(shot), "2", "1"],
        env=env, capture_output=True, text=True, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert {k: v["platform"] for k, v in report.items()} == dict.fromkeys(report, "xcb")
    assert report[workers[0].key]["online"] and report[workers[1].key]["online"]
    assert report[workers[0].key]["problem"] == ""
    assert "Not signed in" in report[workers[0].key]["state"]
    killed = report[workers[2].key]
    # killed before this app ever reached it: offline, never seen (no dialog, no traceback)
    assert not killed["online"] and killed["problem"] == "Offline: it has not answered yet"
    assert report[workers[0].key]["dpr"] == float(scale)
    assert shot.stat().st_size > 10_000
    assert os.environ.get("QT_SCALE_FACTOR") is None  # only the child was scaled
