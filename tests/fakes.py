"""Small stand-ins for ports (domain/ports.py) in tests that are not about the real part. A test about
hashing, storage, signing or delivery itself uses the real adapter."""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets

from domain import security


class CheapHasher:
    """A salted SHA-256 in place of argon2 (~50 ms a check on 2 cores): the rules around a code or a
    password (expiry, attempts, only the latest code) are the same, only the cost goes."""

    PREFIX = "$cheap$"

    def hash(self, secret: str) -> str:
        salt = secrets.token_hex(8)
        return f"{self.PREFIX}{salt}${hashlib.sha256((salt + secret).encode()).hexdigest()}"

    def verify(self, secret: str, hashed: str) -> bool:
        if not hashed.startswith(self.PREFIX):
            return False
        salt, digest = hashed[len(self.PREFIX):].split("$", 1)
        return hmac.compare_digest(digest, hashlib.sha256((salt + secret).encode()).hexdigest())

    def dummy_verify(self) -> None:
        """Nothing to spend: the real hasher burns a check's time here so unknown accounts answer alike."""


@contextlib.contextmanager
def cheap_hashing():
    """`with cheap_hashing(): …` — the process hashes with CheapHasher inside the block."""
    previous = security.use_hasher(CheapHasher())
    try:
        yield
    finally:
        security.use_hasher(previous)


class MemoryStore:
    """The FileStore port in a dict (no StoredFile rows): for rules that only pass bytes along."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def put(self, session, data: bytes, mime: str) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        self.files[sha256] = data
        return sha256

    def get(self, sha256: str) -> bytes:
        return self.files[sha256]


class RecordingSms:
    """The SmsGateway port that keeps what it was asked to send."""

    def __init__(self):
        self.sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))
