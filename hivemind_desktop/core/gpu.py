"""NVIDIA GPUs through NVML (nvidia-ml-py).

Most volunteers have no NVIDIA GPU, so every failure here is an expected answer, not an
error: `read_gpus()` never raises and says in words why it sees no GPU. NVML is
initialised once and its device handles kept, because the monitor reads every second.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say

log = logging.getLogger(__name__)

# What the GPU reader tells the volunteer (core/i18n.py); "(NVML: ...)" stays as NVML said.
NO_GPU = QT_TRANSLATE_NOOP("Core", "no NVIDIA GPU found")
NO_DRIVER = QT_TRANSLATE_NOOP("Core", "no NVIDIA GPU found (the NVIDIA driver is not installed)")
NO_NVML_PACKAGE = QT_TRANSLATE_NOOP("Core", "no NVIDIA GPU found (nvidia-ml-py is not installed)")
NOT_LOADED = QT_TRANSLATE_NOOP(
    "Core", "NVIDIA driver not loaded: install the driver or restart the computer (%1)"
)
NOT_RELOADED = QT_TRANSLATE_NOOP(
    "Core", "NVIDIA driver updated but not reloaded: restart the computer (%1)"
)
NO_PERMISSION = QT_TRANSLATE_NOOP(
    "Core", "no permission to read the NVIDIA GPU: check the driver's permissions (%1)"
)
GPU_LOST = QT_TRANSLATE_NOOP("Core", "the NVIDIA GPU stopped answering: restart the computer (%1)")
UNREADABLE = QT_TRANSLATE_NOOP(
    "Core", "NVIDIA GPU cannot be read: update or reinstall the NVIDIA driver (%1)"
)
CANNOT_READ = QT_TRANSLATE_NOOP("Core", "NVIDIA GPU cannot be read: %1")
MIB = 2**20


@dataclass(frozen=True)
class GpuInfo:
    index: int
    name: str
    memory_total_mb: int  # MiB, as nvidia-smi shows it
    memory_used_mb: int
    utilization_percent: float

    @property
    def memory_percent(self) -> float:
        if self.memory_total_mb <= 0:
            return 0.0
        return min(100.0, 100.0 * self.memory_used_mb / self.memory_total_mb)

    @property
    def memory_total_gb(self) -> int:
        """Whole GiB: the unit the protocol advertises (gpu_memory_gb)."""
        return self.memory_total_mb // 1024


def gpu_info_from_nvml(
    index: int,
    name: str | bytes,
    utilization_gpu: int | float | None,
    memory_total_bytes: int,
    memory_used_bytes: int,
) -> GpuInfo:
    """Raw NVML values -> GpuInfo. Old NVML bindings return the name as bytes; a device
    that does not report utilisation (NotSupported) gives None, shown as 0 %."""
    if isinstance(name, bytes):
        name = name.decode("utf-8", errors="replace")
    util = 0.0 if utilization_gpu is None else float(utilization_gpu)
    return GpuInfo(
        index=index,
        name=name.strip() or f"GPU {index}",
        memory_total_mb=max(0, int(memory_total_bytes) // MIB),
        memory_used_mb=max(0, int(memory_used_bytes) // MIB),
        utilization_percent=min(100.0, max(0.0, util)),
    )


def describe_nvml_error(exc: BaseException) -> str:
    """An NVML failure in the volunteer's words: what is wrong and what to do."""
    import pynvml

    detail = f"NVML: {str(exc) or type(exc).__name__}"
    if isinstance(exc, pynvml.NVMLError_LibraryNotFound):
        return NO_DRIVER
    if isinstance(exc, pynvml.NVMLError_DriverNotLoaded):
        return say(NOT_LOADED, detail)
    if isinstance(exc, pynvml.NVMLError_LibRmVersionMismatch):
        return say(NOT_RELOADED, detail)
    if isinstance(exc, pynvml.NVMLError_NoPermission):
        return say(NO_PERMISSION, detail)
    if isinstance(exc, pynvml.NVMLError_GpuIsLost):
        return say(GPU_LOST, detail)
    return say(UNREADABLE, detail)


