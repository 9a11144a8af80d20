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

from app import files
from app.db import UNITS, session_scope
from app.signing import certification_service as service
from app.signing.renewal import renew_due
from domain.models import CopyFile, RegisterEntry
from tests.support.signing import nss_db_trusting, pdfsig_report
from tests.support.workflow import signed_dossier_ready, user_named

ROOT = Path(__file__).resolve().parents[2]
YEAR = timedelta(days=365)


def issue(pages: int = 1) -> RegisterEntry:
    dossier_id = signed_dossier_ready(pages=pages)
    service.sign(UNITS, user_named("lanhdao"), dossier_id)
    [entry] = service.seal(UNITS, user_named("vanthu"), dossier_id)
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

    # the product's own CLI (years on, on a faked clock: test_copies_decades_on.py)
    out = subprocess.run([sys.executable, "main.py", "verify", str(path), "--json"], cwd=ROOT,
                         capture_output=True, text=True, env=cli_env(app_env), timeout=120, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    result = json.loads(out.stdout)
    assert result["status"] == "valid" and result["level"] == "B-LTA"
    assert result["certification_number"] == entry.number_text


def test_renewal_leaves_a_copy_alone_while_its_time_stamp_certificate_has_years_left(demo_db, app_env,
                                                                                     pki_services):
    """When it is due, and decades on: test_copies_decades_on.py (the renewal job under faketime)."""
    entry = issue()
    assert renew_due().renewed == 0
    with session_scope() as session:
        renewed = session.exec(select(CopyFile).where(CopyFile.entry_id == entry.id, CopyFile.seq > 0)).all()
    assert renewed == []


def test_renewal_killed_mid_run_carries_on_without_doubling(demo_db, app_env, pki_services):
    entries = [issue(), issue()]
    at = (datetime.now(UTC) + 9 * YEAR + timedelta(days=200)).isoformat()
    # The process dies inside the second copy's transaction (its file already stored, not committed).
    crash = ("import os, sys\nfrom datetime import datetime\nimport app.signing.renewal as r\n"
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
