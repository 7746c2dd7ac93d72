"""What the worker has lent out: the single source of truth for admission.

Every allocation and release happens under one lock, so two tasks arriving at once can
never together take more than the shares the volunteer set.

When the volunteer lowers a share while tasks run (`set_total`), the running tasks keep
what they hold: stopping someone's work because a slider moved would waste it. The
accountant is then over-committed in that part; `available()` reports 0 for it (never a
negative amount) and nothing new is admitted until enough has been released to fit.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import psutil

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say
from hivemind_desktop.core.models import Resources

if TYPE_CHECKING:
    from hivemind_desktop.core.gpu import GpuInfo
    from hivemind_desktop.core.settings import Settings

GIB = 2**30


@dataclass(frozen=True)
class AccountantSnapshot:
    """One consistent view, taken under the lock (separate calls may interleave)."""

    total: Resources
    allocated: Resources
    available: Resources
    allocations: dict[str, Resources]


def _check_not_negative(what: str, amount: Resources) -> None:
    if not isinstance(amount, Resources):
        raise TypeError(f"{what} must be Resources, not {type(amount).__name__}")
    bad = [
        f"{f.name}={getattr(amount, f.name)}" for f in fields(amount) if getattr(amount, f.name) < 0
    ]
    if bad:
        raise ValueError(f"{what} has negative parts ({', '.join(bad)}): use 0 or more")


def _clamp(amount: Resources) -> Resources:
    return Resources(*(max(0, getattr(amount, f.name)) for f in fields(amount)))


class ResourceAccountant:
    def __init__(self, total: Resources) -> None:
        _check_not_negative("total", total)
        self._lock = threading.Lock()
        self._total = total
        self._allocated = Resources()
        self._allocations: dict[str, Resources] = {}

    # -- reading ------------------------------------------------------------------------
    @property
    def total(self) -> Resources:
        with self._lock:
            return self._total

    def allocated(self) -> Resources:
        with self._lock:
            return self._allocated

    def available(self) -> Resources:
        """Free shares, each part at least 0 (see the module note on set_total)."""
        with self._lock:
            return _clamp(self._total - self._allocated)

    def snapshot(self) -> AccountantSnapshot:
        with self._lock:
            return AccountantSnapshot(
                self._total,
                self._allocated,
                _clamp(self._total - self._allocated),
                dict(self._allocations),
            )

    def fits_ever(self, request: Resources) -> bool:
        """Whether the request fits in the shares at all, even with nothing running:
        a request that never can is refused at once instead of waiting forever."""
        _check_not_negative("request", request)
        with self._lock:
            return request.fits_in(self._total)

    # -- changing -----------------------------------------------------------------------
    def allocate(self, task_id: str, request: Resources) -> bool:
        """Lend `request` to task_id; False if it does not fit now or the id already
        holds an allocation. Raises ValueError for negative parts (a malformed request)."""
        _check_not_negative("request", request)
        with self._lock:
            if task_id in self._allocations:
                return False
            if not request.fits_in(self._total - self._allocated):
                return False
            self._allocations[task_id] = request
            self._allocated = self._allocated + request
            return True

    def release(self, task_id: str) -> Resources | None:
        """Give back what task_id holds; None if it holds nothing (safe to call twice)."""
        with self._lock:
            request = self._allocations.pop(task_id, None)
            if request is not None:
                self._allocated = self._allocated - request
            return request

    def set_total(self, total: Resources) -> None:
        """The volunteer changed the shares; running allocations are kept."""
        _check_not_negative("total", total)
        with self._lock:
            self._total = total

    # -- words for the volunteer and the node pool --------------------------------------
    def explain_refusal(self, request: Resources) -> str:
        """Why `request` is not admitted now, one line naming each short part."""
        _check_not_negative("request", request)
        with self._lock:
            total, free = self._total, _clamp(self._total - self._allocated)
        reasons = []
        for name in ("cpu_score", "memory_gb", "gpus", "gpu_memory_gb"):
            asked, shared, left = (getattr(r, name) for r in (request, total, free))
            if asked <= left:
                continue
            if asked > shared:
                if shared == 0:
                    gpu = name in ("gpus", "gpu_memory_gb")
                    reason = say(NONE_SHARED_GPU if gpu else NONE_SHARED, _amount(name, asked))
                else:
                    one = shared == _ONE[name]
                    reason = say(
                        ONE_SHARED if one else SOME_SHARED,
                        _amount(name, asked),
                        _qty(name, shared),
                    )
            elif left == 0:
                reason = say(NONE_FREE, _amount(name, asked), _qty(name, shared))
            else:
                reason = say(
                    ONE_FREE if left == _ONE[name] else SOME_FREE,
                    _amount(name, asked),
                    _qty(name, left),
                    _qty(name, shared),
                )
            reasons.append(reason)
        if not reasons:
            return FITS
        # Joined two at a time, so the GUI takes the list apart one reason after another.
        text = reasons[-1]
        for reason in reversed(reasons[:-1]):
            text = say(AND_ALSO, reason, text)
        return text


_ONE = {"cpu_score": 100, "memory_gb": 1, "gpus": 1, "gpu_memory_gb": 1}

# Why a request does not fit, as templates (core/i18n.py): the Tasks page and the notices
# show them in the volunteer's language. %1 is what is asked, the others what is shared/free.
FITS = QT_TRANSLATE_NOOP("Core", "the request fits in the free shares")
AND_ALSO = QT_TRANSLATE_NOOP("Core", "%1; %2")
NONE_SHARED = QT_TRANSLATE_NOOP("Core", "asks %1 but none is shared")
NONE_SHARED_GPU = QT_TRANSLATE_NOOP(
    "Core", "asks %1 but none is shared (GPU sharing is off or no NVIDIA GPU found)"
)
ONE_SHARED = QT_TRANSLATE_NOOP("Core", "asks %1 but only %2 is shared")
SOME_SHARED = QT_TRANSLATE_NOOP("Core", "asks %1 but only %2 are shared")
NONE_FREE = QT_TRANSLATE_NOOP("Core", "asks %1 but none of the %2 shared is free")
ONE_FREE = QT_TRANSLATE_NOOP("Core", "asks %1 but only %2 of the %3 shared is free")
SOME_FREE = QT_TRANSLATE_NOOP("Core", "asks %1 but only %2 of the %3 shared are free")
CORE = QT_TRANSLATE_NOOP("Core", "%1 core")
CORES = QT_TRANSLATE_NOOP("Core", "%1 cores")
GPU = QT_TRANSLATE_NOOP("Core", "%1 GPU")
GPUS = QT_TRANSLATE_NOOP("Core", "%1 GPUs")
CPU_CORE = QT_TRANSLATE_NOOP("Core", "%1 CPU core")
CPU_CORES = QT_TRANSLATE_NOOP("Core", "%1 CPU cores")
MEMORY = QT_TRANSLATE_NOOP("Core", "%1 GiB memory")
GPU_MEMORY = QT_TRANSLATE_NOOP("Core", "%1 GiB GPU memory")


def _qty(name: str, value: int) -> str:
    """A quantity in the unit the volunteer sets: cores, GiB, GPUs."""
    if name == "cpu_score":
        cores = value / 100
        return say(CORE if cores == 1 else CORES, f"{cores:g}")
    if name == "gpus":
        return say(GPU if value == 1 else GPUS, value)
    return f"{value} GiB"  # the same in every language


def _amount(name: str, value: int) -> str:
    """A quantity with what it is of: '4 GiB memory', '1.5 CPU cores'."""
    if name == "cpu_score":
        return say(CPU_CORE if value == 100 else CPU_CORES, f"{value / 100:g}")
    if name == "memory_gb":
        return say(MEMORY, value)
    if name == "gpus":
        return _qty(name, value)
    return say(GPU_MEMORY, value)


def shared_totals(
    settings: Settings,
    gpus: Sequence[GpuInfo],
    *,
    logical_cores: int | None = None,
    memory_bytes: int | None = None,
) -> Resources:
    """The machine capped by the volunteer's shares. logical_cores and memory_bytes
    default to what psutil reads; they are parameters so callers can state a machine."""
    if logical_cores is None:
        logical_cores = psutil.cpu_count(logical=True) or 1
    if memory_bytes is None:
        memory_bytes = psutil.virtual_memory().total
    cores = min(float(settings.max_cpu_cores), float(logical_cores))
    memory = min(settings.max_memory_gb, memory_bytes // GIB)
    if settings.share_gpu and gpus:
        gpu_count = len(gpus)
        gpu_memory = sum(g.memory_total_mb for g in gpus) // 1024
        if settings.max_gpu_memory_gb > 0:
            gpu_memory = min(gpu_memory, settings.max_gpu_memory_gb)
    else:
        gpu_count = gpu_memory = 0
    return Resources(
        cpu_score=max(0, math.floor(cores * 100 + 1e-9)),
        memory_gb=max(0, int(memory)),
        gpus=gpu_count,
        gpu_memory_gb=gpu_memory,
    )
