"""Ports: what the domain needs from the outside world, in one place. The adapters live in app/
(named below); small fakes for tests that do not need the real part live in tests/fakes.py."""
from __future__ import annotations

from email.message import EmailMessage
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from sqlmodel import Session

    from domain.signing.ports import SignatureRequest


class FileStore(Protocol):
    """Content-addressed file storage (app.signing.certification_service.StoreAdapter over app/files.py)."""

    def put(self, session: Session, data: bytes, mime: str) -> str:
        """Store the bytes (once per content) with their row in `session`; returns the sha256."""
        ...

    def get(self, sha256: str) -> bytes: ...


@runtime_checkable
class Signer(Protocol):
    """Signs a PDF in a new incremental revision, filling an existing empty signature field
    (app/signing: pkcs12, pkcs11, csc; built by app.signing.resolve.build_signer)."""

    @property
    def subject_name(self) -> str:
        """Common name (CN) of the signing certificate."""
        ...

    def sign_pdf(self, pdf: bytes, request: SignatureRequest) -> bytes:
        """Return the PDF with one more signature (PAdES B-B, or B-T with a TSA URL)."""
        ...


class SmsGateway(Protocol):
    """Sends one SMS (app/outbox/sms.py: OutboxSms, HttpSms). Returns on acceptance by the gateway; raises any
    Exception on failure (the delivery loop records the error and retries)."""

    def send(self, phone: str, text: str) -> None: ...


class Mailer(Protocol):
    """Hands one built e-mail to the mail server (app/outbox/mailer.py: SmtpMailer); raises on failure."""

    def send(self, message: EmailMessage) -> None: ...


class OcrEngine(Protocol):
    """Text of a picture (app/idcard/ocr.py: tesseract)."""

    def image_to_text(self, image, lang: str = "vie", psm: int = 6, whitelist: str | None = None) -> str:
        """Text of a PIL image."""
        ...


class PasswordHasher(Protocol):
    """Slow, salted hashing of passwords and one-time codes (domain/security.py: argon2)."""

    def hash(self, secret: str) -> str: ...

    def verify(self, secret: str, hashed: str) -> bool:
        """False for a wrong secret or a malformed hash."""
        ...

    def dummy_verify(self) -> None:
        """Spend the time of a real check (so timing does not tell whether an account exists)."""
        ...
