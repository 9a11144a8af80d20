"""Bench: a batch of 20 remote (CSC) leader signatures vs the same 20 with a local PKCS#12 key, same run;
and how the event loop keeps serving while a remote signature waits for the signer's approval.

Run: python bench/bench_remote_signing.py   (the CSC test server runs on 127.0.0.1 in this process)
"""
from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.pki.csc_server import CscPolicy, start_csc_service
from app.pki.demo_csc import credential_id, demo_client_secret_file
from app.pki.demo_pki import DemoPki
from app.signing.copy_pdf import ScanInput, StatementInput, build_copy_pdf
from app.signing.csc import CscSigner
from app.signing.pkcs12 import Pkcs12Signer
from app.signing.remote_signing import client_from_config
from app.signing.signatures import sign_as_leader
from tests.support.signing import make_scan_jpeg

OFFICE = "UBND phường Hoàn Kiếm (demo)"
BATCH, ROUNDS, TICK = 20, 3, 0.005
APPROVAL_WAIT = 1.0  # the provider holds credentials/authorize this long (phone approval)


def sign_batch(pdf: bytes, signer) -> float:
    start = time.perf_counter()
    for _ in range(BATCH):
        sign_as_leader(pdf, signer, name="Trần Văn Lãnh", title="Chủ tịch UBND phường", office_name=OFFICE)
    return time.perf_counter() - start


def remote_signer(cfg: dict, count: int) -> tuple[CscSigner, float]:
    start = time.perf_counter()
    client = client_from_config(cfg)
    credential = client.credential()
    signer = CscSigner(client, credential, client.authorize(count, pin="123456"))
    return signer, time.perf_counter() - start


async def loop_while(work) -> tuple[int, float, float]:
    """Ticks served, worst tick lateness and duration while ``work`` runs in a worker thread."""
    loop = asyncio.get_running_loop()
    done, lags = asyncio.Event(), []

    async def ticker() -> None:
        while not done.is_set():
            before = loop.time()
            await asyncio.sleep(TICK)
            lags.append(loop.time() - before - TICK)

    task = asyncio.create_task(ticker())
    start = loop.time()
    await loop.run_in_executor(None, work)
    elapsed = loop.time() - start
    done.set()
    await task
    return len(lags), max(lags), elapsed


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        pki = DemoPki(tmp).ensure("http://127.0.0.1:9")
        p12 = pki.issue_person("lanh", "Trần Văn Lãnh", "Chủ tịch UBND phường", OFFICE)
        secret = demo_client_secret_file(pki)
        csc = start_csc_service(pki, policy=CscPolicy(client_secret=secret.read_text().strip()))
        cfg = {"kind": "csc", "service_url": csc.url, "credential_id": credential_id("lanh"),
               "client_id": "chungthuc-demo", "client_secret_file": str(secret)}
        pdf = build_copy_pdf([ScanInput(make_scan_jpeg(1)), ScanInput(make_scan_jpeg(2))],
                             StatementInput("Nguyễn Thị Hường", "Bằng tốt nghiệp", "Trường ĐH Bách khoa"))
        local = Pkcs12Signer(p12, pki.p12_password())
        sign_as_leader(pdf, local, name="x", title="y", office_name=OFFICE)  # warm-up (font, imports)
        local_t, remote_t, approve_t = [], [], []
        for _ in range(ROUNDS):  # interleaved: both see the same machine load
            local_t.append(sign_batch(pdf, local))
            signer, t = remote_signer(cfg, BATCH)
            approve_t.append(t)
            remote_t.append(sign_batch(pdf, signer))

        csc.policy.approval_delay = APPROVAL_WAIT

        def pending_remote_signature() -> None:
            signer, _ = remote_signer(cfg, 1)
            sign_batch_one = sign_as_leader(pdf, signer, name="x", title="y", office_name=OFFICE)
            assert sign_batch_one

        ticks, worst, elapsed = asyncio.run(loop_while(pending_remote_signature))
        blocked_start = time.perf_counter()
        pending_remote_signature()  # what a handler calling it on the loop would block for
        blocked = time.perf_counter() - blocked_start
        csc.stop()

    lm, rm, am = statistics.median(local_t), statistics.median(remote_t), statistics.median(approve_t)
    print(
        f"{BATCH} leader signatures (PAdES B-B, 2-page 300-dpi copy), median of {ROUNDS} interleaved rounds"
    )
    print(f"local PKCS#12 key             {lm:6.2f} s  ({lm / BATCH * 1000:6.1f} ms a signature)  baseline")
    print(f"remote CSC (signHash each)    {rm:6.2f} s  ({rm / BATCH * 1000:6.1f} ms a signature)  "
          f"ratio {rm / lm:.2f}")
    print(f"one approval for {BATCH} (token + credentials/info + authorize)  {am * 1000:6.1f} ms")
    print(
        f"event loop during a pending remote signature ({APPROVAL_WAIT:.0f} s phone approval + signing): "
        f"{ticks} ticks of {TICK * 1000:.0f} ms served in {elapsed:.2f} s, "
        f"worst lateness {worst * 1000:.1f} ms"
    )
    print(f"the same work run on the event loop would block it for {blocked:.2f} s")
    return 0 if worst < 0.25 else 1


if __name__ == "__main__":
    raise SystemExit(main())
