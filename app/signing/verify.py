"""Verify a certified copy: pyHanko validation of every signature + the register entry.

``verify_pdf`` is synchronous (it runs its own event loop): from NiceGUI call it through
``run.io_bound``, or await ``averify_pdf`` directly.
"""
from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from domain.signing.statement import LEADER_FIELD, OFFICE_FIELD
from domain.signing.verification import RegisterInfo, Role, SignatureCheck, VerificationResult, decide

Lookup = Callable[[str], RegisterInfo | None]
TrustRoots = Iterable[asn1_x509.Certificate | str | os.PathLike]
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_ACCEPTABLE = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
_KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation"})


def verify_pdf(data: bytes, *, trust_roots: TrustRoots, lookup: Lookup | None = None) -> VerificationResult:
    return asyncio.run(averify_pdf(data, trust_roots=trust_roots, lookup=lookup))


async def averify_pdf(data: bytes, *, trust_roots: TrustRoots,
                      lookup: Lookup | None = None) -> VerificationResult:
    sha256 = hashlib.sha256(data).hexdigest()
    roots = load_trust_roots(trust_roots)
    try:
        embedded = PdfFileReader(BytesIO(data), strict=False).embedded_regular_signatures
    except Exception:  # noqa: BLE001 - not a PDF at all, or too broken to read
        result = decide(sha256, [], register=lookup(sha256) if lookup else None,
                        register_consulted=lookup is not None)
        result.problems.insert(0, "Tệp không phải là tệp PDF đọc được.")
        return result
    checks = [await _check(sig, i, roots) for i, sig in enumerate(embedded)]
    register, whole = None, True
    if lookup is not None:
        register = lookup(sha256)
        if register is None and embedded:
            # An altered copy: name the issued copy it was made from, if the signed part is one.
            signed_part = data[: _signed_length(embedded[-1])]
            register = lookup(hashlib.sha256(signed_part).hexdigest())
            whole = register is None
    return decide(sha256, checks, register=register, register_consulted=lookup is not None,
                  matched_whole_file=whole)


def load_trust_roots(roots: TrustRoots) -> list[asn1_x509.Certificate]:
    """Accept asn1crypto certificates or paths to PEM/DER certificate files."""
    loaded = []
    for root in roots:
        if isinstance(root, asn1_x509.Certificate):
            loaded.append(root)
            continue
        raw = Path(root).read_bytes()
        if pem.detect(raw):
            loaded.extend(asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(raw, multiple=True))
        else:
            loaded.append(asn1_x509.Certificate.load(raw))
    return loaded


async def _check(sig: EmbeddedPdfSignature, index: int, roots) -> SignatureCheck:
    role = _role(sig.field_name, index)
    try:
        # A fresh context per signature: contexts cache paths and revocation results.
        vc = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = await async_validate_pdf_signature(sig, signer_validation_context=vc,
                                                    key_usage_settings=_KEY_USAGE)
    except Exception:  # noqa: BLE001 - a malformed signature is simply not intact
        return SignatureCheck(signer="?", role=role, field_name=sig.field_name or "", intact=False,
                              trusted=False, modifications_ok=False, covers_whole_file=False)
    level = status.modification_level
    ts = status.timestamp_validity
    signed_at = ts.timestamp if ts is not None else status.signer_reported_dt
    return SignatureCheck(
        signer=status.signing_cert.subject.native.get("common_name", ""),
        role=role,
        field_name=sig.field_name or "",
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted and not status.revoked),
        modifications_ok=bool(status.docmdp_ok is not False and level in _ACCEPTABLE),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signed_at=_local(signed_at),
        timestamped=ts is not None,
    )


def _role(field_name: str | None, index: int) -> Role:
    if field_name == LEADER_FIELD:
        return Role.LEADER
    if field_name == OFFICE_FIELD:
        return Role.OFFICE
    return Role.LEADER if index == 0 else Role.OFFICE


def _signed_length(sig: EmbeddedPdfSignature) -> int:
    byte_range = [int(x) for x in sig.byte_range]
    return byte_range[2] + byte_range[3] if len(byte_range) == 4 else 0


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(VN_TZ) if moment is not None else None
