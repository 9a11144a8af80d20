"""Facts read from a signed copy's revisions: which bytes the office signed, who signed, and when the
last time-stamp's certificate ends. Used at sealing (the register keeps them) and by the renewal job."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import BinaryIO

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from domain.signing.statement import LEADER_FIELD, OFFICE_FIELD


@dataclass(frozen=True)
class CopyFacts:
    sealed_sha256: str
    leader_cert_sha256: str
    office_cert_sha256: str
    ts_expires_at: datetime | None


def signed_length(sig: EmbeddedPdfSignature) -> int:
    """Bytes covered by the signature's revision: the end of its /ByteRange."""
    byte_range = [int(x) for x in sig.byte_range]
    return byte_range[2] + byte_range[3] if len(byte_range) == 4 else 0


def cert_sha256(sig: EmbeddedPdfSignature) -> str:
    return hashlib.sha256(sig.signer_cert.dump()).hexdigest()


def copy_facts(pdf: bytes | str) -> CopyFacts:
    """The facts of a sealed copy: its bytes, or its path (read as needed, never whole)."""
    if isinstance(pdf, bytes):
        return _facts(BytesIO(pdf))
    with open(pdf, "rb") as handle:
        return _facts(handle)


def _facts(stream: BinaryIO) -> CopyFacts:
    reader = PdfFileReader(stream, strict=False)
    by_field = {s.field_name: s for s in reader.embedded_regular_signatures}
    office, leader = by_field.get(OFFICE_FIELD), by_field.get(LEADER_FIELD)
    sealed = _prefix_sha256(stream, signed_length(office)) if office else ""
    return CopyFacts(sealed, cert_sha256(leader) if leader else "", cert_sha256(office) if office else "",
                     last_timestamp_expiry(reader))


def _prefix_sha256(stream: BinaryIO, length: int) -> str:
    digest, left = hashlib.sha256(), length
    stream.seek(0)
    while left > 0:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            break
        digest.update(chunk)
        left -= len(chunk)
    return digest.hexdigest()


def last_timestamp_expiry(reader: PdfFileReader) -> datetime | None:
    """When the certificate of the newest document time-stamp ends (None: no document time-stamp):
    the file's evidence must be renewed before then."""
    doc_ts = reader.embedded_timestamp_signatures
    return doc_ts[-1].signer_cert.not_valid_after if doc_ts else None
