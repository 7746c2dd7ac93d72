"""The accountant under concurrent random programs, a model-based state machine, and the
words and totals it gives the volunteer."""

from __future__ import annotations

import sys
import threading
from collections import Counter
from dataclasses import fields

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from hivemind_desktop.core.accountant import ResourceAccountant, shared_totals
from hivemind_desktop.core.gpu import GpuInfo
from hivemind_desktop.core.models import Resources
from hivemind_desktop.core.settings import Settings

THREADS = 4

small_resources = st.builds(
    Resources,
    cpu_score=st.integers(0, 400),
    memory_gb=st.integers(0, 8),
    gpus=st.integers(0, 2),
    gpu_memory_gb=st.integers(0, 16),
)
totals = st.builds(
    Resources,
    cpu_score=st.integers(0, 1600),
    memory_gb=st.integers(0, 32),
    gpus=st.integers(0, 4),
    gpu_memory_gb=st.integers(0, 64),
)
# Ids shared between threads make them race for the same task id, as a duplicate
# ExecuteTask would; each op names one of 6 ids.
task_ids = st.sampled_from([f"task-{i}" for i in range(6)])
admit = st.tuples(st.just("admit"), task_ids, small_resources)
finish = st.tuples(st.sampled_from(["finish", "stop", "fail"]), task_ids)
resize = st.tuples(st.just("set_total"), totals)


def parts(r: Resources) -> list[int]:
    return [getattr(r, f.name) for f in fields(r)]


def check_snapshot(acc: ResourceAccountant, total_fixed: Resources | None) -> None:
    snap = acc.snapshot()
    assert min(parts(snap.available)) >= 0
    assert min(parts(snap.allocated)) >= 0
    summed = sum(snap.allocations.values(), Resources())
    assert summed == snap.allocated
    assert parts(snap.available) == [
        max(0, t - a) for t, a in zip(parts(snap.total), parts(snap.allocated), strict=True)
    ]
    if total_fixed is not None:
        assert snap.total == total_fixed
        assert snap.available + snap.allocated == total_fixed
        assert snap.allocated.fits_in(total_fixed)


def run_programs(
    acc: ResourceAccountant, programs: list[list[tuple]], total_fixed: Resources | None
) -> tuple[Counter, Counter]:
    """Run each program on its own thread, all released by one barrier. Returns, per
    (task id, request), how many allocations succeeded and how many releases returned it."""
    barrier = threading.Barrier(len(programs))
    errors: list[BaseException] = []
    granted: Counter = Counter()
    returned: Counter = Counter()
    tally_lock = threading.Lock()

    def worker(program: list[tuple]) -> None:
        try:
            barrier.wait()
            for op in program:
                if op[0] == "admit":
                    _, task_id, request = op
                    if acc.allocate(task_id, request):
                        with tally_lock:
                            granted[(task_id, request)] += 1
                elif op[0] == "set_total":
                    acc.set_total(op[1])
                else:
                    got = acc.release(op[1])
                    if got is not None:
                        with tally_lock:
                            returned[(op[1], got)] += 1
                check_snapshot(acc, total_fixed)
        except BaseException as exc:
            errors.append(exc)

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up
    try:
        threads = [threading.Thread(target=worker, args=(p,)) for p in programs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        sys.setswitchinterval(old_interval)
    if errors:
        raise errors[0]
    # Whatever is still held is released once now; a second release returns nothing.
    for task_id in list(acc.snapshot().allocations):
        got = acc.release(task_id)
        assert got is not None
        returned[(task_id, got)] += 1
        assert acc.release(task_id) is None
    return granted, returned


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    total=totals,
    programs=st.lists(
        st.lists(st.one_of(admit, finish), max_size=40), min_size=THREADS, max_size=THREADS
    ),
)
def test_concurrent_programs_never_lend_more_than_the_total(total, programs):
    acc = ResourceAccountant(total)
    granted, returned = run_programs(acc, programs, total_fixed=total)
    assert granted == returned  # every success released exactly once, with what it got
    assert acc.allocated() == Resources()
    assert acc.available() == total


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    total=totals,
    programs=st.lists(
        st.lists(st.one_of(admit, finish, resize), max_size=40),
        min_size=THREADS,
        max_size=THREADS,
    ),
)
def test_concurrent_programs_with_share_changes_stay_consistent(total, programs):
    acc = ResourceAccountant(total)
    granted, returned = run_programs(acc, programs, total_fixed=None)
    assert granted == returned
    assert acc.allocated() == Resources()
    assert acc.available() == acc.total  # nothing leaked, whatever the shares became


