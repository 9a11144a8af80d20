"""Give memory back after pages close.

main.tune_garbage_collector makes full collections rare (they stalled the event loop under load), but a
closed page's elements reference each other in cycles and have usually reached the oldest generation by the
time the page is deleted (reconnect_timeout): without a full collection they were never freed and the
server grew ~90–360 kB per page opened. One full collection a minute frees them (tens of ms with the
start-up objects frozen), and malloc_trim hands the freed heap back to the system so RSS stays flat.
The trim walks the whole heap (up to ~200 ms under load): it runs in a worker thread (ctypes lets go of the
GIL), so only the collection itself, which needs the interpreter, pauses the event loop.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import time

from nicegui import run

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 60.0

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


async def release_memory_off_loop() -> None:
    """The periodic job: collect on the event loop (it needs the interpreter anyway), trim in a thread."""
    gc.collect()
    if _malloc_trim is not None:
        await run.io_bound(_malloc_trim, 0)
