"""Bench: leader signing and office sealing of a 2-page 300-dpi scan vs bare pyHanko signing; verification.

Run: python bench/bench_signing.py   (targets: each step <= 1.3 x bare signing, verification <= 0.1 s)
"""
from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.sign import signers  # noqa: E402

from app.signing.copy_pdf import ScanInput, StatementInput, build_copy_pdf  # noqa: E402
from app.signing.demo_ca import DemoCA  # noqa: E402
from app.signing.pkcs12 import Pkcs12Signer  # noqa: E402
from app.signing.verify import verify_pdf  # noqa: E402
from app.signing.workflow import seal_as_office, sign_as_leader  # noqa: E402
from tests.support.signing import make_scan_jpeg  # noqa: E402

OFFICE = "UBND phường Hoàn Kiếm (demo)"
RUNS = 15


def bare_sign(pdf: bytes, signer: signers.Signer, field: str) -> bytes:
    """pyHanko with its defaults: same field, same key, no custom appearance or font."""
    out = BytesIO()
    signers.PdfSigner(signers.PdfSignatureMetadata(field_name=field), signer=signer).sign_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf)), output=out)
    return out.getvalue()


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ca = DemoCA(tmp).ensure()
        leader = Pkcs12Signer(ca.issue_person("lanh", "Trần Văn Lãnh", "Chủ tịch UBND phường", OFFICE),
                              ca.p12_password())
        office = Pkcs12Signer(ca.issue_office("hk", OFFICE), ca.p12_password())
        pdf = build_copy_pdf([ScanInput(make_scan_jpeg(1)), ScanInput(make_scan_jpeg(2))],
                             StatementInput("Nguyễn Thị Hường", "Bằng tốt nghiệp", "Trường ĐH Bách khoa"))
        roots = ca.trust_roots()
        times: dict[str, list[float]] = {k: [] for k in ("bare_leader", "leader", "bare_office", "office", "verify")}
        sign_as_leader(pdf, leader, name="x", title="y", office_name=OFFICE)  # warm-up (imports, font)
        for _ in range(RUNS):
            t, _ = timed(lambda: bare_sign(pdf, leader.pyhanko_signer, "LanhDao"))
            times["bare_leader"].append(t)
            t, signed = timed(lambda: sign_as_leader(pdf, leader, name="Trần Văn Lãnh",
                                                     title="Chủ tịch UBND phường", office_name=OFFICE))
            times["leader"].append(t)
            t, _ = timed(lambda: bare_sign(signed, office.pyhanko_signer, "CoQuan"))
            times["bare_office"].append(t)
            t, sealed = timed(lambda: seal_as_office(
                signed, office, office_name=OFFICE, number_text="15/ĐT", book="01/2025-SCTĐT/BS",
                date=dt.date(2025, 11, 27), verify_url="https://chungthuc.example.vn/verify/Xk3fQ9pLm2"))
            times["office"].append(t)
            t, result = timed(lambda: verify_pdf(sealed, trust_roots=roots))
            times["verify"].append(t)
            assert result.valid, result.problems
    med = {k: statistics.median(v) for k, v in times.items()}
    leader_ratio, office_ratio = med["leader"] / med["bare_leader"], med["office"] / med["bare_office"]
    print(f"file: 2-page 300-dpi JPEG scan + statement page, {len(pdf) / 1e6:.2f} MB; median of {RUNS} runs")
    print(f"bare pyHanko sign (leader field)  {med['bare_leader'] * 1000:7.1f} ms")
    print(f"sign_as_leader                    {med['leader'] * 1000:7.1f} ms   ratio {leader_ratio:.2f} (target <= 1.3)")
    print(f"bare pyHanko sign (office field)  {med['bare_office'] * 1000:7.1f} ms")
    print(f"seal_as_office                    {med['office'] * 1000:7.1f} ms   ratio {office_ratio:.2f} (target <= 1.3)")
    print(f"verify_pdf (2 signatures)         {med['verify'] * 1000:7.1f} ms   (target <= 100 ms)")
    ok = leader_ratio <= 1.3 and office_ratio <= 1.3 and med["verify"] <= 0.1
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
