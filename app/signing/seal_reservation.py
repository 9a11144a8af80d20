"""The adapter side of a seal's reservation of the register's next numbers (domain.register.reservation):
who holds it (this host, this process), whether a holder is dead, waiting for one's turn, and keeping the
lease alive while the copy is signed — each a short transaction of its own, never one held across signing.
"""
from __future__ import annotations

import contextlib
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import TypeVar

from app.db import write_scope
from domain.clock import utcnow
from domain.register import reservation

T = TypeVar("T")
_HOST = socket.gethostname()[:40]


def new_holder() -> str:
    """host:pid:random — the pid lets a seal on this host take over from a process that was killed."""
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:16]}"


def holder_dead(holder: str) -> bool:
    """A holder on this host whose process is gone (killed, crashed); on another host: only the lease says."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != _HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def wait_turn(attempt: Callable[[], T], wait_seconds: float, waiting: Callable[[], None] | None = None) -> T:
    """`attempt()` (a short transaction that reserves) until another seal's reservation ends; SealBusy
    (a Vietnamese message) after `wait_seconds`. No transaction is held while waiting."""
    deadline = time.monotonic() + wait_seconds
    told, pause = False, 0.1
    while True:
        try:
            return attempt()
        except reservation.SealBusy:
            if time.monotonic() >= deadline:
                raise
            if waiting is not None and not told:
                waiting()
                told = True
            # backing off to a try a second: each try is a write transaction, and a dozen seals waiting
            # at 5-10 tries a second each took the interpreter and the database from page loads
            time.sleep(random.uniform(0.5, 1.0) * pause)
            pause = min(1.0, pause * 1.5)


@contextlib.contextmanager
def kept(counter_id: int, holder: str) -> Iterator[None]:
    """Renew the lease every third of its length while the body (the signing) runs."""
    stop = threading.Event()

    def renew() -> None:
        every = reservation.LEASE.total_seconds() / 3
        while not stop.wait(every):
            # a missed renewal only shortens the lease
            with contextlib.suppress(Exception), write_scope() as session:
                if not reservation.renew(session, counter_id, holder, utcnow()):
                    return

    thread = threading.Thread(target=renew, name="seal-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def release(counter_id: int, holder: str) -> None:
    """After a failure: the reserved numbers go to the next seal (no gap)."""
    with write_scope() as session:
        reservation.release(session, counter_id, holder)
