"""The C heap, without NiceGUI (the signing process uses it too): big buffers in their own mappings, and
a collection with a trim that hands freed memory back to the system (app/web/memory.py explains why)."""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import time

log = logging.getLogger(__name__)

try:
    _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    _malloc_trim = _libc.malloc_trim
    _mallopt = _libc.mallopt
except (OSError, AttributeError):  # not glibc: collecting is still worth it
    _malloc_trim = _mallopt = None

_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 1024 * 1024


def keep_big_buffers_out_of_the_heap() -> None:
    """Every allocation of 1 MB or more gets its own mapping, given back to the system when freed.

    glibc raises its mmap threshold to the size of the largest block freed (up to 32 MB): after one 19 MB
    upload was freed, the next ones were carved from the heaps of the worker threads, and a burst of 20 on
    /verify left the server ~140 MB above its start even after a trim. A fixed threshold stops that."""
    if _mallopt is not None:
        _mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def release_memory() -> float:
    """Collect every generation and trim the C heap; returns the seconds it took."""
    start = time.perf_counter()
    gc.collect()
    if _malloc_trim is not None:
        _malloc_trim(0)
    elapsed = time.perf_counter() - start
    log.debug("released memory in %.0f ms", elapsed * 1000)
    return elapsed


def trim() -> None:
    """Hand the freed C heap back to the system (walks the heap: run it off the event loop)."""
    if _malloc_trim is not None:
        _malloc_trim(0)
