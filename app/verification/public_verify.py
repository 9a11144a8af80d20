"""Is this copy valid: the one answer for the public page (pages/verify.py), the API
(app/api/verify_routes.py) and the command line (`python main.py verify`). By verification code or by a
PDF, with a per-address rate limit and a small in-memory cache of signature checks (the register part,
e.g. a revocation, is read fresh); the checks themselves: app/signing/verify.py."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict, deque

from asn1crypto import pem
from sqlmodel import select

from app import files
from app.db import session_scope
from app.settings import get_settings
from app.signing import certification_service
from app.signing.resolve import demo_pki
from domain.models import RegisterEntry
from domain.signing.verification import Status, VerificationResult, with_register

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CACHE_SIZE = 256
# A verdict depends on the day (a time-stamp's certificate ends, revocation data lapses): a cached
# signature check is judged again after this long.
CACHE_SECONDS = 6 * 3600


class RateLimiter:
    """At most `limit` hits per `window` seconds per key (sliding window, in memory, this process only)."""

    def __init__(self, limit: int = 60, window: float = 60.0, max_keys: int = 20000):
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._hits: OrderedDict[str, deque] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            allowed = len(hits) < self.limit
            if allowed:
                hits.append(now)
            self._hits[key] = hits  # most recently used last
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
            return allowed

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


LIMITER = RateLimiter()
TOO_MANY = "Bạn đã tra cứu quá nhiều lần trong một phút. Vui lòng đợi một lát rồi thử lại."  # over LIMITER
_cache: OrderedDict[str, tuple[float, VerificationResult]] = OrderedDict()
_cache_lock = threading.Lock()


def _cached(sha: str) -> VerificationResult | None:
    """The cached check for this SHA-256 if judged recently enough (call with the lock held)."""
    hit = _cache.get(sha)
    if hit is None:
        return None
    if time.monotonic() - hit[0] > CACHE_SECONDS:
        del _cache[sha]
        return None
    _cache.move_to_end(sha)
    return hit[1]


def verify_file(data: bytes, at=None) -> VerificationResult:
    """The verdict on a file, judged now or at `at` (the command line), not cached."""
    return certification_service.verify_bytes(data, at)


def verify_cached(data: bytes) -> VerificationResult:
    """verify_bytes, remembering the signature checks per SHA-256; the register entry is looked up again."""
    sha = hashlib.sha256(data).hexdigest()
    with _cache_lock:
        cached = _cached(sha)
    if cached is None:
        result = certification_service.verify_bytes(data)
        with _cache_lock:
            _cache[sha] = (time.monotonic(), result)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        return result
    if cached.status is Status.ALTERED:  # altered stays altered; otherwise the register may have changed
        return cached
    return with_register(cached, _fresh_register(cached))


def _fresh_register(cached: VerificationResult):
    """The register entry read again (a revocation shows at once), found the way it was first found."""
    reg = cached.register
    if reg is None:
        return certification_service.lookup_by_sha256(cached.sha256)
    with session_scope() as session:
        entry = session.get(RegisterEntry, reg.entry_id)
        return certification_service.register_info(session, entry, matched_sealed=reg.matched_sealed) \
            if entry else None


def verify_by_code(code: str) -> VerificationResult | None:
    """The issued copy with this verification code; None if there is none.

    The stored file is read, hashed and its signatures checked once per SHA-256 (cached); later calls
    only read the register entry (one session), so a revocation shows at once."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        return None
    with session_scope() as session:
        entry = _entry_by_code(session, code)
        if entry is None:
            return None
        info = certification_service.register_info(session, entry)
        sha = certification_service.latest_file_sha256(session, entry)
    with _cache_lock:
        cached = _cached(sha)
    if cached is None:
        try:
            data = files.read_bytes(sha)  # also checks the content still has its hash
        except files.FileMissing:
            log.warning("register entry %s: stored file %s missing", entry.id, sha)
            return None
        return verify_cached(data)
    if cached.status is Status.ALTERED:
        return cached
    return with_register(cached, info)


def _entry_by_code(session, code: str) -> RegisterEntry | None:
    """Exact match; else the code as printed (upper case), for a code typed in lower case."""
    for candidate in dict.fromkeys((code, code.upper())):
        entry = session.exec(select(RegisterEntry).where(RegisterEntry.verify_code == candidate)).first()
        if entry is not None:
            return entry
    return None


def code_from_text(text: str) -> str:
    """Accept a bare code or a pasted verification address (…/verify/CODE)."""
    text = (text or "").strip().rstrip("/")
    if "/verify/" in text:
        text = text.rsplit("/verify/", 1)[1]
    return text.split("?", 1)[0].split("#", 1)[0].removesuffix(".json")


def ca_certificate_pem() -> bytes | None:
    """The root certificate(s) to publish: the demo CA in demo mode, else the configured trust roots."""
    settings = get_settings()
    if settings.demo:
        return demo_pki().root_cert_pem()
    chunks = []
    for path in settings.trust_roots:
        try:
            with open(path.strip(), "rb") as handle:
                raw = handle.read()
        except OSError:
            continue
        if b"-----BEGIN" not in raw:
            raw = pem.armor("CERTIFICATE", raw)
        chunks.append(raw)
    return b"".join(chunks) or None
