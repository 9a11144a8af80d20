"""What a signature request says; the Signer port that carries it out is in domain/ports.py."""
from __future__ import annotations

from dataclasses import dataclass


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
