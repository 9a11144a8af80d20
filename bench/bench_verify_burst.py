"""A burst on the public /verify upload (issue 34.6): BURST visitors (default 20) each upload a 19 MB PDF at
the same moment; prints the server's RSS before, at its peak, and every 5 s for a minute after, and how
the uploads were answered (verified, told to wait, refused).

The per-address budget would refuse most of a burst from one address (all visitors here are 127.0.0.1),
so by default it is raised to measure the memory of a burst from many addresses; BENCH_DEFAULT_LIMITS=1
keeps the product's defaults (10 uploads and 100 MB a minute per address).
    .venv/bin/python bench/bench_verify_burst.py        # BENCH_BURST=20 BENCH_MB=19 [BENCH_DEFAULT_LIMITS=1]
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx

from bench.bench_memory import rss_mb
from bench.ws_client import NiceGuiPage
from tests.e2e.conftest import start_server

BURST = int(os.environ.get("BENCH_BURST", 20))
MEGABYTES = float(os.environ.get("BENCH_MB", 19))
WATCH_SECONDS = 60
ANSWERS = {  # what the page shows (markers stay on the server: texts and data-testids reach the browser)
    "data-testid=status-": "verified", "'data-testid': 'status-": "verified",
    "Hệ thống đang kiểm tra nhiều tệp": "told to come back later",
    "quá nhiều": "refused (rate limit)", "không phải": "rejected",
}


def big_pdf(megabytes: float) -> bytes:
    """A valid one-page PDF carrying `megabytes` of incompressible data in an unused stream."""
    payload = os.urandom(int(megabytes * 1024 * 1024))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
        b"<< /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


async def visitor(base: str, data: bytes, start: asyncio.Event) -> str:
    page = await NiceGuiPage.open(base, "/verify")
    element_id = next(i for i, e in page.elements.items()
                      if (e.get("props") or {}).get("data-testid") == "verify-upload")
    url = f"{base}/_nicegui/client/{page.client_id}/upload/{element_id}"
    await start.wait()
    try:
        try:
            async with httpx.AsyncClient(timeout=300) as http:
                response = await http.post(url, files=[("file", ("ban-sao.pdf", data, "application/pdf"))])
        except httpx.HTTPError:  # a 413/429 sent from the headers closes the connection mid-body
            return "refused before its body was read (connection closed)"
        outcome = f"HTTP {response.status_code}"
        if response.status_code == 200:
            outcome += " " + await answer(page)
        return outcome
    finally:
        await page.close()


async def answer(page: NiceGuiPage, timeout: float = 240) -> str:
    """Wait for the page's verdict on the upload: a status banner, 'busy', or 'rejected'."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _event, _at, args = await asyncio.wait_for(page.updates.get(), 5)
        except TimeoutError:
            continue
        text = str(args)
        for needle, verdict in ANSWERS.items():
            if needle in text:
                return verdict
    return "no answer"


async def burst(base: str, data: bytes, pid: int, visitors: int = BURST) -> list[str]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(visitor(base, data, start)) for _ in range(visitors)]
    await asyncio.sleep(3)  # every visitor has its page open
    start.set()
    return await asyncio.gather(*tasks)


def watch_peak(pid: int, stop: threading.Event, peak: list[float]) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mb(pid))
        time.sleep(0.2)


def main() -> None:
    env = {} if os.environ.get("BENCH_DEFAULT_LIMITS") == "1" else {
        "VERIFY_UPLOADS_PER_MINUTE": "1000", "VERIFY_UPLOAD_MB_PER_MINUTE": "100000"}
    server = start_server(Path(tempfile.mkdtemp()) / "data", env)
    pid = server.process.pid
    try:
        data = big_pdf(MEGABYTES)
        # one small verification first: the validation modules pyHanko loads on first use are not the burst's
        warm = asyncio.run(burst(server.url, big_pdf(0.1), pid, visitors=1))
        time.sleep(65)  # and the periodic collection (app/web/memory.py) has run once since
        before = rss_mb(pid)
        print(f"warm-up: {warm[0]}")
        print(f"RSS before: {before:.0f} MB; burst of {BURST} uploads of {len(data) / 2**20:.1f} MB",
              flush=True)
        stop, peak = threading.Event(), [before]
        watcher = threading.Thread(target=watch_peak, args=(pid, stop, peak), daemon=True)
        watcher.start()
        started = time.monotonic()
        outcomes = asyncio.run(burst(server.url, data, pid))
        stop.set()
        print(f"burst answered in {time.monotonic() - started:.1f} s; RSS peak {peak[0]:.0f} MB")
        for outcome in sorted(set(outcomes)):
            print(f"  {outcomes.count(outcome):>3} × {outcome}")
        for second in range(5, WATCH_SECONDS + 1, 5):
            time.sleep(5)
            print(f"  +{second:>2} s after the burst: RSS {rss_mb(pid):.0f} MB", flush=True)
        print(f"RSS a minute after: {rss_mb(pid):.0f} MB (before: {before:.0f} MB, peak {peak[0]:.0f} MB)")
    finally:
        server.process.terminate()


if __name__ == "__main__":
    main()
