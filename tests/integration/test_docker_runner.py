"""The Docker runner against the real engine: the hardening is checked both in the
engine's own view of each container (inspect) and by what a task can and cannot do."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import docker
import pytest

from hivemind_desktop.core import task_runtime
from hivemind_desktop.core.docker_runner import (
    ContainerNotFound,
    DockerRunner,
    DockerUnavailable,
    ImageNotInstalled,
    build_create_kwargs,
    container_name,
)
from tests.kit import wait_for
from tests.kit.docker_images import BUSYBOX_IMAGE

pytestmark = pytest.mark.docker


def _inspect(client: docker.DockerClient, container_id: str) -> dict:
    return client.api.inspect_container(container_id)


def _cgroup_of(pid: int, controller: str) -> str:
    """The cgroup (v1) a host process is in for one controller."""
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return path
    raise AssertionError(f"process {pid} has no {controller} cgroup")


def test_every_container_is_hardened_in_the_engine(
    runner, make_spec, docker_client, install_id, runtime
):
    spec = make_spec(
        ["sleep", "30"],
        image=BUSYBOX_IMAGE,
        cpu_score=150,
        pids_limit=40,
        env={"X": "1"},
        runtime=runtime,
    )
    handle = runner.start(spec)
    try:
        attrs = _inspect(docker_client, handle.id)
        host = attrs["HostConfig"]
        assert attrs["State"]["Running"] is True
        assert host["Runtime"] == runtime == handle.runtime
        assert host["Privileged"] is False
        assert host["CapDrop"] == ["ALL"]
        assert host["SecurityOpt"] == ["no-new-privileges"]
        # Under gVisor the cgroup also counts the sandbox's own threads (task_runtime).
        assert host["PidsLimit"] == task_runtime.host_pids_limit(runtime, 40)
        assert handle.pids_cgroup_limit == host["PidsLimit"]
        assert host["Memory"] == 1024**3
        assert host["MemorySwap"] == host["Memory"]
        assert (host["CpuQuota"], host["CpuPeriod"]) == (150_000, 100_000)  # 1.5 cores
        assert host["ReadonlyRootfs"] is True
        assert set(host["Tmpfs"]) == {"/tmp"}
        assert "size=256m" in host["Tmpfs"]["/tmp"]
        assert host["NetworkMode"] == "none"
        assert host["Init"] is True
        assert host["AutoRemove"] is False
        assert [(u["Name"], u["Soft"], u["Hard"]) for u in host["Ulimits"]] == [
            ("nofile", 1024, 4096)
        ]
        assert host["Binds"] == [f"{spec.workspace.resolve()}:/workspace:rw"]
        config = attrs["Config"]
        assert config["User"] == "1000:1000"
        assert config["WorkingDir"] == "/workspace"
        assert "TASK_ID=" + spec.task_id in config["Env"]
        assert "X=1" in config["Env"]
        assert config["Labels"]["hivemind.managed"] == "1"
        assert config["Labels"]["hivemind.task"] == spec.task_id
        assert config["Labels"]["hivemind.node"] == install_id
        assert attrs["Name"] == "/" + container_name(install_id, spec.task_id)
    finally:
        handle.stop(timeout=0)
        handle.remove()


def test_task_is_confined_non_root_read_only_and_offline(runner, make_spec, runtime):
    script = r"""
import os, platform
print("uid", os.getuid(), "gid", os.getgid())
for path in ("/evil", "/etc/evil", "/usr/evil"):
    try:
        open(path, "w").write("x")
        print("wrote", path)
    except OSError as exc:
        print("refused", path, exc.errno)
for line in open("/proc/self/mounts"):
    mount = line.split()
    if mount[1] in ("/", "/tmp"):
        print("mount", mount[1], mount[3].split(",")[0])
