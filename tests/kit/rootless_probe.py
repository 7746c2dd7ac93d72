"""Run as the rootless test user (tests/kit/rootless.py) with only the staged code: drives
the worker's own Docker runner against whatever engine it finds and prints one JSON line.

    python3 rootless_probe.py status|refusal|hardening|reconcile INSTALL_ID
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from pathlib import Path

from docker.errors import APIError

from hivemind_desktop.core.docker_runner import (
    ContainerSpec,
    DockerRunner,
    DockerUnavailable,
    _has_init,
    build_create_kwargs,
    create_container,
    default_task_user,
    engine_kwargs,
)

IMAGE = "hivemind/task-python:latest"


def spec(install_id: str, task_id: str, command: list[str]) -> ContainerSpec:
    return ContainerSpec(
        task_id=task_id,
        install_id=install_id,
        image=IMAGE,
        command=command,
        workspace=Path(tempfile.mkdtemp(prefix="hm-ws-", dir=Path.home())),  # goes with the user
        env={},
        cpu_score=50,
        memory_gb=1,
        gpus=0,
        network="none",
        time_limit_s=120,
        pids_limit=64,
        user=default_task_user(),
    )


def status(install_id: str) -> dict:
    from hivemind_desktop import selftest
    from hivemind_desktop.core.settings import Settings

    runner = DockerRunner(install_id)
    checks = selftest.check_docker(Settings())
    return {
        "status": dataclasses.asdict(runner.status()),
        "selftest": [dataclasses.asdict(c) for c in checks],
    }


def refusal(install_id: str) -> dict:
    runner = DockerRunner(install_id)
    out: dict = {}
    try:
        runner.start(spec(install_id, "refused", ["true"]))
        out["start"] = "started"
    except DockerUnavailable as exc:
        out["start"] = str(exc)
    try:
        out["has_image"] = runner.has_image(IMAGE)
    except DockerUnavailable as exc:
        out["has_image"] = str(exc)
    out["labelled"] = len(runner.labelled_containers())
    client = runner._get_client()
    out["all_containers"] = len(client.containers.list(all=True))
    return out


def _create(runner: DockerRunner, s: ContainerSpec):
    """What start() would create, made directly: start() refuses this engine."""
    client = runner._get_client()
    profile = runner.profile
    assert profile is not None
    kwargs = build_create_kwargs(
        s, host_cpus=client.info().get("NCPU"), init=_has_init({}, profile)
    )
    return create_container(client, engine_kwargs(kwargs, profile))


def hardening(install_id: str) -> dict:
    runner = DockerRunner(install_id)
    runner.status()
    script = (
        "import os, pathlib, subprocess\n"
        "s = pathlib.Path('/proc/self/status').read_text().splitlines()\n"
        "get = lambda k: [l.split(':', 1)[1].strip() for l in s if l.startswith(k + ':')][0]\n"
        "out = {'uid': os.getuid(), 'gid': os.getgid(), 'cap_eff': get('CapEff'),\n"
        "       'no_new_privs': get('NoNewPrivs'),\n"
        "       'init': pathlib.Path('/proc/1/cmdline').read_bytes().split(b'\\0')[0].decode(),\n"
        "       'net': sorted(l.split(':')[0].strip()\n"
        "                     for l in open('/proc/net/dev').readlines()[2:])}\n"
        "for f in ('/sys/fs/cgroup/memory/memory.limit_in_bytes', '/sys/fs/cgroup/memory.max'):\n"
        "    if os.path.exists(f):\n        out['memory_limit'] = open(f).read().strip(); break\n"
        "try:\n    open('/etc/x', 'w'); out['root_writable'] = True\n"
        "except OSError as e:\n    out['root_writable'] = e.strerror\n"
        "open('/tmp/t', 'w').write('t'); out['tmp_ok'] = True\n"
        "open('/workspace/result.txt', 'w').write('done'); out['workspace_ok'] = True\n"
        "import json; print(json.dumps(out))\n"
    )
    s = spec(install_id, "hardened", ["python3", "-c", script])
    container = _create(runner, s)
    container.start()
    code = container.wait(timeout=120)["StatusCode"]
    logs = container.logs().decode()
    container.reload()
    host = container.attrs["HostConfig"]
    result = {
        "exit": code,
        "inside": json.loads(logs.strip().splitlines()[-1]) if code == 0 else logs,
        "cap_drop": host.get("CapDrop"),
        "security_opt": host.get("SecurityOpt"),
        "readonly": host.get("ReadonlyRootfs"),
        "network": host.get("NetworkMode"),
        "memory": host.get("Memory"),
        "pids_limit": host.get("PidsLimit"),
        "labels": container.labels,
        "workspace_file": (s.workspace / "result.txt").read_text()
        if (s.workspace / "result.txt").exists() else None,
        "workspace_owner": (s.workspace / "result.txt").stat().st_uid
        if (s.workspace / "result.txt").exists() else None,
    }  # fmt: skip
    container.remove(force=True)
    return result


def reconcile(install_id: str) -> dict:
    """What a restarted worker does: find its containers by label, attach, end, remove."""
    runner = DockerRunner(install_id)
    runner.status()
    mine = _create(runner, spec(install_id, "left-behind", ["sleep", "300"]))
    mine.start()
    other = _create(runner, spec(install_id + "-other", "not-mine", ["sleep", "300"]))
    out: dict = {}
    try:
        found = runner.labelled_containers()
        out["found"] = [(c.task_id, c.running, c.container_id == mine.id) for c in found]
        handle = runner.attach(mine.id)
        out["attached_task"] = handle.task_id
        out["attached_limit"] = handle.time_limit_s
        try:
            handle.pause()
            out["pause"] = "paused"
            handle.resume()
        except APIError as exc:
            out["pause"] = str(exc.explanation)
        handle.stop(timeout=1)
        info = handle.wait(timeout=60)
        out["exit"] = dataclasses.asdict(info)
        runner.remove(mine.id)
        out["after_remove"] = len(runner.labelled_containers())
        try:
            runner.attach(other.id)
            out["other"] = "attached"
        except LookupError as exc:
            out["other"] = str(exc)
    finally:
        other.remove(force=True)
    return out


if __name__ == "__main__":
    scenario, install = sys.argv[1], sys.argv[2]
    answer = {"status": status, "refusal": refusal, "hardening": hardening,
              "reconcile": reconcile}[scenario](install)  # fmt: skip
    print(json.dumps(answer))
