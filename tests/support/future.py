"""An office years from now, on the real clock: its own demo PKI whose services run under `faketime`
at the moment tested, and the product's commands run under the same fake clock.

``python -m tests.support.future setup DIR`` (real time) issues the copies; ``python -m
tests.support.future check DIR`` (under faketime) runs the renewal job as the server would that day,
then the public verification and pyHanko's own AdES LTA validation of each file, and prints JSON.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAKETIME = shutil.which("faketime")


def free_port() -> int:
    """A free port below the ephemeral range (32768+): the office's services stop and start again on it at
    each moment, and in between an outgoing connection of another test could be given an ephemeral one."""
    rng = random.Random()
    while True:
        port = rng.randrange(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def office_env(base: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAKETIME", "DATABASE_URL", "TSA_URL",
                                                                    "RENEW_TSA_URL", "DEMO_CSC"))}
    return {**env, "PYTHONPATH": str(ROOT), "DEMO": "1", "DATA_DIR": str(base / "data"),
            "PKI_DIR": str(base / "pki"), "PKI_URL": f"http://127.0.0.1:{port}", "BASE_URL": "http://testserver",
            "TEST_DB_TEMPLATE": "0",
            "SIGNING_SERVICE_TIMEOUT": "60"}  # a loaded machine's TSA under faketime: seen past 10 s once


def fake(moment: datetime | None) -> list[str]:
    """The command prefix that runs a process with its clock starting at ``moment`` (None: real)."""
    if moment is None:
        return []
    return [FAKETIME, "-f", moment.astimezone(UTC).strftime("@%Y-%m-%d %H:%M:%S")]


def run(cmd: list[str], env: dict[str, str], moment: datetime | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*fake(moment), *cmd], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


class Services:
    """`main.py pki-services` (CRL, OCSP, TSA) on the office's port, its clock at a chosen moment."""

    def __init__(self, env: dict[str, str], port: int):
        self.env, self.port, self.proc = env, port, None
        self.log = Path(env["PKI_DIR"]).parent / "pki-services.log"

    def at(self, moment: datetime | None) -> None:
        """Start the services at `moment`; a start that ends at once (the old server, forked by faketime,
        still holding the port) is tried again."""
        for attempt in range(3):
            if self._start(moment):
                return
            time.sleep(1 + attempt)
        raise RuntimeError(f"pki-services ended: {self.log.read_text(errors='replace')[-2000:]}")

    def _start(self, moment: datetime | None) -> bool:
        self.stop()
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen([*fake(moment), sys.executable, "main.py", "pki-services"], cwd=ROOT,
                                         env=self.env, stdout=subprocess.DEVNULL, stderr=log,
                                         start_new_session=True)  # its own group: faketime forks the server
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._answers():
                return True
            if self.proc.poll() is not None:
                self.proc = None
                return False
            time.sleep(0.1)
        raise RuntimeError("pki-services did not answer")

    def stop(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
            self.proc = None
            # the wrapper may end before the server it forked: wait until the port is free
            deadline = time.monotonic() + 30
            while self._answers() and time.monotonic() < deadline:
                time.sleep(0.1)

    def _answers(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0


# --- run inside the office's processes -------------------------------------------------------------

def setup(base: Path) -> dict:
    """Issue a copy through the workflow; also a copy whose leader was revoked before signing, and the
    copy as a bank returns it (its own document time-stamp from a TSA we do not trust)."""
    from app import files
    from app.db import UNITS
    from app.pki.demo_pki import DemoPki
    from app.pki.services import start_services
    from app.signing import certification_service as service
    from app.signing import resolve
    from app.web.startup import prepare_database
    from tests.support.ltv import append_outside_timestamp, issue_copy, unsigned_copy
    from tests.support.workflow import signed_dossier_ready, user_named

    pki = resolve.demo_pki()
    url = pki.url_prefix.rsplit(":", 1)
    running = start_services(pki, "127.0.0.1", int(url[1]))
    bank = DemoPki(base / "bank-pki").ensure(f"http://127.0.0.1:{free_port()}")
    bank_running = start_services(bank, "127.0.0.1", int(bank.url_prefix.rsplit(":", 1)[1]))
    try:
        prepare_database()
        dossier_id = signed_dossier_ready(pages=1)
        service.sign(UNITS, user_named("lanhdao"), dossier_id)
        [entry] = service.seal(UNITS, user_named("vanthu"), dossier_id)
        issued = files.read_bytes(entry.file_sha256)
        pki.issue_person("revoked-early", "Phạm Văn Thu", "Phó Chủ tịch", "UBND phường Hoàn Kiếm (demo)")
        pki.revoke("revoked-early", datetime.now(UTC) - timedelta(days=2))
        _, revoked = issue_copy(pki, unsigned_copy(1), leader_key="revoked-early", careless=True)
        banked = append_outside_timestamp(issued, bank.tsa_url())
    finally:
        running.stop()
        bank_running.stop()
    paths = {"issued": issued, "revoked": revoked, "banked": banked}
    for name, data in paths.items():
        (base / f"{name}.pdf").write_bytes(data)
    (base / "root.pem").write_bytes(pki.root_cert_pem())
    facts = {"code": entry.verify_code, "number": entry.number_text,
             "issued_at": datetime.now(UTC).isoformat(),
             "tsa_ends": pki.cert("tsa").not_valid_after.isoformat()}
    (base / "facts.json").write_text(json.dumps(facts))
    return facts


def check(base: Path, names: list[str]) -> dict:
    """What the server and a relying party see today (the process's clock): the renewal job's run,
    the public verification by code, and the files ``names`` (issued, revoked, banked) verified."""
    from app import files
    from app.db import session_scope
    from app.signing import certification_service as service
    from app.signing.renewal import renew_due
    from app.verification.public_verify import verify_by_code
    from domain.models import RegisterEntry

    facts = json.loads((base / "facts.json").read_text())
    run_ = renew_due()
    public = verify_by_code(facts["code"])
    with session_scope() as session:
        from sqlmodel import select

        entry = session.exec(select(RegisterEntry).where(RegisterEntry.verify_code == facts["code"])).one()
        latest = files.read_bytes(service.latest_file_sha256(session, entry))
    (base / "latest.pdf").write_bytes(latest)
    out = {"now": datetime.now(UTC).isoformat(), "renewed": run_.renewed, "failed": run_.failed,
           "skipped": run_.skipped,
           "public": public.to_dict() if public else None, "pyhanko": {"latest": pyhanko_ades(latest)}}
    for name in names:
        data = (base / f"{name}.pdf").read_bytes()
        out[name] = service.verify_bytes(data).to_dict()
        out["pyhanko"][name] = pyhanko_ades(data)
    return out


def pyhanko_ades(data: bytes) -> list[str]:
    """pyHanko's ETSI EN 319 102-1 LTA validation, the policy of `pyhanko sign adesverify` (online
    revocation data allowed), trusting the office's roots: one AdES sub-indication per signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
    from pyhanko.sign.validation import ades
    from pyhanko.sign.validation.policy_decl import PdfSignatureValidationSpec, SignatureValidationSpec
    from pyhanko_certvalidator import policy_decl as certv
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.registry import SimpleTrustManager

    from app.signing import certification_service as service
    from app.signing.verify import load_trust_roots

    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(load_trust_roots(service.trust_roots())),
        revinfo_policy=certv.CertRevTrustPolicy(
            certv.REQUIRE_REVINFO, freshness=None,
            freshness_req_type=certv.FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION))
    spec = PdfSignatureValidationSpec(SignatureValidationSpec(policy), diff_policy=DEFAULT_DIFF_POLICY)
    reader = PdfFileReader(BytesIO(data))
    return [asyncio.run(ades.ades_lta_validation(sig, spec)).ades_subindic.name
            for sig in reader.embedded_regular_signatures]


if __name__ == "__main__":
    import logging

    logging.disable(logging.CRITICAL)
    command, directory = sys.argv[1], Path(sys.argv[2])
    result = setup(directory) if command == "setup" else check(directory, sys.argv[3:])
    print(json.dumps(result, ensure_ascii=False))
