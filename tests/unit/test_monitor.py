"""The monitor on this machine's real psutil and NVML: events, ring buffer, ranges, stop."""

from __future__ import annotations

import threading

import psutil
import pytest

from hivemind_desktop.core.events import SAMPLE, EventBus
from hivemind_desktop.core.gpu import GpuInfo, GpuReader, read_gpus
from hivemind_desktop.core.monitor import Monitor, Sample, gpu_summary, tasks_cpu_share

GIB = 2**30


def monitor_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "hivemind-monitor"]


def collect(events: EventBus, count: int) -> tuple[list[Sample], threading.Event]:
    samples: list[Sample] = []
    enough = threading.Event()

    def on_event(event) -> None:
        if event.kind == SAMPLE:
            samples.append(event.data["sample"])
            if len(samples) >= count:
                enough.set()

    events.subscribe(on_event)
    return samples, enough


def test_samples_arrive_as_events_and_the_ring_keeps_the_newest(tmp_path):
    events = EventBus()
    samples, enough = collect(events, 8)
    monitor = Monitor(events, interval_s=0.05, history=5, disk_path=tmp_path)
    monitor.start()
    try:
        assert enough.wait(30), "no 8 samples within 30 s"
    finally:
        monitor.stop()
    assert not monitor_threads()

    ring = monitor.history()
    assert len(ring) == 5
    assert ring == samples[-5:]  # the very objects published, oldest first
    assert monitor.latest() is samples[-1]
    assert [s.time for s in samples] == sorted(s.time for s in samples)

    total_gib = psutil.virtual_memory().total / GIB
    disk_gib = psutil.disk_usage(str(tmp_path)).total / GIB
    has_gpu = bool(read_gpus()[0])
    for s in samples:
        assert 0.0 <= s.cpu_percent <= 100.0
        assert 0.0 < s.memory_percent <= 100.0
        assert 0.0 < s.memory_used_gb <= total_gib
        assert 0.0 <= s.disk_free_gb <= disk_gib
        if has_gpu:
            assert 0.0 <= s.gpu_percent <= 100.0
            assert 0.0 <= s.gpu_memory_percent <= 100.0
        else:
            assert s.gpu_percent is None and s.gpu_memory_percent is None
    assert monitor.gpu_message == read_gpus()[1]


def test_stop_does_not_wait_for_the_interval():
    # With an hour between samples, a sleeping loop would still be alive after stop().
    monitor = Monitor(EventBus(), interval_s=3600)
    monitor.start()
    assert monitor.running
    monitor.stop(timeout=10)
    assert not monitor.running
    assert not monitor_threads()
    assert monitor.history() == []


def test_start_twice_runs_one_thread_and_restart_after_stop_works():
    events = EventBus()
    samples, enough = collect(events, 2)
    monitor = Monitor(events, interval_s=0.05, history=3)
    monitor.start()
    monitor.start()
    assert len(monitor_threads()) == 1
    monitor.stop()
    monitor.start()
    try:
        assert enough.wait(30)
    finally:
        monitor.stop()
    assert not monitor_threads()


def test_a_failing_subscriber_does_not_stop_sampling():
    events = EventBus()

    def broken(event) -> None:
        raise RuntimeError("subscriber bug")

    events.subscribe(broken)
    samples, enough = collect(events, 3)
    monitor = Monitor(events, interval_s=0.05, history=10)
    monitor.start()
    try:
        assert enough.wait(30)
    finally:
        monitor.stop()
    assert len(monitor.history()) >= 3


def test_disk_path_not_made_yet_reads_its_nearest_existing_folder(tmp_path):
    monitor = Monitor(None, disk_path=tmp_path / "not" / "yet")
    sample = monitor.take_sample()
    free = psutil.disk_usage(str(tmp_path)).free / GIB
    assert sample.disk_free_gb == pytest.approx(free, abs=1.0)  # others write meanwhile
    monitor.stop()


def test_shared_gpu_reader_is_not_shut_down_by_the_monitor():
    reader = GpuReader()
    monitor = Monitor(None, interval_s=0.05, gpu_reader=reader)
    monitor.take_sample()
    monitor.stop()
    assert reader.read() == read_gpus()


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="interval 0 s is not allowed"):
        Monitor(None, interval_s=0)
    with pytest.raises(ValueError, match="history 0 is not allowed"):
        Monitor(None, history=0)


def test_gpu_summary_over_two_gpus():
    a = GpuInfo(0, "A", memory_total_mb=1000, memory_used_mb=250, utilization_percent=20)
    b = GpuInfo(1, "B", memory_total_mb=3000, memory_used_mb=750, utilization_percent=60)
    assert gpu_summary([a, b]) == (40.0, 25.0)
    assert gpu_summary([]) == (None, None)


def test_tasks_cpu_share_counts_running_unfrozen_tasks_on_the_machine_scale():
    from hivemind_desktop.core.models import Resources, TaskRecord, TaskState, TaskUsage

    def task(state: TaskState, cpu: float, paused: bool = False) -> TaskRecord:
        return TaskRecord(
            f"t{cpu}{state.value}",
            state,
            Resources(100, 1, 0, 0),
            0.0,
            paused=paused,
            usage=TaskUsage(cpu, 10.0, 64.0),
        )

    tasks = [
        task(TaskState.RUNNING, 150.0),  # one and a half cores
        task(TaskState.RUNNING, 50.0),
        task(TaskState.RUNNING, 80.0, paused=True),  # frozen: uses nothing
        task(TaskState.UPLOADING, 90.0),  # its container has ended
    ]
    assert tasks_cpu_share(tasks, cores=4) == pytest.approx(50.0)
    assert tasks_cpu_share(tasks, cores=1) == 100.0  # never past the whole machine
    assert tasks_cpu_share([], cores=2) == 0.0


def test_samples_carry_hivemind_own_cpu_share_beside_the_machine(tmp_path):
    readings = iter([25.0, 250.0, -3.0])
    monitor = Monitor(None, disk_path=tmp_path, tasks_cpu=lambda: next(readings))
    try:
        shares = [monitor.take_sample().tasks_cpu_percent for _ in range(3)]
    finally:
        monitor.stop()
    assert shares == [25.0, 100.0, 0.0]
    plain = Monitor(None, disk_path=tmp_path)
    try:
        assert plain.take_sample().tasks_cpu_percent is None  # nothing to measure it with
    finally:
        plain.stop()
