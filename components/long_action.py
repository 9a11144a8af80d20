"""Long actions end within a bounded time, in a result or a Vietnamese message — never an endless spinner.

    result = await io_bounded(fn, *args)                 # a read: TimeoutError after the bound
    result = await bounded(run.cpu_bound(fn, *args), s)  # the same for any awaitable
    result = await watched(run_action(...), watch)       # a write: GaveUp at the bound, nothing written after
    async with spinning(row):                            # the spinner is hidden however the block ends
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from nicegui import context, run, ui

from app.long_work import GaveUp, Watch

LONG_ACTION_SECONDS = 60.0
log = logging.getLogger(__name__)
T = TypeVar("T")


async def io_bounded(fn: Callable, *args, seconds: float = LONG_ACTION_SECONDS):
    """`run.io_bound` with a limit: TimeoutError after `seconds` (the thread is left to finish unobserved)."""
    return await bounded(run.io_bound(fn, *args), seconds)


async def bounded(work: Awaitable[T], seconds: float) -> T:
    """`work`'s result, or TimeoutError after `seconds`. Not a bare asyncio.wait_for: NiceGUI's run.* answer
    a cancellation with None, which wait_for (Python 3.11) would hand back as the result."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.wait_for(asyncio.shield(task), seconds)
    except (TimeoutError, asyncio.CancelledError):  # over time, or the page's task cancelled (shutdown)
        task.cancel()
        raise


async def watched(work: Awaitable[T], watch: Watch) -> T:
    """`work`'s result, or GaveUp once `watch`'s bound passes: the work, handed the same watch, then stops at
    its next step and writes nothing. When its write had already begun (a short transaction), its result.
    The work runs as a task of its own in the caller's slot (NiceGUI's run.* turn a cancellation into a
    plain None, so cancelling it would look like a success)."""
    slot = context.slot

    async def in_slot() -> T:
        with slot:
            return await work

    task = asyncio.ensure_future(in_slot())
    try:
        return await asyncio.wait_for(asyncio.shield(task), watch.time_left())
    except TimeoutError:
        if not watch.give_up():
            return await task
        task.add_done_callback(_drop)  # its late outcome (GaveUp, most likely) is nobody's to show
        log.warning("long action given up after %g s", watch.seconds)
        raise GaveUp(watch.seconds) from None


def renew_process_pool() -> None:
    """End NiceGUI's worker processes and put a fresh pool in place: work that overran its bound may be stuck
    in one of them and would hold it for good. Other work running there then fails (BrokenProcessPool) and
    says so; the next call gets a new process."""
    old = run.process_pool
    if old is None:
        return
    mp_context = run._pool_context or multiprocessing.get_context("spawn")  # noqa: SLF001 — NiceGUI 3.18's own
    run.process_pool = ProcessPoolExecutor(mp_context=mp_context, initializer=run._ignore_sigint)  # noqa: SLF001
    for process in list((old._processes or {}).values()):  # noqa: SLF001 — no public way to end a stuck one
        process.kill()
    old.shutdown(wait=False, cancel_futures=True)
    log.warning("a worker process overran its bound: NiceGUI's process pool renewed")


def _drop(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.info("late outcome of a given-up action: %r", task.exception())


@contextlib.asynccontextmanager
async def spinning(element: ui.element) -> AsyncIterator[None]:
    """`element` (a spinner, or a row holding one) shown while the block runs, hidden however it ends."""
    _visible(element, True)
    try:
        yield
    finally:
        _visible(element, False)


def _visible(element: ui.element, on: bool) -> None:
    if not element.is_deleted:
        element.set_visibility(on)


def show_failure(message: str, marker: str = "action-failed") -> None:
    """The Vietnamese message in place of the spinner; the cause goes to the log, not to the screen."""
    log.warning("long action failed", exc_info=True)
    ui.label(message).classes("text-negative font-bold").mark(marker) \
        .props(f"data-testid={marker} role=alert")