open("/workspace/result.txt", "w").write("done")
open("/tmp/scratch", "w").write("ok")
print("interfaces", ",".join(sorted(os.listdir("/sys/class/net"))))
print("cwd", os.getcwd(), "task", os.environ["TASK_ID"])
print("kernel", platform.release())
"""
    spec = make_spec(["python3", "-c", script], runtime=runtime)
    handle = runner.start(spec)
    exit_info = handle.wait()
    text = "".join(handle.output())
    handle.remove()

    assert exit_info.exit_code == 0, text
    assert exit_info.error == ""
    assert "uid 1000 gid 1000" in text
    assert "wrote" not in text
    # runc answers EROFS; gVisor checks the permission first (EACCES): both refuse, and
    # the mount table says read-only either way.
    errnos = {"runc": ("30",), "runsc": ("13", "30")}[runtime]
    for path in ("/evil", "/etc/evil", "/usr/evil"):
        assert any(f"refused {path} {errno}\n" in text for errno in errnos), text
    assert "mount / ro\n" in text and "mount /tmp rw\n" in text
    assert (spec.workspace / "result.txt").read_text() == "done"
    assert "interfaces lo\n" in text  # network "none": loopback only
    assert f"cwd /workspace task {spec.task_id}" in text
    # gVisor answers with its own kernel (it reports 4.4.0), never the host's.
    assert (f"kernel {os.uname().release}\n" in text) == (runtime == "runc"), text


def test_named_network_is_joined_and_host_network_refused(
    runner, make_spec, docker_client, install_id
):
    # internal=True: the bridge has no route off this machine.
    network = docker_client.networks.create(f"{install_id}-net", driver="bridge", internal=True)
    try:
        spec = make_spec(
            ["sh", "-c", "ls /sys/class/net"], image=BUSYBOX_IMAGE, network=network.name
        )
        handle = runner.start(spec)
        assert handle.wait().exit_code == 0
        assert sorted("".join(handle.output()).split()) == ["eth0", "lo"]
        handle.remove()
    finally:
        network.remove()

    with pytest.raises(ValueError, match="network 'host' is not allowed"):
        runner.start(make_spec(["true"], image=BUSYBOX_IMAGE, network="host"))
    with pytest.raises(ValueError, match="does not exist"):
        runner.start(make_spec(["true"], image=BUSYBOX_IMAGE, network=f"{install_id}-absent"))


def test_fork_bomb_is_held_by_the_pids_limit(runner, make_spec):
    """runc: the kernel holds the task at its pids limit (gVisor: see the next test)."""
    spec = make_spec(
        ["sh", "-c", "b(){ b|b& }; b; sleep 60"],
        image=BUSYBOX_IMAGE,
        pids_limit=32,
        time_limit_s=4,
    )
    handle = runner.start(spec)
    chunks: list[str] = []
    reader = threading.Thread(target=lambda: chunks.extend(handle.output()))
    reader.start()
    samples = [handle.usage() for _ in range(2)]
    exit_info = handle.wait()
    reader.join(timeout=30)
    handle.remove()

    assert all(s is not None and 0 < s.pids <= 32 for s in samples), samples
    assert "can't fork" in "".join(chunks)
    assert exit_info.timed_out is True
    assert exit_info.error == "time limit of 4 s reached"


def test_fork_bomb_in_gvisor_ends_its_own_sandbox(runner, make_spec, docker_client):
    """Under gVisor the task's processes are not host processes: the pids cgroup holds the
    sandbox's threads, and a fork bomb that reaches it ends the sandbox at once (or its
    memory limit does), long before the time limit; the host never sees more tasks than
    the cgroup allows."""
    runtime = "runsc"
    assert runtime in docker_client.info()["Runtimes"], "run scripts/enable-gvisor"
    spec = make_spec(
        ["sh", "-c", "b(){ b|b& }; b; sleep 60"],
        image=BUSYBOX_IMAGE,
        pids_limit=32,
        time_limit_s=60,
        runtime=runtime,
    )
    handle = runner.start(spec)
    exit_info = handle.wait()
    handle.remove()

    assert exit_info.timed_out is False
    assert exit_info.exit_code in (2, 137), exit_info
    assert exit_info.error in (
        "exit code 2 (or gVisor ended the task for too many processes)",
        "out of memory (limit 1 GiB)",
    )


def test_memory_hog_is_reported_out_of_memory(runner, make_spec, runtime):
    spec = make_spec(
        ["python3", "-c", "b = bytearray(b'1') * (3 * 1024**3); print('survived')"],
        memory_gb=1,
        runtime=runtime,
    )
    handle = runner.start(spec)
    exit_info = handle.wait()
    text = "".join(handle.output())
    handle.remove()

    assert exit_info.oom_killed is True
    assert exit_info.error == "out of memory (limit 1 GiB)"
    assert "survived" not in text


def test_time_limit_kills_and_survives_a_restart(runner, make_spec, install_id, runtime):
    spec = make_spec(["sleep", "60"], image=BUSYBOX_IMAGE, time_limit_s=2, runtime=runtime)
    handle = runner.start(spec)

    # A restarted worker re-attaches and still enforces the limit (kept in a label).
    reattached = DockerRunner(install_id).attach(handle.id)
    assert reattached.task_id == spec.task_id
    assert reattached.runtime == runtime  # read back from the engine
    assert reattached.pids_cgroup_limit == handle.pids_cgroup_limit
    exit_info = reattached.wait()
    reattached.remove()

    assert exit_info.timed_out is True
    assert exit_info.stopped is False
    assert exit_info.exit_code == 137
    assert exit_info.error == "time limit of 2 s reached"


def test_wait_timeout_is_what_is_left_of_the_limit_and_pauses_do_not_count(
    runner, make_spec, runtime
):
    handle = runner.start(
        make_spec(["sleep", "60"], image=BUSYBOX_IMAGE, time_limit_s=60, runtime=runtime)
    )
    handle.pause()
    result = {}
    waiter = threading.Thread(target=lambda: result.setdefault("info", handle.wait(timeout=1)))
    waiter.start()
    waiter.join(timeout=2.5)
    assert waiter.is_alive()  # paused for longer than the 1 s granted: not killed
    handle.resume()
    waiter.join(timeout=30)
    handle.remove()

    assert result["info"].timed_out is True
    assert result["info"].error == "time limit of 60 s reached"


def test_stop_marks_the_result_stopped(runner, make_spec, runtime):
    handle = runner.start(make_spec(["sleep", "60"], image=BUSYBOX_IMAGE, runtime=runtime))
    result = {}
    waiter = threading.Thread(target=lambda: result.setdefault("info", handle.wait()))
    waiter.start()
    handle.stop(timeout=1)
    waiter.join(timeout=30)
    handle.remove()

    info = result["info"]
    assert info.stopped is True
    assert info.timed_out is False
    assert info.error == "stopped by user"


def _cpu_time_ns(pid: int) -> int:
    """The CPU time charged so far to the cgroup of a container's host process."""
    folder = Path(f"/sys/fs/cgroup/cpuacct{_cgroup_of(pid, 'cpuacct')}")
    return int((folder / "cpuacct.usage").read_text())


