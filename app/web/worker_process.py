"""What the server's worker processes (ID reading, camera capture, signing) do first.

They run below the event loop's priority (app/web/priority.py), and they end with the server: a server killed
outright (SIGKILL, out of memory) cannot stop its pools, and their processes would stay behind, more on
every restart, each holding its memory.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time

from app.web.priority import lower_priority

_watching = False


def settle() -> None:
    """Lower this thread's priority; in a worker process, also end it when its server is gone. Idempotent."""
    global _watching
    lower_priority()
    parent = multiprocessing.parent_process()
    if parent is not None and not _watching:  # never in the server itself
        _watching = True
        # the server's pid, not os.getppid(): the server may already be gone when this process starts
        threading.Thread(target=_exit_with_parent, args=(parent.pid,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)