class AccountantModel(RuleBasedStateMachine):
    """One thread, compared step by step with a plain model, including shrinking the
    shares below what is lent out."""

    held = Bundle("held")

    def __init__(self) -> None:
        super().__init__()
        self.total = Resources(800, 16, 2, 24)
        self.acc = ResourceAccountant(self.total)
        self.model: dict[str, Resources] = {}
        self.counter = 0

    def lent(self) -> Resources:
        return sum(self.model.values(), Resources())

    @rule(target=held, request=small_resources)
    def admit(self, request):
        self.counter += 1
        task_id = f"t{self.counter}"
        expected = request.fits_in(self.total - self.lent())
        assert self.acc.allocate(task_id, request) is expected
        if expected:
            self.model[task_id] = request
            assert self.acc.allocate(task_id, Resources()) is False  # id already holds
        return task_id

    @rule(task_id=held)
    def release(self, task_id):
        assert self.acc.release(task_id) == self.model.pop(task_id, None)
        assert self.acc.release(task_id) is None

    @rule(total=totals)
    def set_total(self, total):
        self.acc.set_total(total)
        self.total = total

    @invariant()
    def matches_model(self):
        assert self.acc.allocated() == self.lent()
        assert self.acc.total == self.total
        free = self.acc.available()
        assert min(parts(free)) >= 0
        expected = [max(0, p) for p in parts(self.total - self.lent())]
        assert parts(free) == expected


AccountantModel.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
test_accountant_matches_model = AccountantModel.TestCase


def test_shrunk_shares_keep_running_tasks_and_admit_nothing_until_it_fits():
    acc = ResourceAccountant(Resources(400, 8))
    assert acc.allocate("a", Resources(300, 6))
    acc.set_total(Resources(200, 4))
    assert acc.allocated() == Resources(300, 6)  # kept
    assert acc.available() == Resources(0, 0)  # reported as 0, never negative
    assert not acc.allocate("b", Resources())  # not even an empty request while over
    assert not acc.allocate("c", Resources(100, 1))
    assert acc.release("a") == Resources(300, 6)
    assert acc.allocate("c", Resources(100, 1))
    assert acc.available() == Resources(100, 3)


def test_negative_requests_and_totals_are_rejected_and_change_nothing():
    acc = ResourceAccountant(Resources(400, 8))
    with pytest.raises(ValueError, match=r"negative parts \(memory_gb=-1\)"):
        acc.allocate("x", Resources(100, -1))
    with pytest.raises(ValueError, match="negative"):
        acc.set_total(Resources(-100, 8))
    with pytest.raises(ValueError, match="negative"):
        ResourceAccountant(Resources(0, 0, -1, 0))
    with pytest.raises(ValueError, match="negative"):
        acc.explain_refusal(Resources(0, 0, 0, -2))
    assert acc.allocated() == Resources()
    assert acc.total == Resources(400, 8)
    assert "x" not in acc.snapshot().allocations


def test_duplicate_id_is_refused_and_release_is_idempotent():
    acc = ResourceAccountant(Resources(400, 8))
    assert acc.allocate("x", Resources(100, 1))
    assert not acc.allocate("x", Resources(100, 1))
    assert acc.allocated() == Resources(100, 1)
    assert acc.release("x") == Resources(100, 1)
    assert acc.release("x") is None
    assert acc.release("never") is None
    assert acc.available() == Resources(400, 8)