def test_pause_resume_and_usage(runner, make_spec, docker_client, runtime):
    handle = runner.start(
        make_spec(
            ["sh", "-c", "while :; do :; done"], image=BUSYBOX_IMAGE, cpu_score=50, runtime=runtime
        )
    )
    try:
        usage = handle.usage()
        assert usage is not None
        assert 0 < usage.cpu_percent <= 200  # % of one core; the limit is half a core
        assert usage.memory_bytes > 0
        assert 0 < usage.memory_percent < 100

        handle.pause()
        assert _inspect(docker_client, handle.id)["State"]["Paused"] is True
        # Frozen means no CPU at all: the busy loop's cgroup stops being charged.
        pid = _inspect(docker_client, handle.id)["State"]["Pid"]
        frozen_at = _cpu_time_ns(pid)
        time.sleep(0.5)
        assert _cpu_time_ns(pid) - frozen_at < 5_000_000  # < 5 ms in half a second
        handle.pause()  # idempotent: the GUI may pause twice
        handle.resume()
        state = _inspect(docker_client, handle.id)["State"]
        assert state["Paused"] is False
        assert state["Running"] is True
        thawed_at = _cpu_time_ns(pid)
        wait_for(lambda: _cpu_time_ns(pid) - thawed_at > 20_000_000, "it to run again")
    finally:
        handle.stop(timeout=0)
        handle.wait()
        handle.remove()
    assert handle.usage() is None  # gone


def test_tasks_run_at_the_lowest_cpu_weight_unless_turned_off(
    runner, make_spec, docker_client, runtime
):
    """cpu.shares 2 (cgroup v1; cpu.weight 1 on v2) by default; the engine's default
    (0 = 1024) when the volunteer turns "lowest CPU priority" off. The task's host
    process (under gVisor: the sandbox) really sits in that cgroup."""
    shares, parents = {}, {}
    for low in (True, False):
        handle = runner.start(
            make_spec(["sleep", "30"], image=BUSYBOX_IMAGE, low_priority=low, runtime=runtime)
        )
        try:
            attrs = _inspect(docker_client, handle.id)
            host = attrs["HostConfig"]
            shares[low], parents[low] = host["CpuShares"], host["CgroupParent"]
            cgroup = _cgroup_of(attrs["State"]["Pid"], "cpu")
            assert cgroup.endswith(handle.id)
            assert cgroup.startswith("/hivemind-tasks/") == low, cgroup
            assert Path(f"/sys/fs/cgroup/cpu{cgroup}/cpu.shares").read_text().strip() == (
                "2" if low else "1024"
            )
        finally:
            handle.stop(timeout=0)
            handle.remove()
    assert shares == {True: 2, False: 0}
    # Against the owner's programs it is the parent's weight that counts: the lowest too
    # (this engine uses the cgroupfs driver and the tests run as root, as CI does).
    assert parents == {True: "/hivemind-tasks", False: ""}
    assert Path("/sys/fs/cgroup/cpu/hivemind-tasks/cpu.shares").read_text().strip() == "2"


