"""Copies built and signed in a process of their own while the server runs (`main.serve` starts it).

Building a copy (fpdf2, pypdf) and pyHanko's signing are Python: in one of the server's threads they
hold the interpreter lock for most of their time, and every other tablet's round trip waits for it
(issue 17's probe measured 3-11x the idle round trip while a leader signed or the office sealed). A
key is named by a picklable recipe; the worker process builds the pyHanko signer from it, signs and
hands back the bytes.

Not started (tests calling the services directly, command-line tools): the calling thread signs.
Remote (CSC) signing stays in the server: the signer's approval of a batch lives in its memory.
The adapters (pkcs12.py, pkcs11.py) only sign; `offload` wraps one so that it signs here when running.
"""
from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as Unanswered
from concurrent.futures.process import BrokenProcessPool

from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko_certvalidator.errors import RevokedError

from app import long_work
from app.web.heap import keep_big_buffers_out_of_the_heap, release_memory
from app.web.worker_process import settle
from domain.signing.ports import SignatureRequest

from .http import ServiceOutage
from .pkcs11 import Pkcs11TokenSigner
from .pkcs12 import Pkcs12Signer

log = logging.getLogger(__name__)

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()
_workers = 0
RELEASE_ABOVE_MB = 320  # resident: the process after pyHanko's imports and an ordinary copy is ~180 MB


class SignatureRefused(SigningError):
    """pyHanko refused in the worker (its exception's cause does not cross the process boundary)."""

    def __init__(self, msg: str, revoked: bool = False):
        super().__init__(msg)
        self.revoked = revoked

    def __reduce__(self):
        return SignatureRefused, (str(self), self.revoked)


def start(workers: int) -> None:
    """Sign in `workers` processes from now on (0: in the calling thread); the first one starts now,
    so that the first signature does not wait for pyHanko's imports."""
    global _workers
    _workers = max(0, workers)
    if _workers:
        _new_pool().submit(_warm_up)


def stop() -> None:
    global _pool, _workers
    with _lock:
        pool, _pool, _workers = _pool, None, 0
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def enabled() -> bool:
    return _workers > 0


def call(function, *args):
    """`function(*args)` in the worker process when it runs, else here (a picklable module function)."""
    if not enabled():
        return function(*args)
    return _submit(function, *args)


def sign(recipe: tuple, pdf: bytes | tuple[str, str], request: SignatureRequest) -> bytes | None:
    """Sign in the worker process (`pdf`: the bytes, or the source and target paths: only they cross);
    a refusal comes back as SignatureRefused."""
    status, value = _submit(_sign_in_worker, recipe, pdf, request)
    if status == "ok":
        return value
    if status == "outage":
        raise ServiceOutage(value)
    raise SignatureRefused(value, revoked=status == "revoked")


def _submit(function, *args):
    watch = long_work.current()
    if watch is not None:
        watch.check()  # given up already: submit nothing (and end no process for it)
    pool = _current_pool()
    try:
        # a watched action (app.long_work) waits only its time left: a stuck process does not hold it
        return pool.submit(_released, function, *args).result(timeout=long_work.time_left())
    except BrokenProcessPool:  # the worker died (out of memory, killed): the next call gets a new one
        _drop(pool)
        raise
    except Unanswered:
        log.error("signing process gave no answer in time: its processes are ended, new ones start")
        _drop(pool, kill=True)
        raise long_work.GaveUp(watch.seconds) from None


def _drop(pool: ProcessPoolExecutor, kill: bool = False) -> None:
    """Forget `pool` (the next call starts a new one); `kill`: end its processes (stuck, not dead)."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    if kill:
        for process in list((pool._processes or {}).values()):  # noqa: SLF001 — no public way to end a stuck one
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)


def _current_pool() -> ProcessPoolExecutor:
    with _lock:
        if _pool is not None:
            return _pool
    return _new_pool()


def _new_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # spawn: a fork would copy the server's threads, locks and open sockets
            _pool = ProcessPoolExecutor(max_workers=_workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_init_worker)
        return _pool


def _init_worker() -> None:
    settle()  # below the loop's priority, and ends with the server
    keep_big_buffers_out_of_the_heap()


def _released(function, *args):
    """`function(*args)`, then, when the process has grown (a thick copy's step), what it freed goes back
    to the system: its work must not leave the process at its high-water mark until the next
    (app/web/heap.py). An ordinary copy's steps skip it: a collection and a trim cost the one signing
    process tens to hundreds of ms a step, and it signs for the whole office."""
    try:
        return function(*args)
    finally:
        if _resident_mb() > RELEASE_ABOVE_MB:
            release_memory()


def _resident_mb() -> float:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return 0.0


def _warm_up() -> int:
    """Nothing to do: the process imported this module to run it, and with it pyHanko and its speed-ups
    (pkcs12 → engine)."""
    return os.getpid()


def _sign_in_worker(recipe: tuple, pdf: bytes | tuple[str, str], request: SignatureRequest
                    ) -> tuple[str, bytes | str | None]:
    try:
        signer = local_signer(recipe)
        if isinstance(pdf, tuple):
            return "ok", signer.sign_file(*pdf, request)
        return "ok", signer.sign_pdf(pdf, request)
    except ServiceOutage as exc:  # the service's name and address cross back in the message
        log.warning("signature not made: %s", exc.message)
        return "outage", exc.message
    except (SigningError, TimestampRequestError) as exc:
        log.warning("signature refused: %s", exc)
        return ("revoked" if isinstance(exc.__cause__, RevokedError) else "refused"), str(exc)


def local_signer(recipe: tuple):
    """The signer a recipe names, in this process: ("pkcs12", path, password, mtime), ("pkcs12-data",
    key bytes, password) or ("pkcs11", module, token_label, pin, key_label, cert_label)."""
    if recipe[0] == "pkcs12":
        return _pkcs12(*recipe[1:])
    if recipe[0] == "pkcs12-data":
        return _pkcs12(recipe[1], recipe[2], 0.0)
    _, module, token_label, pin, key_label, cert_label = recipe
    return Pkcs11TokenSigner(module, token_label, pin, key_label=key_label, cert_label=cert_label)


@functools.lru_cache(maxsize=16)
def _pkcs12(source: str | bytes, password: bytes | None, mtime: float):  # mtime: a renewed file is read again
    return Pkcs12Signer(source, password)


class Offloaded:
    """A key adapter that signs in the signing process while it runs, else in the calling thread."""

    def __init__(self, signer):
        self._signer = signer

    @property
    def subject_name(self) -> str:
        return self._signer.subject_name

    def __getattr__(self, name):  # pyhanko_signer and the like: the adapter's own
        return getattr(self._signer, name)

    def sign_pdf(self, pdf: bytes, request: SignatureRequest) -> bytes:
        if enabled():
            return sign(self._signer.recipe(), pdf, request)
        return self._signer.sign_pdf(pdf, request)

    def sign_file(self, source: str, target: str, request: SignatureRequest) -> None:
        """The same from file to file: only the two paths cross to the signing process."""
        if enabled():
            sign(self._signer.recipe(), (source, target), request)
        else:
            self._signer.sign_file(source, target, request)


def offload(signer):
    """`signer`, wrapped to sign in the signing process when it is a key named by a recipe (not CSC)."""
    return Offloaded(signer) if hasattr(signer, "recipe") else signer
