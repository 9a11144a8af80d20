"""Document time-stamps that relying parties append (a bank's, an archive's) from TSAs we may not trust.

pyHanko's LTA validation treats the chain of document time-stamps as one evidence record: one
time-stamp it cannot trust makes the whole chain fail, and with it the proof of when the office
signed. Such a time-stamp proves nothing to us, but it takes nothing away either: the evidence is
judged as the file stood before the first time-stamp that does not chain to our trust roots, and
that time-stamp is named in a note.
"""
from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator.registry import SimpleTrustManager

from .file_facts import chains_to_roots
from .revisions import signed_length


@dataclass(frozen=True)
class OutsideTimestamp:
    tsa: str  # the TSA certificate's common name
    revision: int  # 1-based revision of the file it made


async def evidence_cut(reader: PdfFileReader, data: bytes, roots: tuple[asn1_x509.Certificate, ...]
                       ) -> tuple[bytes, list[OutsideTimestamp]]:
    """(the bytes to judge, the untrusted document time-stamps left out). Everything from the first
    untrusted document time-stamp on is left out; the file itself is unchanged when there is none."""
    regular = reader.embedded_regular_signatures
    last_signed = max((s.signed_revision for s in regular), default=-1)
    stamps = [ts for ts in reader.embedded_timestamp_signatures if ts.signed_revision > last_signed]
    if not stamps:
        return data, []
    known, trust = _known_certs(reader), SimpleTrustManager.build(list(roots))
    outside = [ts for ts in stamps if not await _chains_to_roots(ts, trust, known)]
    if not outside:
        return data, []
    first = min(ts.signed_revision for ts in outside)
    before = [s for s in reader.embedded_signatures if s.signed_revision < first]
    cut = max((signed_length(s) for s in before), default=len(data))
    named = [OutsideTimestamp(_common_name(ts.signer_cert), ts.signed_revision + 1) for ts in outside]
    return data[:cut], named


async def _chains_to_roots(ts: EmbeddedPdfSignature, trust: SimpleTrustManager,
                           known: list[asn1_x509.Certificate]) -> bool:
    return await chains_to_roots(ts.signer_cert, list(ts.other_embedded_certs) + known, trust)


def _known_certs(reader: PdfFileReader) -> list[asn1_x509.Certificate]:
    try:
        return list(DocumentSecurityStore.read_dss(reader).load_certs())
    except NoDSSFoundError:
        return []


def _common_name(cert: asn1_x509.Certificate) -> str:
    return cert.subject.native.get("common_name", "") or cert.subject.human_friendly
