"""Give freed heap memory back to the operating system after a large message.

gRPC receives a big message as many small slices; once freed they stay in glibc's heap
(hundreds of MB for a 500 MB archive) until something asks for a trim, so an idle
worker would keep the peak it once had. Other platforms' allocators return large
blocks by themselves; there this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from functools import cache

log = logging.getLogger(__name__)


@cache
def _malloc_trim():  # -> the C function, or None where there is no glibc
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim  # glibc only (not musl)
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_heap() -> bool:
    """Return free heap pages to the OS; True when the allocator could be asked."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
