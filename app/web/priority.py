"""Blocking work runs below the event loop's priority.

On a two-core commune server a password check, an ID-card read or a signature keeps a core busy for
up to seconds. The event loop answers every tablet; if it competes for the CPU on equal terms, other
officials' clicks wait behind that work. Worker threads and worker processes therefore run at a
higher nice value: they still get the spare CPU, and yield it to the loop the moment it wakes.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

WORKER_NICE = 10
# Signing and sealing actions wait for the signing process (or a remote service) for seconds to minutes:
# they get threads of their own, so that however many leaders and seal keepers sign at once, page reads,
# other clerks' actions and background jobs still find the general pool's threads free. As many as the
# general pool (min(32, cores + 4)): a seal waiting its turn after another seal of its office holds a
# thread, and with two threads such waits left the leaders' signatures queued (50 tabs: 2 signed in a
# minute against 26 with the shared pool of six).
SIGNING_THREADS = min(32, (os.cpu_count() or 1) + 4)
_signing_pool: ThreadPoolExecutor | None = None
_signing_lock = threading.Lock()


def lower_priority() -> None:
    """Make the calling thread (Linux schedules threads, not processes) a background worker.

    Idempotent: it sets an absolute value, which an unprivileged process may do as long as it only
    lowers its priority. Threads the worker starts, and programs it runs (tesseract), inherit it."""
    try:
        if os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < WORKER_NICE:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)
    except (OSError, AttributeError):  # not Linux, or a sandbox that forbids it: run at normal priority
        pass


def background_thread_pool() -> ThreadPoolExecutor:
    """The pool behind NiceGUI's run.io_bound, with its threads lowered as they start."""
    return ThreadPoolExecutor(initializer=lower_priority, thread_name_prefix="worker")


def signing_thread_pool() -> ThreadPoolExecutor:
    """The pool of the slow signing actions (run_action(..., slow=True)), made on first use."""
    global _signing_pool
    with _signing_lock:
        if _signing_pool is None:
            _signing_pool = ThreadPoolExecutor(SIGNING_THREADS, initializer=lower_priority,
                                               thread_name_prefix="signing")
        return _signing_pool
