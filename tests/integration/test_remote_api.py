"""The remote status API over real TLS on loopback addresses, on a real worker: pairing
with the code `hivemind-desktop pair` prints, the token and certificate checked from both
sides, permissions, and a server that one peer cannot block."""

from __future__ import annotations

import json
import socket
import ssl
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from hivemind_desktop.core.fleet import client
from hivemind_desktop.core.fleet.client import FleetError
from hivemind_desktop.core.remote import identity
from hivemind_desktop.core.remote.access import (
    CODE_LIFETIME_S,
    CONTROL,
    READ,
    PairingLink,
    RemoteAccess,
    parse_link,
)
from hivemind_desktop.core.remote.server import IO_TIMEOUT_S, MAX_PER_PEER, RemoteApi
from hivemind_desktop.core.worker import Worker
from tests.kit import free_port, make_zip, wait_for
from tests.kit.worker import SCRIPT, clean_env, running_worker, worker_settings

pytestmark = pytest.mark.docker

REMOTE_HOST = "127.0.0.3"
NO_POOL = "127.0.0.1:9"  # nothing answers: the worker runs signed out, which is enough here


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("remote-api")


@pytest.fixture(scope="module")
def worker(root: Path, docker_client: docker.DockerClient) -> Iterator[Worker]:
    settings = worker_settings(
        root,
        NO_POOL,
        status_port=free_port(),
        remote_api_address=REMOTE_HOST,
        remote_api_port=free_port(REMOTE_HOST),
    )
    with running_worker(settings, docker_client) as w:
        assert w.remote_api_problem == ""
        yield w


def pair_command(root: Path, worker: Worker, *args: str) -> subprocess.CompletedProcess[str]:
    """`hivemind-desktop pair` as a volunteer runs it beside the worker."""
    env = clean_env(root) | {"FLASK_PORT": str(worker.settings.status_port)}
    return subprocess.run(
        [str(SCRIPT), "pair", *args], env=env, capture_output=True, text=True, timeout=60
    )


def link_from(output: str) -> PairingLink:
    line = next(x.strip() for x in output.splitlines() if x.startswith("  "))
    return parse_link(line)


def paired(root: Path, worker: Worker, name: str, *flags: str) -> client.Pairing:
    done = pair_command(root, worker, *flags)
    assert done.returncode == 0, done.stderr
    return client.pair(link_from(done.stdout), name)


def summary(p: client.Pairing, token: str | None = None, pin: str | None = None) -> dict:
    answer, _ = client.request(
        p.host, p.port, pin or p.fingerprint, "GET", "/api/summary",
        token=p.token if token is None else token,
    )  # fmt: skip
    return answer


def test_pairing_code_from_the_command_gives_a_token_that_reads(root: Path, worker: Worker):
    done = pair_command(root, worker)
    assert done.returncode == 0, done.stderr
    assert "Add computer" in done.stdout
    link = link_from(done.stdout)
    assert (link.host, link.port) == (REMOTE_HOST, worker.settings.remote_api_port)
    p = client.pair(link, "desk-1")
    assert p.permissions == (READ,)
    answer = summary(p)
    assert answer["status"]["advertise_address"] == "127.0.0.2"
    assert answer["status"]["paused"] is False
    assert "total" in answer["resources"] and answer["tasks"] == []
    # the same code a second time: used up
    with pytest.raises(FleetError) as used:
        client.pair(link, "desk-2")
    assert used.value.kind == client.WRONG_CODE
    # listed, then unpaired by name: its token stops working
    listed = pair_command(root, worker, "--list")
    assert "desk-1\tread" in listed.stdout
    assert pair_command(root, worker, "--revoke", "desk-1").returncode == 0
    with pytest.raises(FleetError) as gone:
        summary(p)
    assert gone.value.kind == client.REVOKED


