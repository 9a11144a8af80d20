"""Bench (issue 32): POST /api/v1/verifications on the real server (one process, SQLite), with a real key.

    python bench/bench_api_verify.py   # BENCH_SECONDS=10 BENCH_CONCURRENCY=8 BENCH_COPIES=3

Three runs, each BENCH_SECONDS at BENCH_CONCURRENCY concurrent requests:
- same files: the issued copies posted again and again (the signature checks come from the per-SHA-256
  cache of app.verification.public_verify; the register entry is read afresh each time);
- distinct files: each body is an issued copy with a few bytes appended after %%EOF (a new SHA-256), so
  pyHanko validates every one (what a bank sending new copies costs);
- GET /api/v1/copies/{code}.
During each run a probe asks /healthz every 50 ms: its latency says whether the event loop stayed free while
verifying (the pyHanko work runs in worker threads). Printed: requests/s, p50/p95, probe p50/p95/max.
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="bench-api-")) / "data"
os.environ.update({"DATA_DIR": str(DATA), "DEMO": "1"})
os.environ.pop("DATABASE_URL", None)
if "PKI_URL" not in os.environ and "PKI_PORT" not in os.environ:  # a free port, not another bench's 8079
    import socket

    with socket.socket() as _s:
        _s.bind(("127.0.0.1", 0))
        os.environ["PKI_PORT"] = str(_s.getsockname()[1])

import httpx  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", 10))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", 8))
COPIES = int(os.environ.get("BENCH_COPIES", 3))


def seed() -> dict:
    """Issued copies through the real use cases, and a client whose rate does not cap the bench."""
    from sqlalchemy import update

    from app.db import write_scope
    from app.web.startup import prepare_database
    from domain.models import ApiClient
    from tests.support.api import issued_copy, new_client

    prepare_database()
    copies = [issued_copy() for _ in range(COPIES)]
    issued = new_client(["verify"])
    with write_scope() as session:
        session.exec(update(ApiClient).values(rate_per_minute=10**9))
        session.commit()
    return {"key": issued.key, "codes": [c[1] for c in copies], "pdfs": [c[2] for c in copies]}


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


async def probe(base: str, stop: asyncio.Event, lags: list[float]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while not stop.is_set():
            started = time.perf_counter()
            await http.get("/healthz")
            lags.append(time.perf_counter() - started)
            await asyncio.sleep(0.05)


async def run(base: str, key: str, make_request) -> tuple[int, list[float], int, list[float]]:
    latencies, lags, failures = [], [], 0
    stop = asyncio.Event()
    stop_at = time.perf_counter() + SECONDS
    counter = iter(range(10**9))

    async def worker() -> None:
        nonlocal failures
        async with httpx.AsyncClient(base_url=base, timeout=60,
                                     headers={"Authorization": f"Bearer {key}"}) as http:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                response = await make_request(http, next(counter))
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200 or response.json().get("status") not in ("valid", "altered"):
                    failures += 1

    prober = asyncio.create_task(probe(base, stop, lags))
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    stop.set()
    await prober
    return len(latencies), latencies, failures, lags


def report(name: str, result) -> None:
    count, latencies, failures, lags = result
    print(f"{name:34} {count / SECONDS:7.1f}/s  p50 {pct(latencies, 50) * 1000:6.0f} ms  "
          f"p95 {pct(latencies, 95) * 1000:6.0f} ms  failures {failures}   /healthz during: "
          f"p50 {pct(lags, 50) * 1000:.0f} ms, p95 {pct(lags, 95) * 1000:.0f} ms, "
          f"max {max(lags) * 1000:.0f} ms")


async def main(data: dict) -> None:
    from tests.e2e.conftest import start_server

    server = start_server(DATA)
    pdfs, codes = data["pdfs"], data["codes"]
    pdf_headers = {"Content-Type": "application/pdf"}
    try:
        idle: list[float] = []
        stop = asyncio.Event()
        task = asyncio.create_task(probe(server.url, stop, idle))
        await asyncio.sleep(3)
        stop.set()
        await task
        print(f"{CONCURRENCY} concurrent, {SECONDS:.0f} s per run; /healthz idle: "
              f"p50 {pct(idle, 50) * 1000:.0f} ms, "
              f"max {max(idle) * 1000:.0f} ms; copy size {len(pdfs[0]) // 1024} KB")
        def same(http, n):
            return http.post("/api/v1/verifications", content=pdfs[n % len(pdfs)], headers=pdf_headers)

        def distinct(http, n):  # a new SHA-256 each time: no cache, pyHanko validates it
            body = pdfs[n % len(pdfs)] + f"\n%bench {n}\n".encode()
            return http.post("/api/v1/verifications", content=body, headers=pdf_headers)

        report("POST /verifications (same files)", await run(server.url, data["key"], same))
        report("POST /verifications (distinct)", await run(server.url, data["key"], distinct))
        report("GET /copies/{code}", await run(
            server.url, data["key"], lambda http, n: http.get(f"/api/v1/copies/{codes[n % len(codes)]}")))
    finally:
        server.process.terminate()
        server.process.wait(timeout=15)


if __name__ == "__main__":
    from bench.cluster import demo_pki_services

    with demo_pki_services(DATA):  # the CA's services in a process of their own, as in bench_load
        asyncio.run(main(seed()))
