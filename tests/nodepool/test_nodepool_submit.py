"""The submit client and the CLI entry points against a real pool and a test
worker that answers ExecuteTask by uploading a result, as a real worker does."""

from __future__ import annotations

import argparse
import io
import os
import signal
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hivemind_desktop.nodepool import SubmitError, submit_folder
from hivemind_desktop.nodepool.cli import (
    add_nodepool_arguments,
    add_submit_arguments,
    parse_user_spec,
    run_submit,
)
from hivemind_desktop.nodepool.submit import safe_extract
from hivemind_desktop.rpc import pb
from tests.kit import REPO, free_port, wait_for
from tests.kit.nodepool import PASSWORDS
from tests.kit.pools import PoolClient


def task_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "my task"
    (folder / "data").mkdir(parents=True)
    (folder / "main.py").write_text("print('hi')\n")
    (folder / "data" / "input.txt").write_text("1 2 3\n")
    os.symlink("/etc/passwd", folder / "link")  # links never travel
    return folder


def answering_worker(node: PoolClient, status: str = "Success", extra: dict | None = None):
    """on_execute: echo the task's files back with an execution log, like a worker."""

    def run(request: pb.ExecuteTaskRequest) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(request.task_zip)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                dst.writestr(info, src.read(info))
            dst.writestr("execution_log.txt", f"task id: {request.task_id}\nstatus: {status}\n")
            for name, data in (extra or {}).items():
                dst.writestr(name, data)
        node.uploads.TaskOutputUpload(
            pb.TaskOutputUploadRequest(task_id=request.task_id, output="hi\n"), metadata=node.md
        )
        node.upload_result(request.task_id, out.getvalue())

    return run


def test_submit_folder_runs_and_unpacks_the_result(pool, online_node, tmp_path):
    node, worker = online_node(pool, "w1")
    worker.on_execute = answering_worker(node)
    seen = []
    result = submit_folder(
        task_folder(tmp_path),
        pool.address,
        "alice",
        PASSWORDS["alice"],
        task_id="sum-1",
        cpu_score=200,
        memory_gb=2,
        out=tmp_path / "out",
        timeout=30,
        poll_interval=0.05,
        on_status=lambda status, msg: seen.append(status),
    )
    assert result.ok and result.status == "COMPLETED" and result.run_status == "Success"
    assert result.worker_ip == "127.0.0.2" and seen[-1] == "COMPLETED"
    assert (tmp_path / "out" / "main.py").read_text() == "print('hi')\n"
    assert (tmp_path / "out" / "data" / "input.txt").read_text() == "1 2 3\n"
    assert not (tmp_path / "out" / "link").exists()
    assert "status: Success" in result.execution_log
    request, _ = worker.executed[0]
    assert request.cpu_usage == 200.0 and request.memory_gb == 2
    assert sorted(zipfile.ZipFile(io.BytesIO(request.task_zip)).namelist()) == [
        "data/input.txt",
        "main.py",
    ]


