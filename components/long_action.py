"""Long actions end within a bounded time, in a result or a Vietnamese message — never an endless spinner."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from nicegui import run, ui

LONG_ACTION_SECONDS = 60.0
log = logging.getLogger(__name__)


async def io_bounded(fn: Callable, *args, seconds: float = LONG_ACTION_SECONDS):
    """`run.io_bound` with a limit: TimeoutError after `seconds` (the thread is left to finish unobserved)."""
    return await asyncio.wait_for(run.io_bound(fn, *args), seconds)


def show_failure(message: str, marker: str = "action-failed") -> None:
    """The Vietnamese message in place of the spinner; the cause goes to the log, not to the screen."""
    log.warning("long action failed", exc_info=True)
    ui.label(message).classes("text-negative font-bold").mark(marker) \
        .props(f"data-testid={marker} role=alert")
