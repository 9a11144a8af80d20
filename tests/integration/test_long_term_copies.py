"""Copies issued through the real workflow against the demo PKI services: outside validators
(pyHanko's CLI, its AdES LTA validation, poppler's pdfsig, `main.py verify`), decades later, renewal."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation import ades
from pyhanko.sign.validation.policy_decl import PdfSignatureValidationSpec, SignatureValidationSpec
from pyhanko_certvalidator import policy_decl as certv
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.registry import SimpleTrustManager
from sqlmodel import select

from app import certification_service as service
from app import files
from app.db import session_scope
from app.public_verify import verify_by_code
from app.renewal import renew_due
from app.signing.verify import verify_pdf
from domain.models import AuditEvent, CopyFile, RegisterEntry
from tests.support.signing import nss_db_trusting, pdfsig_report
from tests.support.workflow import signed_dossier_ready, user_named

ROOT = Path(__file__).resolve().parents[2]
YEAR = timedelta(days=365)


def issue(pages: int = 1) -> RegisterEntry:
    dossier_id = signed_dossier_ready(pages=pages)
    service.sign(user_named("lanhdao"), dossier_id)
    [entry] = service.seal(user_named("vanthu"), dossier_id)
    return entry


def cli_env(app_env: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_issued_copy_is_b_lta_and_valid_for_outside_validators(demo_db, app_env, pki_services, tmp_path):
    entry = issue()
    pdf = files.read_bytes(entry.file_sha256)
    path, root = tmp_path / "copy.pdf", tmp_path / "root.pem"
    path.write_bytes(pdf)
    root.write_bytes(pki_services.root_cert_pem())

    # pyHanko's CLI, online revocation checks against the demo services, every certificate must have some
    cli = Path(sys.executable).with_name("pyhanko")
    out = subprocess.run(
        [
            str(cli),
            "sign",
            "validate",
            "--force-revinfo",
            "--trust",
            str(root),
            "--trust-replace",
            "--executive-summary",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    assert {line.split(":")[0] for line in lines} == {"LanhDao", "CoQuan"}
    assert all(line.endswith(":VALID") for line in lines)

    # pyHanko's ETSI EN 319 102-1 LTA validation (revocation data required)
    spec = PdfSignatureValidationSpec(SignatureValidationSpec(CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(pki_services.trust_roots()),
        revinfo_policy=certv.CertRevTrustPolicy(certv.REQUIRE_REVINFO,
                                                freshness_req_type=certv.FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION))))
    reader = PdfFileReader(BytesIO(pdf))
    for sig in reader.embedded_regular_signatures:
        result = asyncio.run(ades.ades_lta_validation(sig, spec))
        assert result.ades_subindic is AdESPassed.OK, result.failure_msg
        assert result.oldest_evidence_record_timestamp is not None  # the document time-stamp chain counted

    # poppler's pdfsig with the demo root trusted in an NSS database
    report = pdfsig_report(path, nss_db_trusting(tmp_path, pki_services.root_cert_pem()))
    for field in ("LanhDao", "CoQuan"):
        assert report[field]["Signature Validation"] == "Signature is Valid."
        assert report[field]["Certificate Validation"] == "Certificate is Trusted."

    # the product's own CLI, now and 8 years on (after the signers' certificates expired)
    for extra in ([], ["--at", (datetime.now(UTC) + 8 * YEAR).isoformat()]):
        out = subprocess.run([sys.executable, "main.py", "verify", str(path), "--json", *extra], cwd=ROOT,
                             capture_output=True, text=True, env=cli_env(app_env), timeout=120, check=False)
        assert out.returncode == 0, out.stdout + out.stderr
        result = json.loads(out.stdout)
        assert result["status"] == "valid" and result["level"] == "B-LTA"
        assert result["certification_number"] == entry.number_text


def test_renewal_adds_one_document_time_stamp_when_due_and_keeps_copies_valid_for_decades(
    demo_db, app_env, pki_services, tmp_path
):
    entry = issue()
    now = datetime.now(UTC)
    assert renew_due(now).renewed == 0  # the TSA's certificate has years left
    original = files.read_bytes(entry.file_sha256)
    thirty_years_on = now + 30 * YEAR
    assert not verify_pdf(original, trust_roots=pki_services.trust_roots(), at=thirty_years_on).valid

    near_the_end = now + 9 * YEAR + timedelta(days=200)  # the demo TSA certificate lasts 10 years
    assert renew_due(near_the_end).renewed == 1
    assert renew_due(near_the_end).renewed == 0  # the new time-stamp's certificate lasts far longer
    with session_scope() as session:
        rows = session.exec(
            select(CopyFile).where(CopyFile.entry_id == entry.id).order_by(CopyFile.seq)
        ).all()
        assert [r.seq for r in rows] == [0, 1]
        latest = service.latest_file_sha256(session, session.get(RegisterEntry, entry.id))
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "renew_timestamp")).first()
    renewed = files.read_bytes(latest)
    assert renewed.startswith(original)  # incremental: the issued revisions are untouched

    result = verify_pdf(renewed, trust_roots=pki_services.trust_roots(), lookup=service.lookup_by_sha256,
                        at=thirty_years_on)
    assert result.valid and result.level == "B-LTA", result.problems
    by_code = verify_by_code(entry.verify_code)
    assert by_code is not None and by_code.valid and by_code.sha256 == latest

    # the product's CLI, as a relying party would run it 30 years on
    path = tmp_path / "renewed.pdf"
    path.write_bytes(renewed)
    out = subprocess.run(
        [sys.executable, "main.py", "verify", str(path), "--json", "--at", thirty_years_on.isoformat()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=cli_env(app_env),
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    cli = json.loads(out.stdout)
    assert (
        cli["status"] == "valid"
        and cli["level"] == "B-LTA"
        and cli["certification_number"] == entry.number_text
    )


def test_renewal_killed_mid_run_carries_on_without_doubling(demo_db, app_env, pki_services):
    entries = [issue(), issue()]
    at = (datetime.now(UTC) + 9 * YEAR + timedelta(days=200)).isoformat()
    # The process dies inside the second copy's transaction (its file already stored, not committed).
    crash = ("import os, sys\nfrom datetime import datetime\nimport app.renewal as r\n"
             "orig, calls = r.record_renewal, []\n"
             "def dying(*a, **k):\n    calls.append(1)\n    if len(calls) == 2:\n        os._exit(9)\n"
             "    return orig(*a, **k)\n"
             "r.record_renewal = dying\n"
             f"r.renew_due(datetime.fromisoformat({at!r}))\n")
    out = subprocess.run([sys.executable, "-c", crash], cwd=ROOT, env=cli_env(app_env), capture_output=True,
                         text=True, timeout=120, check=False)
    assert out.returncode == 9, out.stderr
    with session_scope() as session:
        assert len(session.exec(select(CopyFile).where(CopyFile.seq == 1)).all()) == 1

    out = subprocess.run(
        [sys.executable, "main.py", "renew-timestamps", "--at", at],
        cwd=ROOT,
        env=cli_env(app_env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0 and "1 bản sao" in out.stdout, out.stdout + out.stderr
    with session_scope() as session:
        for entry in entries:
            seqs = session.exec(select(CopyFile.seq).where(CopyFile.entry_id == entry.id)).all()
            assert sorted(seqs) == [0, 1]
