"""Port for whatever applies a digital signature to a PDF (PKCS#12 file, PKCS#11 token, demo CA)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class SignatureRequest:
    """What to sign and how the signature looks on the page.

    ``stamp_lines`` is the text of the visible appearance, already formatted (no placeholders);
    ``qr_url`` adds a QR code with that URL to the appearance, ``qr_caption`` a line printed under it.
    """

    field_name: str
    stamp_lines: tuple[str, ...]
    qr_url: str | None = None
    qr_caption: str | None = None
    reason: str | None = None
    location: str | None = None
    signer_name: str | None = None
    tsa_url: str | None = None
    certify: bool = False  # DocMDP certification (the leader: form filling and signing allowed)
    # PAdES B-LT: embed chains and revocation data, validated against these roots (DER)
    trust_roots_der: tuple[bytes, ...] = ()
    archive_timestamp: bool = False  # PAdES B-LTA: a document time-stamp right after the signature


@runtime_checkable
class Signer(Protocol):
    """Signs a PDF in a new incremental revision, filling an existing empty signature field."""

    @property
    def subject_name(self) -> str:
        """Common name (CN) of the signing certificate."""
        ...

    def sign_pdf(self, pdf: bytes, request: SignatureRequest) -> bytes:
        """Return the PDF with one more signature (PAdES B-B, or B-T with a TSA URL)."""
        ...
