"""GPU reading: the real NVML path on this machine (no driver), the conversion from raw
NVML values, and the words for NVML's failures (real pynvml exception objects)."""

from __future__ import annotations

import ctypes

import pynvml
import pytest

from hivemind_desktop.core.gpu import (
    NO_GPU,
    GpuInfo,
    GpuReader,
    describe_nvml_error,
    gpu_info_from_nvml,
    read_gpus,
)


def nvml_library_present() -> bool:
    """Independent of the code under test: can the driver's NVML library be loaded?"""
    try:
        ctypes.CDLL("libnvidia-ml.so.1")
    except OSError:
        return False
    return True


def test_read_gpus_on_this_machine():
    gpus, message = read_gpus()
    if nvml_library_present():  # a lent GPU machine: the real path must find them
        assert gpus and all(g.memory_total_mb > 0 for g in gpus)
        assert gpus[0].name in message
    else:
        assert gpus == []
        assert NO_GPU in message
        assert message == "no NVIDIA GPU found (the NVIDIA driver is not installed)"


def test_reader_never_raises_and_survives_shutdown():
    reader = GpuReader(retry_s=0)
    first = reader.read()
    reader.shutdown()
    reader.shutdown()  # twice is harmless
    assert reader.read() == first
    assert reader.read() == first


def test_conversion_from_an_h200s_raw_values():
    # nvmlDeviceGetMemoryInfo on an idle H200: total 150754820096 bytes = 143771 MiB.
    info = gpu_info_from_nvml(0, "NVIDIA H200", 37, 150_754_820_096, 520_093_696)
    assert info == GpuInfo(
        index=0,
        name="NVIDIA H200",
        memory_total_mb=143_771,
        memory_used_mb=496,
        utilization_percent=37.0,
    )
    assert info.memory_total_gb == 140
    assert info.memory_percent == pytest.approx(100 * 496 / 143_771)


def test_conversion_of_old_bindings_and_missing_utilisation():
    # Older nvidia-ml-py returns bytes; some devices answer NotSupported for utilisation.
    info = gpu_info_from_nvml(1, b"Tesla T4", None, 16_106_127_360, 16_106_127_360)
    assert (info.name, info.utilization_percent) == ("Tesla T4", 0.0)
    assert (info.memory_total_mb, info.memory_used_mb, info.memory_total_gb) == (15360, 15360, 15)
    assert info.memory_percent == 100.0
    assert gpu_info_from_nvml(2, "  ", 250, 0, 0).name == "GPU 2"
    assert gpu_info_from_nvml(2, "x", 250, 0, 0).utilization_percent == 100.0
    assert gpu_info_from_nvml(2, "x", 5, 0, 0).memory_percent == 0.0


@pytest.mark.parametrize(
    ("code", "starts"),
    [
        (pynvml.NVML_ERROR_LIBRARY_NOT_FOUND, "no NVIDIA GPU found"),
        (pynvml.NVML_ERROR_DRIVER_NOT_LOADED, "NVIDIA driver not loaded: install the driver"),
        (pynvml.NVML_ERROR_LIB_RM_VERSION_MISMATCH, "NVIDIA driver updated but not reloaded"),
        (pynvml.NVML_ERROR_NO_PERMISSION, "no permission to read the NVIDIA GPU"),
        (pynvml.NVML_ERROR_GPU_IS_LOST, "the NVIDIA GPU stopped answering"),
        (pynvml.NVML_ERROR_UNKNOWN, "NVIDIA GPU cannot be read"),
    ],
)
def test_nvml_errors_in_words(code, starts):
    text = describe_nvml_error(pynvml.NVMLError(code))
    assert text.startswith(starts)
    assert "\n" not in text