def test_only_hashes_are_kept_and_the_key_is_owner_only(root: Path, worker: Worker):
    port = worker.settings.remote_api_port
    assert worker.health()["checks"]["remote_api"] == {
        "ok": True,
        "detail": f"https://{REMOTE_HOST}:{port}",
    }
    p = paired(root, worker, "desk-hash")
    data = (worker.settings.data_path / "remote-clients.json").read_text()
    assert p.token not in data
    assert "desk-hash" in data
    for name in ("remote-clients.json", identity.KEY_FILE):
        mode = stat.S_IMODE((worker.settings.data_path / name).stat().st_mode)
        assert mode == 0o600, (name, oct(mode))
    # nor does the worker's log hold it
    logs = "".join(p2.read_text(errors="replace") for p2 in worker.settings.log_path.glob("*"))
    assert p.token not in logs and "desk-hash" in logs


def test_a_computer_can_unpair_itself(root: Path, worker: Worker):
    p = paired(root, worker, "desk-leaving")
    answer, _ = client.request(p.host, p.port, p.fingerprint, "POST", "/api/unpair",
                               token=p.token)  # fmt: skip
    assert answer == {"message": "unpaired"}
    assert "desk-leaving" not in pair_command(root, worker, "--list").stdout
    with pytest.raises(FleetError) as gone:
        summary(p)
    assert gone.value.kind == client.REVOKED


