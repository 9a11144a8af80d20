"""A long action's watch: the page waits a bounded time; after it gives up, the work stops at its next step
and never commits.

    watch = Watch(signing_timeout(), report=step_progress)   # also a Progress: watch("Đang ký…")
    service(..., progress=watch)      # in its thread: watch(text) / check(watch) raise GaveUp once given up
    commit_point(watch)               # just before the result is written: from here the page waits for it
    watch.give_up()                   # the page, at the bound: False when the write has already begun

The work runs in a thread that cannot be stopped from outside; the watch makes it stop itself. A signing
process that does not answer is bounded by the watch too (app.signing.worker, `time_left()`).
"""
from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator

from domain.errors import DomainError

RUNNING, COMMITTING, ABANDONED = "running", "committing", "abandoned"


def _seconds(name: str, default: float) -> float:
    try:
        return max(1.0, float(os.environ.get(name, "") or default))
    except ValueError:
        return default


def signing_timeout() -> float:
    """SIGNING_TIMEOUT_S: the longest one dossier's signing or sealing may take, waiting its turn included."""
    return _seconds("SIGNING_TIMEOUT_S", 300)


def upload_timeout() -> float:
    """UPLOAD_TIMEOUT_S: the longest one scan file may take to be checked, normalised and stored."""
    return _seconds("UPLOAD_TIMEOUT_S", 120)


def idcard_timeout() -> float:
    """IDCARD_READ_LIMIT_S: wall seconds an ID-card read may take (its CPU budget is IDCARD_READ_BUDGET_S)."""
    return _seconds("IDCARD_READ_LIMIT_S", 60)


def offer_typing_after() -> float:
    """IDCARD_OFFER_TYPING_S: seconds of reading after which the ID pre-fill offers typing instead."""
    return _seconds("IDCARD_OFFER_TYPING_S", 12)


class GaveUp(DomainError):
    """The page stopped waiting; nothing of the work is written."""

    def __init__(self, seconds: float):
        super().__init__(f"Thao tác chưa xong sau {seconds:g} giây nên đã dừng; chưa có gì được ghi lại. "
                         "Vui lòng thử lại sau ít phút hoặc báo quản trị hệ thống.")
        self.seconds = seconds


class Watch:
    def __init__(self, seconds: float, report: Callable[[str], None] | None = None):
        self.seconds, self.report = seconds, report
        self.deadline = time.monotonic() + seconds
        self.state = RUNNING
        self._lock = threading.Lock()

    def __call__(self, text: str) -> None:
        """A Progress: the step starting now — unless the page has given up."""
        self.check()
        if self.report is not None:
            self.report(text)

    def time_left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def check(self) -> None:
        if self.state == ABANDONED or time.monotonic() >= self.deadline:
            raise GaveUp(self.seconds)

    def begin_write(self) -> None:
        """The write of the result begins: refused once given up or past the bound, else final."""
        with self._lock:
            if self.state == ABANDONED or time.monotonic() >= self.deadline:
                self.state = ABANDONED
                raise GaveUp(self.seconds)
            self.state = COMMITTING

    def give_up(self) -> bool:
        """True: the work will write nothing. False: its write has begun (a short transaction: wait)."""
        with self._lock:
            if self.state == COMMITTING:
                return False
            self.state = ABANDONED
            return True


def check(progress) -> None:
    """At a step boundary of a service handed a Watch (a plain callable, as in tests, is left alone)."""
    if isinstance(progress, Watch):
        progress.check()


def commit_point(progress) -> None:
    if isinstance(progress, Watch):
        progress.begin_write()


_current = threading.local()


@contextlib.contextmanager
def watching(progress) -> Iterator[None]:
    """Make `progress` (when a Watch) this thread's, for the waits deep inside the work (time_left())."""
    before = getattr(_current, "watch", None)
    _current.watch = progress if isinstance(progress, Watch) else before
    try:
        yield
    finally:
        _current.watch = before


def current() -> Watch | None:
    return getattr(_current, "watch", None)


def time_left() -> float | None:
    """Seconds this thread's work may still wait, None when unwatched."""
    watch = current()
    return None if watch is None else watch.time_left()
