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

import gc
import logging

from nicegui import run

from app.web import heap

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 60.0


async def release_memory_off_loop() -> None:
    """The periodic job: collect on the event loop (it needs the interpreter anyway), trim in a thread."""
    gc.collect()
    await run.io_bound(heap.trim)
