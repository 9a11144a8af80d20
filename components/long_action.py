"""Long actions end within a bounded time, in a result or a Vietnamese message — never an endless spinner.

    result = await io_bounded(fn, *args)                 # a read: TimeoutError after the bound
    result = await watched(run_action(...), watch)       # a write: GaveUp at the bound, nothing written after
    async with spinning(row):                            # the spinner is hidden however the block ends
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from nicegui import context, run, ui

from app.long_work import GaveUp, Watch

LONG_ACTION_SECONDS = 60.0
log = logging.getLogger(__name__)
T = TypeVar("T")


async def io_bounded(fn: Callable, *args, seconds: float = LONG_ACTION_SECONDS):
    """`run.io_bound` with a limit: TimeoutError after `seconds` (the thread is left to finish unobserved)."""
    return await asyncio.wait_for(run.io_bound(fn, *args), seconds)


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
