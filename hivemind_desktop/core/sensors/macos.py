"""Input idle time on macOS: IOKit's IOHIDSystem `HIDIdleTime` property (nanoseconds),
read through ctypes on IOKit and CoreFoundation (what `ioreg -c IOHIDSystem` prints,
without starting a process every second).
"""

from __future__ import annotations

import ctypes
import threading

IOKIT = "/System/Library/Frameworks/IOKit.framework/IOKit"
CORE_FOUNDATION = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"
K_CF_STRING_ENCODING_UTF8 = 0x08000100
K_CF_NUMBER_SINT64_TYPE = 4


class MacIdleSource:
    name = "macOS IOKit HIDIdleTime"

    def __init__(self) -> None:
        self.reason = ""
        self._lock = threading.Lock()
        self._service = 0
        try:
            iokit = ctypes.CDLL(IOKIT)
            cf = ctypes.CDLL(CORE_FOUNDATION)
        except OSError:
            self._iokit = self._cf = None
            self.reason = "IOKit is not available"
            return
        self._iokit, self._cf = iokit, cf
        iokit.IOServiceMatching.argtypes = [ctypes.c_char_p]
        iokit.IOServiceMatching.restype = ctypes.c_void_p
        iokit.IOServiceGetMatchingService.argtypes = [ctypes.c_uint32, ctypes.c_void_p]
        iokit.IOServiceGetMatchingService.restype = ctypes.c_uint32
        iokit.IORegistryEntryCreateCFProperty.argtypes = [
            ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint32,
        ]  # fmt: skip
        iokit.IORegistryEntryCreateCFProperty.restype = ctypes.c_void_p
        cf.CFStringCreateWithCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
        cf.CFStringCreateWithCString.restype = ctypes.c_void_p
        cf.CFGetTypeID.argtypes = [ctypes.c_void_p]
        cf.CFGetTypeID.restype = ctypes.c_ulong
        cf.CFNumberGetTypeID.restype = ctypes.c_ulong
        cf.CFNumberGetValue.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
        cf.CFNumberGetValue.restype = ctypes.c_bool
        cf.CFRelease.argtypes = [ctypes.c_void_p]
        self._key = cf.CFStringCreateWithCString(None, b"HIDIdleTime", K_CF_STRING_ENCODING_UTF8)
        self._number_type = cf.CFNumberGetTypeID()
        # IOServiceGetMatchingService consumes the matching dictionary; the service
        # handle is kept for the life of the process (port 0 = kIOMainPortDefault).
        self._service = iokit.IOServiceGetMatchingService(
            0, iokit.IOServiceMatching(b"IOHIDSystem")
        )
        if not self._service:
            self.reason = "no IOHIDSystem service"

    def read(self) -> float | None:
        if self._iokit is None or self._cf is None or not self._service:
            return None
        with self._lock:
            prop = self._iokit.IORegistryEntryCreateCFProperty(self._service, self._key, None, 0)
            if not prop:
                self.reason = "IOHIDSystem has no HIDIdleTime"
                return None
            try:
                if self._cf.CFGetTypeID(prop) != self._number_type:
                    self.reason = "HIDIdleTime is not a number"
                    return None
                value = ctypes.c_int64()
                if not self._cf.CFNumberGetValue(
                    prop, K_CF_NUMBER_SINT64_TYPE, ctypes.byref(value)
                ):
                    return None
                return value.value / 1e9
            finally:
                self._cf.CFRelease(prop)
