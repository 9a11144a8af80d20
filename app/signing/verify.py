"""Verify a certified copy: every signature at the time a trusted time-stamp proves, each time-stamp by
the next one (pyHanko's AdES LTA validation with the DSS and the document time-stamps in the file), the
register entry matched on the revision the office sealed, and roles from the register's certificate
fingerprints. Time is the process's clock, or ``at`` (then read by pyHanko too: ``judged_time``).

``verify_pdf`` is synchronous (it runs its own event loop): from NiceGUI call it through
``run.io_bound``, or await ``averify_pdf`` directly.
"""
from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESPassed
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import ades, generic_cms
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.policy_decl import (
    CertificateFetchingRule,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import ModificationInfo, PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import policy_decl as certv
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.registry import SimpleTrustManager

from domain.clock import LOCAL_TZ
from domain.signing.statement import LEADER_FIELD, OFFICE_FIELD
from domain.signing.verification import (
    Match,
    RegisterInfo,
    Role,
    SignatureCheck,
    VerificationResult,
    assign_roles,
    decide,
)

from .diff_once import ReviewOnce
from .file_facts import revoked_since, signature_tsa_trusted
from .judged_time import judging_at
from .outside_timestamps import evidence_cut
from .revisions import cert_sha256, signed_length
from .speedups import install as _install_speedups

_install_speedups()

Lookup = Callable[[str], RegisterInfo | None]
TrustRoots = Iterable[asn1_x509.Certificate | str | os.PathLike]
_ACCEPTABLE = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
_BY_FIELD = {LEADER_FIELD: Role.LEADER, OFFICE_FIELD: Role.OFFICE}
_REVOKED = {AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE, AdESFailure.REVOKED}
_NO_PROOF = {AdESIndeterminate.NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
             AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED}
# The policy of `pyhanko sign adesverify`: revocation data for every certificate, fresh for the time
# it is used at (thisUpdate..nextUpdate); past validation slides each certificate's control time back
# to the revocation data the file holds, proven by the document time-stamp after it. Judging the
# present, what the file lacks (the last time-stamp's chain today) is fetched from the addresses in
# the certificates, as any relying party's validator does; certificates are never fetched (the file
# carries its chains; a URL planted in an uploaded file is not followed). Judging a past moment
# (`--at`), only the file's data counts.
_REVINFO_POLICY = certv.CertRevTrustPolicy(
    revocation_checking_policy=certv.REQUIRE_REVINFO,
    freshness=None,
    freshness_req_type=certv.FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION,
)


def verify_pdf(data: bytes, *, trust_roots: TrustRoots, lookup: Lookup | None = None,
               at: datetime | None = None) -> VerificationResult:
    return asyncio.run(averify_pdf(data, trust_roots=trust_roots, lookup=lookup, at=at))


async def averify_pdf(data: bytes, *, trust_roots: TrustRoots, lookup: Lookup | None = None,
                      at: datetime | None = None) -> VerificationResult:
    """``at``: judge as of this moment, with the file's evidence only; default: the process's clock."""
    sha256 = hashlib.sha256(data).hexdigest()
    consulted = lookup is not None
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = reader.embedded_regular_signatures
        doc_timestamps = reader.embedded_timestamp_signatures
    except Exception:  # noqa: BLE001 - not a PDF at all, or too broken to read
        return decide(sha256, [], register=lookup(sha256) if lookup else None, register_consulted=consulted,
                      readable=False)
    if any(signed_length(sig) > len(data) for sig in embedded):
        return decide(sha256, [], register=None, register_consulted=consulted, readable=False)
    roots = tuple(load_trust_roots(trust_roots))
    # one diff analysis per signature, however many times pyHanko's LTA validation asks for it
    spec = dataclasses.replace(_spec(roots), diff_policy=ReviewOnce())
    moment = at or datetime.now(UTC)
    timing = ValidationTimingInfo(moment, moment, point_in_time_validation=at is not None)
    with judging_at(moment):
        judged, outside = await evidence_cut(reader, data, roots)
        judged_sigs = embedded
        if outside:
            judged_reader = PdfFileReader(BytesIO(judged), strict=False)
            judged_sigs = judged_reader.embedded_regular_signatures
            doc_timestamps = judged_reader.embedded_timestamp_signatures
        checks = [await _check(full, sig, spec, timing, doc_timestamps, moment)
                  for full, sig in zip(embedded, judged_sigs, strict=True)]
    register, match, altered_rev = _match_register(data, sha256, embedded, checks, lookup)
    checks = assign_roles(checks, register, _BY_FIELD)
    result = decide(sha256, checks, register=register, register_consulted=consulted, match=match,
                    altered_at_revision=altered_rev, level=_level(reader, embedded, doc_timestamps, checks),
                    outside_timestamps=[(o.tsa, o.revision) for o in outside])
    return result


def _match_register(data: bytes, sha256: str, embedded: list[EmbeddedPdfSignature],
                    checks: list[SignatureCheck], lookup: Lookup | None):
    """(entry, how it matched, first altered revision or None)."""
    if lookup is None:
        return None, Match.FILE, None
    register = lookup(sha256)
    if register is not None and not register.matched_sealed:
        return register, Match.FILE, None
    # Newest first: the revision a signature closed that the register knows as sealed (or issued).
    for sig, check in zip(reversed(embedded), reversed(checks), strict=True):
        register = lookup(hashlib.sha256(data[: signed_length(sig)]).hexdigest())
        if register is None:
            continue
        later_ok = check.intact and check.modifications_ok and check.only_lta_after
        if later_ok:
            return register, Match.SEALED, None
        return register, Match.NONE, check.revision + 1
    return None, Match.NONE, None


async def _validate(sig: EmbeddedPdfSignature, spec: PdfSignatureValidationSpec,
                    timing: ValidationTimingInfo, doc_timestamps):
    """AdES LTA validation when document time-stamps follow the signature; else validation with time
    at ``timing`` with the DSS's data (pyHanko's LTA path insists on proofs of existence for the CA
    certificates, which only document time-stamps give)."""
    if any(ts.signed_revision > sig.signed_revision for ts in doc_timestamps):
        return await ades.ades_lta_validation(sig, spec, timing_info=timing)
    sig_spec = spec.signature_validation_spec
    known = ades._dss_to_local_knowledge(reader=sig.reader)
    sig_spec = dataclasses.replace(sig_spec, local_knowledge=known)
    sig.compute_integrity_info(diff_policy=spec.diff_policy)
    return await ades.ades_with_time_validation(
        sig.signed_data, sig_spec, timing_info=timing, raw_digest=sig.compute_digest(),
        extra_status_kwargs=sig.summarise_integrity_info(), status_cls=PdfSignatureStatus)


def _integrity(full: EmbeddedPdfSignature, spec: PdfSignatureValidationSpec) -> dict:
    """Coverage and modifications judged on the whole file, outside additions included."""
    full.compute_integrity_info(diff_policy=spec.diff_policy)
    info = full.summarise_integrity_info()
    level = ModificationInfo(coverage=info["coverage"], diff_result=info["diff_result"]).modification_level
    return {**info, "modification_level": level}


async def _check(full: EmbeddedPdfSignature, sig: EmbeddedPdfSignature, spec: PdfSignatureValidationSpec,
                 timing: ValidationTimingInfo, doc_timestamps, moment: datetime) -> SignatureCheck:
    """``full``: the signature in the file as given; ``sig``: the same signature in the bytes whose
    evidence is judged (the same object unless untrusted outside time-stamps were left out)."""
    revision = full.signed_revision + 1
    try:
        result = await _validate(sig, spec, timing, doc_timestamps)
        status = result.api_status
        signer = status.signing_cert.subject.native.get("common_name", "")
        integrity = _integrity(full, spec) if full is not sig else {
            "coverage": status.coverage, "modification_level": status.modification_level,
            "docmdp_ok": status.docmdp_ok}
    except Exception:  # noqa: BLE001 - a malformed signature is simply not intact
        return SignatureCheck(signer="?", role=Role.FOREIGN, field_name=full.field_name or "", intact=False,
                      trusted=False, modifications_ok=False, covers_whole_file=False, revision=revision)
    level, coverage = integrity["modification_level"], integrity["coverage"]
    ts_result = getattr(result, "signature_timestamp_status", None)
    timestamped = _has_signature_timestamp(sig)
    if ts_result is not None:
        ts_ok = ts_result.ades_subindic is AdESPassed.OK
    else:  # the AdES run stopped before the time-stamp: pyHanko's own check of it
        ts_validity = getattr(status, "timestamp_validity", None)
        ts_ok = bool(ts_validity and ts_validity.trusted)
    # "untrusted time-stamp" only when its TSA is not ours: a TSA certificate ended since is not that
    trust = spec.signature_validation_spec.cert_validation_policy.trust_manager
    ts_trusted = (ts_ok or await signature_tsa_trusted(sig, trust)) if timestamped else None
    passed = result.ades_subindic is AdESPassed.OK
    proven = passed and (ts_ok or getattr(result, "oldest_evidence_record_timestamp", None) is not None)
    signed_at = (
        result.best_signature_time if proven else (status.signer_reported_dt or sig.self_reported_timestamp)
    )
    revoked_at = _revoked_at(result, status, sig, passed, signed_at)
    cert_end = status.signing_cert.not_valid_after
    return SignatureCheck(
        signer=signer,
        role=_BY_FIELD.get(full.field_name, Role.FOREIGN),
        field_name=full.field_name or "",
        intact=bool(status.intact and status.valid),
        trusted=passed,
        modifications_ok=bool(integrity["docmdp_ok"] is not False and level in _ACCEPTABLE),
        covers_whole_file=coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signed_at=_local(signed_at),
        timestamped=timestamped,
        cert_sha256=cert_sha256(full),
        revision=revision,
        timestamp_trusted=ts_trusted,
        revoked=revoked_at is not None or result.ades_subindic in _REVOKED,
        revoked_at=_local(revoked_at),
        expired_without_proof=result.ades_subindic in _NO_PROOF,
        cert_expired_at=_local(cert_end) if passed and cert_end < moment else None,
        only_lta_after=level is not None and level <= ModificationLevel.LTA_UPDATES
        and coverage != SignatureCoverageLevel.UNCLEAR,
    )


def _revoked_at(result, status, sig: EmbeddedPdfSignature, passed: bool, signed_at) -> datetime | None:
    """When the signer's certificate was revoked, if that was before the signature (pyHanko's finding,
    else the file's own revocation data); None if it was not, or is not known."""
    if passed:
        return None
    details = getattr(status, "revocation_details", None)
    if details is not None and result.ades_subindic in _REVOKED:
        return details.revocation_date
    since = revoked_since(sig.reader, sig.signer_cert)
    return since if since is not None and (signed_at is None or since <= signed_at) else None


def _has_signature_timestamp(sig: EmbeddedPdfSignature) -> bool:
    return any(True for _ in generic_cms.extract_tst_data_iter(sig.signer_info, signed=False))


def _level(reader: PdfFileReader, embedded, doc_timestamps, checks: list[SignatureCheck]) -> str:
    if not embedded:
        return ""
    last = embedded[-1]
    level = "B-T" if checks[-1].timestamped else "B-B"
    if "/DSS" in reader.root:
        level = "B-LT" if level == "B-T" else level
        if level == "B-LT" and any(ts.signed_revision > last.signed_revision for ts in doc_timestamps):
            level = "B-LTA"
    return level


_SPECS: dict[tuple, PdfSignatureValidationSpec] = {}


def _spec(roots: tuple[asn1_x509.Certificate, ...]) -> PdfSignatureValidationSpec:
    key = tuple(root.sha256 for root in roots)
    spec = _SPECS.get(key)
    if spec is None:
        policy = CertValidationPolicySpec(trust_manager=SimpleTrustManager.build(list(roots)),
                                          revinfo_policy=_REVINFO_POLICY)
        spec = PdfSignatureValidationSpec(SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.NO_HISTORICAL_FETCH,
                certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH),
            key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"}),
        ))
        _SPECS[key] = spec
    return spec


def load_trust_roots(roots: TrustRoots) -> list[asn1_x509.Certificate]:
    """Accept asn1crypto certificates or paths to PEM/DER certificate files (parsed once per file
    version: the same objects then hit the validation spec cached for them)."""
    loaded = []
    for root in roots:
        if isinstance(root, asn1_x509.Certificate):
            loaded.append(root)
            continue
        stat = os.stat(root)
        loaded.extend(_certificates_in(os.fspath(root), stat.st_mtime_ns, stat.st_size))
    return loaded


@lru_cache(maxsize=64)
def _certificates_in(path: str, mtime_ns: int, size: int) -> tuple[asn1_x509.Certificate, ...]:
    raw = Path(path).read_bytes()
    if pem.detect(raw):
        return tuple(asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(raw, multiple=True))
    return (asn1_x509.Certificate.load(raw),)


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(LOCAL_TZ) if moment is not None else None
