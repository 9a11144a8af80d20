"""A development probe, not part of the product: where the server's event loop spends a late moment.

    PYTHONPATH=tools/loop_watchdog LOOP_WATCHDOG=/tmp/wd.log WD_MS=6 .venv/bin/python main.py
    (the test and bench servers inherit the environment: set the same variables before pytest or a bench)

In a process started as `main.py`, a thread posts a callback to the event loop every 2 ms; when it has not run
after WD_MS, the loop thread's stack (and every other busy thread's) is written to LOOP_WATCHDOG, with the
monotonic time (shared with the probe test's windows), and a line when the stretch ends. Garbage collections
over 10 ms are logged too. A stack that ends in asyncio's runner means the loop was in C code: waiting for the
interpreter lock or for the CPU, not running our Python (bench/README, "the machine's load").
"""
from __future__ import annotations

import gc
import os
import sys
import threading
import time
import traceback


def _watch(loop, log, limit: float) -> None:
    main, state = threading.get_ident(), {"beat": time.monotonic()}

    def beat() -> None:
        state["beat"] = time.monotonic()

    while True:
        time.sleep(0.002)
        try:
            loop.call_soon_threadsafe(beat)
        except RuntimeError:  # the loop is closed
            return
        sent, seen = time.monotonic(), set()
        while state["beat"] < sent:
            time.sleep(0.003)
            if time.monotonic() - sent > limit:
                _sample(log, main, sent, seen)
        if state["beat"] - sent > limit:
            log.write(f"=== {state['beat']:.3f} block ended {1000 * (state['beat'] - sent):.0f} ms\n")


def _sample(log, main: int, sent: float, seen: set) -> None:
    frames = sys._current_frames()  # noqa: SLF001
    if main not in frames:
        return
    stack = "".join(traceback.format_stack(frames[main], limit=25))
    if stack[-400:] in seen:
        return
    seen.add(stack[-400:])
    others = []
    for ident, frame in frames.items():
        lines = traceback.format_stack(frame, limit=8)
        idle = "threading.py" in lines[-1] and "wait" in lines[-1]
        if ident not in (main, threading.get_ident()) and not idle:
            others.append(f"  [thread {ident}]\n" + "".join(lines))
    now = time.monotonic()
    log.write(f"--- {now:.3f} blocked {1000 * (now - sent):.0f} ms\n{stack}\n" + "".join(others) + "\n")


def _log_collections(log) -> None:
    started = {}

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started["at"] = time.perf_counter()
            return
        took = time.perf_counter() - started.get("at", time.perf_counter())
        if took > 0.01:
            log.write(f"GC gen{info['generation']} {took * 1000:.0f} ms collected {info['collected']} "
                      f"at {time.monotonic():.3f}\n")

    gc.callbacks.append(callback)


def _install() -> None:
    import asyncio.runners

    log = open(os.environ["LOOP_WATCHDOG"], "a", buffering=1)  # noqa: SIM115 — the process's whole life
    limit = float(os.environ.get("WD_MS", "6")) / 1000
    original = asyncio.runners.Runner._lazy_init  # noqa: SLF001 — uvicorn runs its (uv)loop through a Runner

    def lazy_init(runner) -> None:
        fresh = runner._loop is None  # noqa: SLF001
        original(runner)
        if fresh and threading.current_thread() is threading.main_thread():
            threading.Thread(target=_watch, args=(runner._loop, log, limit), daemon=True).start()  # noqa: SLF001

    asyncio.runners.Runner._lazy_init = lazy_init  # noqa: SLF001
    _log_collections(log)


if os.environ.get("LOOP_WATCHDOG") and "main.py" in " ".join(getattr(sys, "orig_argv", sys.argv)):
    _install()