def test_fits_ever_and_fits_in_what_is_free():
    acc = ResourceAccountant(Resources(400, 8, 1, 16))
    assert acc.allocate("a", Resources(400, 8, 1, 16))
    assert acc.fits_ever(Resources(400, 8, 1, 16))
    assert not Resources(100, 0).fits_in(acc.available())
    assert not acc.fits_ever(Resources(0, 9))
    assert not acc.fits_ever(Resources(0, 0, 2, 0))


def test_refusal_when_shares_are_taken():
    acc = ResourceAccountant(Resources(400, 8))
    assert acc.allocate("a", Resources(100, 6))
    assert (
        acc.explain_refusal(Resources(100, 4))
        == "asks 4 GiB memory but only 2 GiB of the 8 GiB shared are free"
    )
    assert acc.allocate("b", Resources(300, 1))
    assert (
        acc.explain_refusal(Resources(50, 1))
        == "asks 0.5 CPU cores but none of the 4 cores shared is free"
    )


def test_refusal_when_the_request_can_never_fit_names_every_part():
    acc = ResourceAccountant(Resources(100, 8, 0, 0))
    text = acc.explain_refusal(Resources(250, 9, 1, 4))
    assert text == (
        "asks 2.5 CPU cores but only 1 core is shared; "
        "asks 9 GiB memory but only 8 GiB are shared; "
        "asks 1 GPU but none is shared (GPU sharing is off or no NVIDIA GPU found); "
        "asks 4 GiB GPU memory but none is shared (GPU sharing is off or no NVIDIA GPU found)"
    )


def test_refusal_text_for_a_request_that_fits():
    acc = ResourceAccountant(Resources(400, 8))
    assert acc.explain_refusal(Resources(400, 8)) == "the request fits in the free shares"


H200 = GpuInfo(0, "NVIDIA H200", memory_total_mb=143771, memory_used_mb=0, utilization_percent=0)


def test_machine_totals_caps_by_the_volunteers_shares():
    s = Settings(max_cpu_cores=2.5, max_memory_gb=6, share_gpu=True, max_gpu_memory_gb=0)
    got = shared_totals(s, [H200, H200], logical_cores=16, memory_bytes=64 * 2**30)
    assert got == Resources(cpu_score=250, memory_gb=6, gpus=2, gpu_memory_gb=280)


def test_machine_totals_caps_by_the_machine():
    s = Settings(max_cpu_cores=32, max_memory_gb=100)
    # 23.6 GiB of memory counts as 23 whole GiB.
    got = shared_totals(s, [], logical_cores=2, memory_bytes=int(23.6 * 2**30))
    assert got == Resources(cpu_score=200, memory_gb=23, gpus=0, gpu_memory_gb=0)


def test_machine_totals_gpu_share_off_and_gpu_memory_cap():
    off = Settings(share_gpu=False, max_gpu_memory_gb=8)
    assert shared_totals(off, [H200], logical_cores=4, memory_bytes=2**34).gpus == 0
    assert shared_totals(off, [H200], logical_cores=4, memory_bytes=2**34).gpu_memory_gb == 0
    capped = Settings(share_gpu=True, max_gpu_memory_gb=40)
    got = shared_totals(capped, [H200], logical_cores=4, memory_bytes=2**34)
    assert (got.gpus, got.gpu_memory_gb) == (1, 40)


def test_machine_totals_reads_this_machine():
    s = Settings(max_cpu_cores=4096, max_memory_gb=65536)
    got = shared_totals(s, [])
    assert got.cpu_score == psutil.cpu_count(logical=True) * 100
    assert got.memory_gb == psutil.virtual_memory().total // 2**30
    assert (got.gpus, got.gpu_memory_gb) == (0, 0)
