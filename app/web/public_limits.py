"""Bounds on the public verification (the /verify upload, and any other door to the same check, such as
/api/v1): per client address, at most VERIFY_UPLOADS_PER_MINUTE uploads and VERIFY_UPLOAD_MB_PER_MINUTE
megabytes a minute, charged before the body is read (app.web.upload_limit); at most VERIFY_CONCURRENCY
verifications at once, up to VERIFY_QUEUE more waiting their turn (told so), the rest told to come back.
After a burst, the last verification to finish hands the memory back (app.web.memory.release_memory).

    refusal = charge_upload(addr, content_length)      # None, or the Vietnamese answer (HTTP 429)
    async with verification_turn(on_wait=show_waiting):  # raises Busy (its .message) when the queue is full
        result = await run.io_bound(verify_cached, data)
"""
from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from app.web.memory import release_memory_off_loop

MB = 1024 * 1024
TOO_MANY_UPLOADS = ("Bạn đã tải lên quá nhiều tệp để kiểm tra trong một phút (tối đa {count} tệp, {mb} MB). "
                    "Vui lòng đợi một phút rồi thử lại.")
WAITING = "Đang có nhiều người kiểm tra tệp cùng lúc; tệp của bạn đang chờ đến lượt, vui lòng đợi…"
BUSY = "Hệ thống đang kiểm tra nhiều tệp cùng lúc. Vui lòng thử lại sau ít phút."


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


class Busy(Exception):
    def __init__(self, message: str = BUSY):
        super().__init__(message)
        self.message = message


class UploadBudget:
    """Per key: at most `count` uploads and `max_bytes` bytes within `window` seconds (sliding, in memory,
    this process only)."""

    def __init__(self, count: int, max_bytes: int, window: float = 60.0, max_keys: int = 20000):
        self.count, self.max_bytes, self.window, self.max_keys = count, max_bytes, window, max_keys
        self._spent: OrderedDict[str, deque[tuple[float, int]]] = OrderedDict()
        self._lock = threading.Lock()

    def charge(self, key: str, nbytes: int) -> bool:
        """Count one upload of `nbytes` (as declared; 0 when unknown) if it fits; False when it does not."""
        now = time.monotonic()
        with self._lock:
            spent = self._spent.pop(key, None) or deque()
            while spent and now - spent[0][0] >= self.window:
                spent.popleft()
            fits = len(spent) < self.count and sum(n for _, n in spent) + nbytes <= self.max_bytes
            if fits:
                spent.append((now, nbytes))
            self._spent[key] = spent
            while len(self._spent) > self.max_keys:
                self._spent.popitem(last=False)
            return fits

    def add_bytes(self, key: str, nbytes: int) -> bool:
        """Bytes of an upload without a declared length, as they arrive; False once over the budget."""
        with self._lock:
            spent = self._spent.setdefault(key, deque())
            if spent:
                at, sofar = spent[-1]
                spent[-1] = (at, sofar + nbytes)
            return sum(n for _, n in spent) <= self.max_bytes


class Turns:
    """At most `running` at once, at most `waiting` more queued; `on_finish_all` runs when the last ends."""

    def __init__(self, running: int, waiting: int, on_finish_all: Callable[[], object] | None = None):
        self.running, self.waiting, self.on_finish_all = running, waiting, on_finish_all
        self.active, self.queued = 0, 0
        self._free: asyncio.Condition | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _condition(self) -> asyncio.Condition:
        loop = asyncio.get_running_loop()
        if self._free is None or self._loop is not loop:  # a condition belongs to one event loop
            self._free, self._loop = asyncio.Condition(), loop
        return self._free

    @asynccontextmanager
    async def turn(self, on_wait: Callable[[], object] | None = None) -> AsyncIterator[None]:
        free = self._condition()
        async with free:
            if self.active >= self.running:
                if self.queued >= self.waiting:
                    raise Busy()
                self.queued += 1
                if on_wait is not None:
                    on_wait()
                try:
                    await free.wait_for(lambda: self.active < self.running)
                finally:
                    self.queued -= 1
            self.active += 1
        try:
            yield
        finally:
            async with free:
                self.active -= 1
                free.notify()
                last = self.active == 0 and self.queued == 0
            if last and self.on_finish_all is not None:
                await _maybe_await(self.on_finish_all())


async def _maybe_await(value) -> None:
    if asyncio.iscoroutine(value):
        await value


def _release_memory():
    return release_memory_off_loop()


_budget: UploadBudget | None = None
_turns: Turns | None = None


def budget() -> UploadBudget:
    global _budget
    if _budget is None:
        _budget = UploadBudget(_env_int("VERIFY_UPLOADS_PER_MINUTE", 10),
                               _env_int("VERIFY_UPLOAD_MB_PER_MINUTE", 100) * MB)
    return _budget


def turns() -> Turns:
    global _turns
    if _turns is None:
        _turns = Turns(_env_int("VERIFY_CONCURRENCY", 2), _env_int("VERIFY_QUEUE", 8), _release_memory)
    return _turns


def reset() -> None:
    """Forget every count and read the settings again (tests)."""
    global _budget, _turns
    _budget, _turns = None, None


def charge_upload(addr: str, declared_bytes: int | None) -> str | None:
    """Count an upload from `addr` against its budget; the Vietnamese refusal when it is over."""
    if budget().charge(addr, declared_bytes or 0):
        return None
    return too_many_text()


def too_many_text() -> str:
    current = budget()
    return TOO_MANY_UPLOADS.format(count=current.count, mb=current.max_bytes // MB)


def verification_turn(on_wait: Callable[[], object] | None = None):
    """`async with verification_turn(...)`: wait for one of the VERIFY_CONCURRENCY places (Busy when the
    queue is full too)."""
    return turns().turn(on_wait)
