"""Blocking work yields the CPU to the event loop: the worker threads run at a lower priority."""
import os
import threading

from app.web.priority import WORKER_NICE, background_thread_pool


def _own_nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_worker_threads_run_below_the_loop_and_the_caller_keeps_its_priority():
    before = _own_nice()
    pool = background_thread_pool()
    try:
        assert pool.submit(_own_nice).result() >= WORKER_NICE
    finally:
        pool.shutdown()
    assert _own_nice() == before