def submit_args(pool, tmp_path, *extra: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_submit_arguments(parser)
    return parser.parse_args(
        [str(task_folder(tmp_path)), "--pool", pool.address, "--user", "alice:alice-pw"]
        + ["--timeout", "30", *extra]
    )


def test_run_submit_exit_codes_follow_the_execution_log(pool, online_node, tmp_path, capsys):
    node, worker = online_node(pool, "w1")
    worker.on_execute = answering_worker(node, status="Failed")
    out = tmp_path / "failed-out"
    assert run_submit(submit_args(pool, tmp_path, "--task-id", "bad-1", "--out", str(out))) == 1
    printed = capsys.readouterr().out
    assert "task bad-1: FAILED" in printed and "failed on the worker" in printed
    assert "status: Failed" in printed
    assert (out / "execution_log.txt").is_file()
    assert pool.task("bad-1").status == "FAILED" and pool.balance("w1") == 0


def private_file(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


def test_submit_takes_the_password_from_a_private_file_or_the_environment(
    pool, online_node, tmp_path, capsys, monkeypatch
):
    node, worker = online_node(pool, "w1")
    worker.on_execute = answering_worker(node)
    monkeypatch.delenv("HIVEMIND_PASSWORD", raising=False)
    secret = private_file(tmp_path / "alice.pw", "alice-pw\n")

    def submit(tag: str, *login: str) -> int:
        parser = argparse.ArgumentParser()
        add_submit_arguments(parser)
        args = parser.parse_args(
            [str(task_folder(tmp_path / tag)), "--pool", pool.address, *login]
            + ["--timeout", "30", "--task-id", tag, "--out", str(tmp_path / f"{tag}-out")]
        )
        return run_submit(args)

    assert submit("by-file", "--user", "alice", "--password-file", str(secret)) == 0
    assert node.report("Idle").success
    monkeypatch.setenv("HIVEMIND_PASSWORD", "alice-pw")
    assert submit("by-env", "--user", "alice") == 0
    monkeypatch.delenv("HIVEMIND_PASSWORD")
    capsys.readouterr()
    assert submit("none", "--user", "alice") == 1
    assert "--password-file" in capsys.readouterr().err
    secret.chmod(0o644)
    assert submit("shared", "--user", "alice", "--password-file", str(secret)) == 1
    assert f"chmod 600 {secret}" in capsys.readouterr().err
    assert sorted(t.task_id for t in pool.tasks()) == ["by-env", "by-file"]


def test_help_says_inline_passwords_show_in_the_process_list():
    for add in (add_nodepool_arguments, add_submit_arguments):
        parser = argparse.ArgumentParser()
        add(parser)
        assert "process list" in " ".join(parser.format_help().split())


def test_run_submit_refuses_a_hostile_result_and_writes_nothing(
    pool, online_node, tmp_path, capsys
):
    node, worker = online_node(pool, "w1")
    worker.on_execute = answering_worker(node, extra={"../escaped.txt": "x"})
    out = tmp_path / "res"
    assert run_submit(submit_args(pool, tmp_path, "--task-id", "evil-1", "--out", str(out))) == 1
    assert "climbs out" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "escaped.txt").exists()


def test_bad_submissions_fail_before_uploading(pool, tmp_path):
    folder = task_folder(tmp_path)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    with pytest.raises(SubmitError, match="not empty"):
        submit_folder(folder, pool.address, "alice", "alice-pw", out=busy)
    with pytest.raises(SubmitError, match="login .* failed"):
        submit_folder(folder, pool.address, "alice", "nope", out=tmp_path / "o1")
    with pytest.raises(SubmitError, match="not a folder"):
        submit_folder(tmp_path / "missing", pool.address, "alice", "alice-pw")
    with pytest.raises(SubmitError, match="invalid task id"):
        submit_folder(folder, pool.address, "alice", "alice-pw", task_id="a/b")
    assert pool.tasks() == [] and (busy / "keep.txt").read_text() == "mine"


def test_safe_extract_refuses_links_and_absolute_paths(tmp_path):
    link = zipfile.ZipInfo("innocent")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    for name, info in (("abs", zipfile.ZipInfo("/etc/x")), ("link", link)):
        archive = tmp_path / f"{name}.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("fine.txt", "ok")
            zf.writestr(info, "/etc/passwd")
        with pytest.raises(SubmitError, match="nothing extracted"):
            safe_extract(archive, tmp_path / f"out-{name}")
        assert not (tmp_path / f"out-{name}").exists()


def test_user_spec_parsing():
    assert parse_user_spec("ann:pw") == parse_user_spec("ann:pw:0")
    spec = parse_user_spec("ann:p:w:25")
    assert (spec.name, spec.password, spec.balance) == ("ann", "p:w", 25)
    assert parse_user_spec("ann:secret").password == "secret"
    parser = argparse.ArgumentParser()
    add_nodepool_arguments(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(["--user", "nopassword"])
    with pytest.raises(SystemExit):
        parser.parse_args(["--trust", "ann:max"])


def start_cli_pool(
    port: int, data: Path, log: Path, accounts: list[str] | None = None, **env: str
) -> subprocess.Popen:
    args = [sys.executable, "-m", "hivemind_desktop.nodepool", "serve"]
    args += ["--listen", f"127.0.0.1:{port}", "--data", str(data), "--dispatch-interval", "0.1"]
    if accounts is None:
        accounts = ["--user", "alice:alice-pw:100", "--user", "w1:w1-pw", "--trust", "w1:high"]
    args += accounts
    env = {**os.environ, "PYTHONPATH": str(REPO), **env}
    return subprocess.Popen(args, cwd=REPO, env=env, stderr=open(log, "ab"))


def test_cli_pool_takes_accounts_from_a_private_file_and_the_environment(connect, tmp_path):
    users = private_file(
        tmp_path / "users", "# name:password[:balance]\nalice:alice-pw:100\n\nbob:bob-pw\n"
    )
    port, log = free_port(), tmp_path / "pool.log"
    proc = start_cli_pool(
        port, tmp_path / "data", log, ["--users-file", str(users)],
        HIVEMIND_NODEPOOL_USERS="w1:w1-pw",
    )  # fmt: skip
    try:
        wait_for(lambda: "listening on" in log.read_text(), "the CLI pool to listen", 30)
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode()
        assert "-pw" not in cmdline  # no password in the process list
        address = f"127.0.0.1:{port}"
        for name in ("alice", "bob", "w1"):
            assert connect(address).login(name, PASSWORDS[name]).success, name
        assert not connect(address).login("alice", "wrong").success
        alice = connect(address, "alice")
        reply = alice.users.GetBalance(pb.GetBalanceRequest(username="alice"), metadata=alice.md)
        assert reply.balance == 100
    finally:
        proc.terminate()
        proc.wait(15)
    assert "-pw" not in log.read_text()


def test_cli_pool_refuses_a_users_file_others_can_read(tmp_path):
    users = private_file(tmp_path / "users", "alice:alice-pw\n", mode=0o640)
    proc = subprocess.run(
        [sys.executable, "-m", "hivemind_desktop.nodepool", "serve", "--users-file", str(users),
         "--listen", f"127.0.0.1:{free_port()}"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert f"run `chmod 600 {users}`" in proc.stderr and "alice-pw" not in proc.stderr
    users.write_text("alice:alice-pw\nno-password-here\n")
    users.chmod(0o600)
    proc = subprocess.run(
        [sys.executable, "-m", "hivemind_desktop.nodepool", "serve", "--users-file", str(users),
         "--listen", f"127.0.0.1:{free_port()}"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2 and "line 2" in proc.stderr
    assert "no-password-here" not in proc.stderr


def test_cli_pool_killed_and_restarted_keeps_its_task(connect, make_worker, tmp_path):
    port, data, log = free_port(), tmp_path / "data", tmp_path / "pool.log"
    proc = start_cli_pool(port, data, log)
    try:
        address = f"127.0.0.1:{port}"
        wait_for(lambda: "listening on" in log.read_text(), "the CLI pool to listen", 30)
        worker = make_worker()
        node = connect(address, "w1")
        assert node.register("127.0.0.2", worker.port).success and node.report().success
        alice = connect(address, "alice")
        assert alice.upload("cli-job").success
        wait_for(lambda: worker.task_ids() == ["cli-job"], "dispatch", 30)
        wait_for(lambda: "dispatched task cli-job to node w1" in log.read_text(), "log line")
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc = start_cli_pool(port, data, log)
        wait_for(lambda: log.read_text().count("listening on") == 2, "restart", 30)
        wait_for(lambda: node.upload_result("cli-job", b"PK\x05\x06" + bytes(18)).success, "up")
        assert alice.my_tasks()["cli-job"].status == "COMPLETED"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        assert "task cli-job COMPLETED" in log.read_text()
        assert "w1-pw" not in log.read_text() and node.token not in log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