def test_cpu_share_changes_live(runner, make_spec, docker_client, runtime):
    """The volunteer's CPU cap reaches a running task's cgroup (quota per 100 ms)."""
    handle = runner.start(
        make_spec(["sleep", "30"], image=BUSYBOX_IMAGE, cpu_score=150, runtime=runtime)
    )
    try:
        pid = _inspect(docker_client, handle.id)["State"]["Pid"]
        quota = Path(f"/sys/fs/cgroup/cpu{_cgroup_of(pid, 'cpu')}/cpu.cfs_quota_us")
        assert quota.read_text().strip() == "150000"
        handle.set_cpu(30)
        assert quota.read_text().strip() == "30000"
        if runtime == "runc":  # runsc has no `update`: the engine's record stays as created
            assert _inspect(docker_client, handle.id)["HostConfig"]["CpuQuota"] == 30_000
    finally:
        handle.stop(timeout=0)
        handle.remove()


def test_output_streams_while_running_and_survives_bad_utf8(runner, make_spec, runtime):
    script = r"""
import os, sys, time
print("first", flush=True)
while not os.path.exists("/workspace/go"):
    time.sleep(0.05)
sys.stdout.buffer.write(b"bad \xff\xfe bytes\n")
sys.stdout.buffer.write("caf\u00e9 ".encode() + "\u4e2d\u6587".encode())
sys.stdout.flush()
print("to stderr", file=sys.stderr)
"""
    spec = make_spec(["python3", "-c", script], runtime=runtime)
    handle = runner.start(spec)
    stream = handle.output()
    # The container cannot finish before we create /workspace/go, so getting "first"
    # here proves chunks arrive while it runs.
    assert next(stream) == "first\n"
    (spec.workspace / "go").write_text("")
    rest = "".join(stream)
    assert handle.wait().exit_code == 0
    handle.remove()

    assert "bad \ufffd\ufffd bytes\n" in rest
    assert "caf\u00e9 \u4e2d\u6587" in rest
    assert "to stderr\n" in rest


def test_labelled_containers_attach_and_remove(runner, make_spec, docker_client, install_id):
    done = runner.start(make_spec(["sh", "-c", "exit 3"], image=BUSYBOX_IMAGE))
    assert done.wait().error == "exit code 3"
    running = runner.start(make_spec(["sleep", "60"], image=BUSYBOX_IMAGE))
    foreign = docker_client.containers.create(BUSYBOX_IMAGE, ["true"])  # the volunteer's own
    try:
        found = {c.container_id: c for c in runner.labelled_containers()}
        assert found[done.id].running is False
        assert found[done.id].exit_code == 3
        assert found[running.id].running is True
        assert found[running.id].exit_code is None
        assert foreign.id not in found
        assert DockerRunner(install_id + "-other").labelled_containers() == []

        runner.remove(foreign.id)  # never touches containers that are not ours
        foreign.reload()
        with pytest.raises(ContainerNotFound):
            runner.attach(foreign.id)

        runner.remove(done.id)
        runner.remove(running.id)
        runner.remove(running.id)  # already gone is fine
        assert runner.labelled_containers() == []
        with pytest.raises(ContainerNotFound):
            runner.attach(running.id)
    finally:
        foreign.remove(force=True)


def test_same_task_restarted_replaces_its_finished_container(runner, make_spec):
    spec = make_spec(["true"], image=BUSYBOX_IMAGE)
    first = runner.start(spec)
    first.wait()
    second = runner.start(spec)  # the first was never removed
    assert second.wait().exit_code == 0
    assert [c.container_id for c in runner.labelled_containers()] == [second.id]
    second.remove()


