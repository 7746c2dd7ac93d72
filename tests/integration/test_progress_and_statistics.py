"""Task progress and the Statistics page's data through the real worker: a real task
container reports progress on its console and in its .progress file, a real local node
pool takes the result and pays for it, a user transfers CPT to the worker's account;
the worker's own history then shows the task, the credits and the trust change, and
clearing the Tasks history keeps the statistics."""

from __future__ import annotations

import threading
from pathlib import Path

import docker
import pytest

from hivemind_desktop.core import events as ev
from hivemind_desktop.core.models import TaskState
from hivemind_desktop.nodepool import NodePool
from hivemind_desktop.rpc import pb
from tests.kit import make_zip, wait_for
from tests.kit.pools import PoolClient
from tests.kit.worker import SUBMITTER, WORKER_USER, running_worker, signed_in, worker_settings

pytestmark = pytest.mark.docker

# Console lines for 25 % and 50 %, then the file for 80 % (read with the usage samples),
# held long enough for a few samples, then done.
PROGRESS_TASK = make_zip(
    {
        "main.py": (
            "import time\n"
            "print('PROGRESS 0.25', flush=True)\n"
            "time.sleep(1)\n"
            "print('PROGRESS 50%', flush=True)\n"
            "time.sleep(1)\n"
            "open('.progress', 'w').write('0.8')\n"
            "time.sleep(6)\n"
            "print('done', flush=True)\n"
        )
    }
)


def test_progress_statistics_and_clearing(
    tmp_path: Path, pool: NodePool, task_images: None, docker_client: docker.DockerClient
) -> None:
    settings = signed_in(worker_settings(tmp_path, pool.address))
    seen: list[float] = []
    lock = threading.Lock()

    def on_event(event: ev.Event) -> None:
        task = event.data.get("task")
        if event.kind == ev.TASK_CHANGED and task.progress is not None:
            with lock:
                if not seen or seen[-1] != task.progress:
                    seen.append(task.progress)

    submitter = PoolClient(pool.address, SUBMITTER)
    with running_worker(settings, docker_client) as worker:
        worker.subscribe(on_event)
        wait_for(lambda: worker.snapshot().balance is not None, "the first balance")
        before = worker.statistics(days=7)
        trust_before = worker.snapshot().trust_score

        # The submitter pays the worker's account: the worker sees its balance rise.
        reply = submitter.users.Transfer(
            pb.TransferRequest(token=submitter.token, receiver_username=WORKER_USER.name, amount=7),
            metadata=submitter.md,
            timeout=10,
        )
        assert reply.success, reply.message
        assert submitter.upload("prog-1", PROGRESS_TASK, cpu_score=50).success
        wait_for(lambda: pool.task("prog-1").status == "COMPLETED", "the pool to get the result")
        wait_for(
            lambda: (t := worker.task("prog-1")) is not None and t.state == TaskState.COMPLETED,
            "the final state",
        )
        with lock:
            assert seen == [0.25, 0.5, 0.8]
        assert worker.task("prog-1").progress == 0.8  # kept in the stored record

        # 7 transferred + the 10 CPT the local pool pays for a completed task
        wait_for(lambda: worker.statistics(days=7).credits == before.credits + 17, "the credits")
        after = worker.statistics(days=7)
        assert after.days[-1].completed == before.days[-1].completed + 1
        assert after.trust[-1][1] == min(100, trust_before + 2)

        assert "prog-1" in worker.clear_history()
        assert worker.task("prog-1") is None
        assert not (settings.data_path / "tasks" / "prog-1").exists()
        assert worker.statistics(days=7).days[-1].completed == after.days[-1].completed
    submitter.close()