def test_pair_with_the_local_api_off_says_so(root: Path, worker: Worker):
    env = clean_env(root) | {"FLASK_PORT": "0"}
    done = subprocess.run([str(SCRIPT), "pair"], env=env, capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 1 and "FLASK_PORT=0" in done.stderr


def test_a_wrong_token_and_no_token_are_refused(root: Path, worker: Worker):
    p = paired(root, worker, "desk-wrong")
    with pytest.raises(FleetError) as wrong:
        summary(p, token=p.token[:-2] + "xx")
    assert wrong.value.kind == client.WRONG_TOKEN
    assert "pair again" in str(wrong.value)
    with pytest.raises(FleetError) as none:
        summary(p, token="")
    assert "paired computers only" in str(none.value)
    assert summary(p)["status"]  # the right one still reads


def test_a_replayed_old_token_is_refused_after_pairing_again(root: Path, worker: Worker):
    old = paired(root, worker, "desk-replay")
    new = paired(root, worker, "desk-replay")
    with pytest.raises(FleetError) as replay:
        summary(old)
    assert replay.value.kind == client.REVOKED
    assert "pair it again" in str(replay.value)
    assert summary(new)["status"]


def test_a_different_certificate_is_refused_before_the_token_leaves(root: Path, worker: Worker):
    p = paired(root, worker, "desk-cert")
    # another worker identity on another address: what a stand-in would present
    other = identity.load_or_create(root / "other-identity")
    assert other.fingerprint != p.fingerprint
    seen: list[str] = []
    access = RemoteAccess(root / "other-identity")
    original = access.check

    def recording(token: str, permission: str):  # noqa: ANN202 - what the stand-in receives
        seen.append(token)
        return original(token, permission)

    access.check = recording  # type: ignore[method-assign]
    port = free_port("127.0.0.4")
    stand_in = RemoteApi(worker, access, other, "127.0.0.4", port)
    stand_in.start()
    try:
        with pytest.raises(FleetError) as changed:
            summary(_moved(p, "127.0.0.4", port))
        assert changed.value.kind == client.CERT_CHANGED
        assert "different certificate" in str(changed.value)
        assert seen == []  # the token never reached it
        # the same stand-in with its own (right) pin answers: the refusal was the pin
        with pytest.raises(FleetError) as refused:
            summary(_moved(p, "127.0.0.4", port), pin=other.fingerprint)
        assert refused.value.kind == client.WRONG_TOKEN
        assert seen == [p.token]
    finally:
        stand_in.stop()


def _moved(p: client.Pairing, host: str, port: int) -> client.Pairing:
    return client.Pairing(host, port, p.fingerprint, p.permissions, p.token)


def test_a_link_with_another_certificate_does_not_spend_the_code(root: Path, worker: Worker):
    link = link_from(pair_command(root, worker).stdout)
    forged = PairingLink(link.host, link.port, link.code, "0" * 16)
    with pytest.raises(FleetError) as changed:
        client.pair(forged, "desk-forged")
    assert changed.value.kind == client.CERT_CHANGED
    assert client.pair(link, "desk-forged").token  # the code was never sent


def test_an_expired_pairing_code_is_refused(root: Path, worker: Worker):
    now = [1_000_000.0]
    access = RemoteAccess(root / "expiry", clock=lambda: now[0])
    ident = identity.load_or_create(root / "expiry")
    port = free_port(REMOTE_HOST)
    api = RemoteApi(worker, access, ident, REMOTE_HOST, port)
    api.start()
    try:
        issued = access.issue_code((READ,))
        link = PairingLink(REMOTE_HOST, port, issued.code, ident.fingerprint)
        now[0] += CODE_LIFETIME_S + 1
        with pytest.raises(FleetError) as expired:
            client.pair(link, "desk-late")
        assert expired.value.kind == client.CODE_EXPIRED
        assert "expired" in str(expired.value)
    finally:
        api.stop()


def test_control_needs_the_permission(root: Path, worker: Worker):
    reader = paired(root, worker, "desk-reader")
    with pytest.raises(FleetError) as refused:
        client.request(reader.host, reader.port, reader.fingerprint, "POST", "/api/pause",
                       token=reader.token)  # fmt: skip
    assert refused.value.kind == client.NOT_PERMITTED
    assert "--control" in str(refused.value)
    assert worker.snapshot().paused is False

    controller = paired(root, worker, "desk-control", "--control")
    assert controller.permissions == (READ, CONTROL)
    for action, expected in (("/api/pause", True), ("/api/resume", False)):
        client.request(controller.host, controller.port, controller.fingerprint, "POST", action,
                       token=controller.token)  # fmt: skip
        assert worker.snapshot().paused is expected
    with pytest.raises(FleetError) as unknown:
        client.request(controller.host, controller.port, controller.fingerprint, "POST",
                       "/api/stop_task/no-such-task", token=controller.token)  # fmt: skip
    assert "no-such-task" in str(unknown.value)


def test_silent_peers_and_big_requests_do_not_block_the_server(root: Path, worker: Worker):
    p = paired(root, worker, "desk-slow")
    address = (p.host, p.port)
    # a peer that connects and says nothing, up to its limit and beyond
    silent = [socket.create_connection(address, source_address=("127.0.0.5", 0))
              for _ in range(MAX_PER_PEER + 2)]  # fmt: skip
    try:
        extra = silent[-1]
        extra.settimeout(10)
        assert wait_for(lambda: _closed(extra), "the connection over the limit to be closed")
        # meanwhile others are answered
        assert summary(p)["status"]
        # plain HTTP on the TLS port: closed, nothing served
        with socket.create_connection(address, timeout=10) as plain:
            plain.sendall(b"GET /api/summary HTTP/1.0\r\n\r\n")
            assert b"paired" not in _read_all(plain)
        # endless headers: read no further than the limit, answered, and still serving
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        with context.wrap_socket(socket.create_connection(address, timeout=10)) as flood:
            flood.sendall(b"GET /api/summary HTTP/1.1\r\n")
            sent = 0
            try:
                for _ in range(100):  # 100 headers of 30 KB: http.server alone reads them all
                    flood.sendall(b"X-Filler: " + b"a" * 30_000 + b"\r\n")
                    sent += 1
            except OSError:
                pass  # the server closed its end: it stopped reading
            reply = _read_all(flood)
        assert sent < 100 or reply.startswith(b"HTTP/1.0 4"), (sent, reply[:80])
        assert b"431" not in reply[:20]  # not "too many headers": it never read that far
        assert summary(p)["status"]
        # a body over the limit: refused with the limit named
        with pytest.raises(FleetError) as big:
            client.request(p.host, p.port, p.fingerprint, "POST", "/api/pair",
                           body={"code": "x" * 10_000, "name": "big"})  # fmt: skip
        assert "4096 bytes" in str(big.value)
        assert summary(p)["status"]
    finally:
        for sock in silent:
            sock.close()


def _closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except (ConnectionResetError, ssl.SSLError):
        return True


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except OSError:
        pass
    return data


def test_the_pairing_file_works_once_and_is_owner_only(root: Path, worker: Worker):
    path = root / "pairing.json"
    done = pair_command(root, worker, "--file", str(path), "--control")
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    link = parse_link(path.read_text())
    assert len(link.fingerprint) == 64
    assert client.pair(link, "desk-file").permissions == (READ, CONTROL)
    assert json.loads(path.read_text())["hivemind_pairing"] == 1


def test_pair_says_how_to_turn_remote_access_on(tmp_path: Path, docker_client) -> None:
    settings = worker_settings(tmp_path, NO_POOL, status_port=free_port())
    with running_worker(settings, docker_client) as w:
        done = pair_command(tmp_path, w)
    assert done.returncode == 1
    assert "HIVEMIND_REMOTE_API_ADDRESS" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_address_that_is_not_ours_turns_only_remote_access_off(tmp_path: Path, docker_client):
    settings = worker_settings(
        tmp_path, NO_POOL, remote_api_address="192.0.2.77", remote_api_port=free_port()
    )
    with running_worker(settings, docker_client) as w:
        assert "not an address of this computer" in w.remote_api_problem
        assert w.snapshot().state  # the worker itself runs
        check = w.health()["checks"]["remote_api"]  # the Monitor page's health list
        assert check == {"ok": False, "detail": w.remote_api_problem}


def test_a_running_task_is_listed_and_stopped_only_with_control(
    tmp_path: Path, docker_client: docker.DockerClient, task_images: None
) -> None:
    """A worker signed in to a real node pool runs a task; a paired computer sees it in
    the summary, cannot stop it when read-only, and stops it with control."""
    from tests.kit.pools import PoolClient, start_pool
    from tests.kit.worker import SUBMITTER, USERS, signed_in

    pool = start_pool(USERS)
    try:
        settings = signed_in(
            worker_settings(
                tmp_path,
                pool.address,
                status_port=free_port(),
                remote_api_address=REMOTE_HOST,
                remote_api_port=free_port(REMOTE_HOST),
            )  # fmt: skip
        )
        with running_worker(settings, docker_client) as w:
            wait_for(lambda: pool.node("worker1") is not None, "the worker to register")
            reader = paired(tmp_path, w, "desk-watch")
            controller = paired(tmp_path, w, "desk-stop", "--control")
            submitter = PoolClient(pool.address, SUBMITTER)
            task = make_zip({"main.py": "import time\nprint('go', flush=True)\ntime.sleep(120)\n"})
            assert submitter.upload("remote-stop", task, cpu_score=50).success

            def listed() -> dict:
                return {t["task_id"]: t for t in summary(reader)["tasks"]}

            wait_for(lambda: listed().get("remote-stop", {}).get("state") == "running", "a run")
            with pytest.raises(FleetError) as refused:
                client.request(reader.host, reader.port, reader.fingerprint, "POST",
                               "/api/stop_task/remote-stop", token=reader.token)  # fmt: skip
            assert refused.value.kind == client.NOT_PERMITTED
            assert listed()["remote-stop"]["state"] == "running"
            answer, _ = client.request(
                controller.host, controller.port, controller.fingerprint, "POST",
                "/api/stop_task/remote-stop", token=controller.token,
            )  # fmt: skip
            assert "stopping" in answer["message"]
            wait_for(lambda: "remote-stop" not in listed(), "the task to leave the list", 60)
            wait_for(
                lambda: (r := w.task("remote-stop")) is not None and r.state.value == "stopped",
                "the task to end stopped", 60,
            )  # fmt: skip
            submitter.close()
    finally:
        pool.stop(grace=0)


def test_a_kept_connection_is_reused_and_opened_again_once_the_worker_closed_it(
    root: Path, worker: Worker
):
    p = paired(root, worker, "desk-keep")
    link = client.Link(p.host, p.port, p.fingerprint)
    assert link.get("/api/summary", p.token)["status"]
    kept = link._conn
    assert kept is not None
    assert link.get("/api/summary", p.token)["status"]
    assert link._conn is kept  # no new handshake for the second poll
    time.sleep(IO_TIMEOUT_S + 1)  # the worker drops a connection idle this long
    assert link.get("/api/summary", p.token)["status"]
    assert link._conn is not kept
    with pytest.raises(FleetError) as wrong:  # a refusal closes it: no state carried over
        link.get("/api/summary", "not-the-token")
    assert wrong.value.kind == client.WRONG_TOKEN and link._conn is None
    link.close()