def test_bad_specs_and_missing_images_are_refused_before_docker(runner, make_spec, tmp_path):
    with pytest.raises(ImageNotInstalled, match=r"task image hivemind/absent:latest is not"):
        runner.start(make_spec(["true"], image="hivemind/absent:latest"))
    with pytest.raises(ValueError, match="is not an existing absolute directory"):
        runner.start(make_spec(["true"], workspace=tmp_path / "missing"))
    with pytest.raises(ValueError, match="non-root"):
        runner.start(make_spec(["true"], user="0:0"))
    with pytest.raises(ValueError, match="runner's install id"):
        runner.start(make_spec(["true"], install_id="someone-else"))
    assert not (tmp_path / "missing").exists()
    assert runner.labelled_containers() == []


def test_unreachable_engine_is_reported_with_a_fix(make_spec, monkeypatch, install_id):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    runner = DockerRunner(install_id)
    status = runner.status()
    assert status.available is False
    assert status.reason == (
        "Docker is not running: nothing answers at unix:///nonexistent.sock (DOCKER_HOST); "
        "start that engine, or unset DOCKER_HOST"
    )
    assert status.endpoint == "unix:///nonexistent.sock (DOCKER_HOST)" and status.engine == ""
    with pytest.raises(DockerUnavailable, match="^Docker is not running: nothing answers at"):
        runner.start(make_spec(["true"]))
    # The engine is looked for again on each call until one answers: no restart needed.
    monkeypatch.delenv("DOCKER_HOST")
    status = runner.status()
    assert status.available is True, status.reason
    assert status.endpoint == "unix:///var/run/docker.sock (default socket)"
    assert status.engine == f"Docker {status.version}"


def test_the_current_docker_context_is_used(tmp_path, monkeypatch, install_id, docker_client):
    # What `docker context create hm --docker host=unix:///var/run/docker.sock` and
    # `docker context use hm` leave in the CLI's configuration, for an app with no DOCKER_HOST.
    import hashlib
    import json

    monkeypatch.delenv("DOCKER_HOST", raising=False)
    config = tmp_path / "docker-config"
    meta = config / "contexts" / "meta" / hashlib.sha256(b"hm").hexdigest() / "meta.json"
    meta.parent.mkdir(parents=True)
    meta.write_text(
        json.dumps({"Name": "hm", "Endpoints": {"docker": {"Host": "unix:///var/run/docker.sock"}}})
    )
    (config / "config.json").write_text(json.dumps({"currentContext": "hm"}))
    monkeypatch.setenv("DOCKER_CONFIG", str(config))
    status = DockerRunner(install_id).status()
    assert status.available is True, status.reason
    assert status.endpoint == "unix:///var/run/docker.sock (Docker context 'hm')"
    assert status.version == docker_client.version()["Version"]
    # A context whose engine is gone: named, with the way back.
    meta.write_text(
        json.dumps({"Name": "hm", "Endpoints": {"docker": {"Host": f"unix://{tmp_path}/x.sock"}}})
    )
    status = DockerRunner(install_id).status()
    assert status.available is False
    assert status.reason.startswith(
        f"Docker is not running: nothing answers at unix://{tmp_path}/x.sock (Docker context 'hm')"
    )
    assert "`docker context use default`" in status.reason
    # A broken configuration file is a clear refusal, not a traceback.
    (config / "config.json").write_text("{")
    status = DockerRunner(install_id).status()
    assert status.available is False
    assert status.reason.startswith(f"cannot read the Docker configuration {config}/config.json")
    assert status.endpoint == ""  # no engine was looked at


def test_disabled_runner_refuses(make_spec, install_id):
    runner = DockerRunner(install_id, enabled=False)
    status = runner.status()
    assert status.available is False
    assert "DOCKER_ENABLED" in status.reason
    with pytest.raises(DockerUnavailable, match="DOCKER_ENABLED"):
        runner.start(make_spec(["true"]))
    runner.set_enabled(True)
    assert runner.status().available is True


def test_gpu_request_kwargs(make_spec):
    # No GPU here: check what would be asked of Docker.
    kwargs = build_create_kwargs(make_spec(["true"], gpus=2))
    [request] = kwargs["device_requests"]
    assert request["Count"] == 2
    assert request["Capabilities"] == [["gpu"]]
    assert "device_requests" not in build_create_kwargs(make_spec(["true"]))
    assert build_create_kwargs(make_spec(["true"], cpu_score=800), host_cpus=2)["cpu_quota"] == (
        200_000
    )


def test_container_names_are_sanitised():
    assert container_name("node/1", "task id:ä") == "hivemind-node-1-task-id"
    assert len(container_name("n", "t" * 500)) == 200
