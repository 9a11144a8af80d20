"""The renewal job (PAdES B-LTA kept up): before the certificate of a copy's last time-stamp ends,
add a document time-stamp with fresh revocation data, as a new file of the same register entry.

The new time-stamp proves when the revocation data for the previous time-stamp's chain (and for
the signers whose certificates are still valid) was added; validation years later slides each older
time-stamp back to that moment. It comes from RENEW_TSA_URL, whose certificate must outlast the old.

Each copy is one transaction, so a run killed midway leaves every copy either renewed or still due;
the next run carries on. Runs nightly in the server and by `python main.py renew-timestamps`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import PdfTimeStamper
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import add_validation_info
from pyhanko_certvalidator import ValidationContext
from sqlalchemy.exc import IntegrityError

from app import files
from app.db import session_scope, write_scope
from app.settings import get_settings
from app.signing.resolve import renewal_tsa_url, trust_roots
from app.signing.revisions import last_timestamp_expiry
from app.signing.verify import load_trust_roots
from domain.copy_files import StaleRenewal, due_for_renewal, record_renewal

log = logging.getLogger(__name__)


@dataclass
class RenewalRun:
    renewed: int = 0
    skipped: int = 0  # raced, or the TSA's certificate would not last longer
    failed: int = 0


def renew_due(now: datetime | None = None, *, stop_after: int | None = None) -> RenewalRun:
    """Renew every copy due at ``now`` (default: the real time); ``stop_after`` bounds one run."""
    now = now or datetime.now(UTC)
    before = now + timedelta(days=get_settings().renew_days)
    run = RenewalRun()
    tsa = renewal_tsa_url()
    if tsa is None:
        log.warning("renewal: no time-stamp server (TSA_URL) configured")
        return run
    vc_roots = load_trust_roots(trust_roots())
    with session_scope() as session:
        due = [
            (row.entry_id, row.seq, row.file_sha256, row.ts_expires_at)
            for row in due_for_renewal(session, before)
        ]
    for entry_id, seq, sha, old_end in due[:stop_after]:
        try:
            renewed = _renew_file(files.read_bytes(sha), tsa, vc_roots, now)
            end = last_timestamp_expiry(PdfFileReader(BytesIO(renewed)))
            if old_end is not None and end is not None and end <= old_end:
                log.warning(
                    "renewal of entry %s skipped: the TSA's certificate ends %s, not later", entry_id, end
                )
                run.skipped += 1
                continue
            with write_scope() as session:
                new_sha = files.store_bytes(renewed, "application/pdf", session)
                record_renewal(session, entry_id, seq, new_sha, end, datetime.now(UTC))
            run.renewed += 1
        except (StaleRenewal, IntegrityError):
            run.skipped += 1
        except Exception:
            log.warning("renewal of entry %s failed", entry_id, exc_info=True)
            run.failed += 1
    return run


def _renew_file(pdf: bytes, tsa_url: str, roots, now: datetime) -> bytes:
    pdf = _signers_revocation_data(pdf, roots, now)
    vc = ValidationContext(trust_roots=roots, allow_fetching=True)
    out = BytesIO()
    PdfTimeStamper(HTTPTimeStamper(tsa_url, timeout=10)).update_archival_timestamp_chain(
        PdfFileReader(BytesIO(pdf)), vc, in_place=False, output=out)
    return out.getvalue()


def _signers_revocation_data(pdf: bytes, roots, now: datetime) -> bytes:
    """Fresh revocation data for each signer whose certificate has not ended (a CA need not answer
    for an ended one; the data from signing then stays the proof), in one DSS update each."""
    ends = [s.signer_cert.not_valid_after for s in PdfFileReader(BytesIO(pdf)).embedded_regular_signatures]
    for index, end in enumerate(ends):
        if end <= now:
            continue
        sig = PdfFileReader(BytesIO(pdf)).embedded_regular_signatures[index]
        try:
            vc = ValidationContext(trust_roots=roots, allow_fetching=True)
            pdf = add_validation_info(sig, vc, skip_timestamp=True, in_place=False).getvalue()
        except Exception:  # noqa: BLE001 - e.g. revoked since: the signing-time data stays the proof
            log.info("renewal: no fresh revocation data for signature %s", index, exc_info=True)
    return pdf


def renew_command(at: datetime | None) -> int:
    run = renew_due(at)
    print(f"Đã gia hạn dấu thời gian: {run.renewed} bản sao; bỏ qua: {run.skipped}; lỗi: {run.failed}.")
    return 1 if run.failed else 0