class _NoNvmlLibrary(OSError):
    """The NVIDIA driver's NVML library is not on this machine."""


def _check_nvml_library() -> None:
    """On Linux, ask whether the driver's library loads before importing pynvml: most
    volunteers have no NVIDIA GPU, and the bindings are a 1.5 MB module kept for good
    once imported. Elsewhere pynvml's own search (Program Files, System32) decides."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libnvidia-ml.so.1")  # the name pynvml loads
        except OSError:
            raise _NoNvmlLibrary() from None


class GpuReader:
    """Holds the NVML session and device handles between reads. Thread-safe.

    A failed initialisation is remembered for `retry_s` seconds so a machine without a
    GPU does not try to load the driver library on every monitor tick; after that it is
    tried again (a driver may have been installed meanwhile).
    """

    def __init__(self, retry_s: float = 60.0) -> None:
        self._lock = threading.Lock()
        self._retry_s = retry_s
        self._nvml: Any = None  # the pynvml module once initialised
        self._handles: list[Any] = []
        self._failure: str | None = None
        self._failed_at = 0.0

    def read(self) -> tuple[list[GpuInfo], str]:
        with self._lock:
            try:
                return self._read_locked()
            except Exception as exc:  # NVML or a missing library: an answer, never a crash
                message = self._describe(exc)
                self._shutdown_locked()
                self._failure, self._failed_at = message, time.monotonic()
                log.debug("reading GPUs: %s", message)
                return [], message

    def shutdown(self) -> None:
        """Release NVML; a later read initialises it again."""
        with self._lock:
            self._shutdown_locked()
            self._failure = None

    # -- internals ----------------------------------------------------------------------
    def _read_locked(self) -> tuple[list[GpuInfo], str]:
        if self._nvml is None:
            if self._failure and time.monotonic() - self._failed_at < self._retry_s:
                return [], self._failure
            self._init_locked()
        nvml = self._nvml
        if not self._handles:
            return [], NO_GPU
        gpus = []
        for index, handle in enumerate(self._handles):
            try:
                util = nvml.nvmlDeviceGetUtilizationRates(handle).gpu
            except nvml.NVMLError_NotSupported:
                util = None
            memory = nvml.nvmlDeviceGetMemoryInfo(handle)
            name = nvml.nvmlDeviceGetName(handle)
            gpus.append(gpu_info_from_nvml(index, name, util, memory.total, memory.used))
        count = len(gpus)
        return gpus, f"{count} NVIDIA GPU{'s' if count > 1 else ''}: " + ", ".join(
            g.name for g in gpus
        )

    def _init_locked(self) -> None:
        _check_nvml_library()
        import pynvml

        pynvml.nvmlInit()
        self._nvml = pynvml
        self._failure = None
        count = pynvml.nvmlDeviceGetCount()
        self._handles = [pynvml.nvmlDeviceGetHandleByIndex(i) for i in range(count)]
        log.info("NVML initialised: %d GPU(s)", count)

    def _shutdown_locked(self) -> None:
        if self._nvml is not None:
            try:
                self._nvml.nvmlShutdown()
            except Exception:  # already gone: nothing left to release
                log.debug("nvmlShutdown failed", exc_info=True)
        self._nvml = None
        self._handles = []

    @staticmethod
    def _describe(exc: BaseException) -> str:
        if isinstance(exc, _NoNvmlLibrary):
            return NO_DRIVER
        try:
            import pynvml
        except ImportError:
            return NO_NVML_PACKAGE
        if isinstance(exc, pynvml.NVMLError):
            return describe_nvml_error(exc)
        return say(CANNOT_READ, exc)


_default_reader = GpuReader()


def read_gpus() -> tuple[list[GpuInfo], str]:
    """The machine's NVIDIA GPUs and a one-line description; ([], reason) without any."""
    return _default_reader.read()
