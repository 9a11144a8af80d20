"""Clicks over the real websocket (issue 17): simulated NiceGUI clients doing the officials' daily work on one
server process (SQLite), measuring click → first update from the server, and the server's RSS.

Each session is one tablet tab of a signed-in role (cookies from one real Chromium sign-in per role):
  leader  open /queue/sign → click a dossier (navigation: click → page built and its socket connected) → sign
  seal    open /queue/seal → tick a dossier → seal it (click → first update)
  clerk   open /intake → open a dossier
  cashier open /fees → click "pay" (the payment dialog)
Steps repeat with a think time of 2 s ± 50 % for BENCH_SECONDS. Sessions: BENCH_SESSIONS (default "10,50").
    .venv/bin/python bench/bench_clicks.py
Not done here: 100 sessions and two processes behind a sticky proxy on PostgreSQL (see bench/README.md).
"""
from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="bench-clicks-")) / "data"
os.environ.update({"DATA_DIR": str(DATA), "DEMO": "1", "BASE_URL": "http://127.0.0.1"})
os.environ.pop("DATABASE_URL", None)

import httpx  # noqa: E402

from bench.bench_lighthouse import cookie_for  # noqa: E402
from bench.bench_memory import rss_mb  # noqa: E402
from bench.ws_client import NiceGuiPage  # noqa: E402
from tests.e2e.conftest import start_server  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
SESSIONS = [int(n) for n in os.environ.get("BENCH_SESSIONS", "10,50").split(",")]
THINK = 2.0
ROLES = {"leader": "lanhdao", "seal": "vanthu", "clerk": "chungthuc", "cashier": "motcua"}


class Results:
    def __init__(self):
        self.times: dict[str, list[float]] = {}
        self.errors = 0
        self.failed: set[str] = set()

    def add(self, step: str, seconds: float | None) -> None:
        if seconds is None:
            self.errors += 1
            self.failed.add(step)
        else:
            self.times.setdefault(step, []).append(seconds)

    def all(self) -> list[float]:
        return sorted(t for ts in self.times.values() for t in ts)


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1] if len(values) >= 2 else (values[0] if values else 0.0)


async def timed_open(base: str, path: str, cookie: str, http) -> tuple[NiceGuiPage, float]:
    start = time.perf_counter()
    page = await NiceGuiPage.open(base, path, cookie, http)
    return page, time.perf_counter() - start


async def navigate(page: NiceGuiPage, testid: str, path: str, base: str, cookie: str, http, results, step):
    """A click that moves to another page: click → navigate message, then the page built and connected."""
    clicked = await page.click(testid)
    await page.close()
    if clicked is None:
        results.add(step, None)
        return None
    target, opened = await timed_open(base, path, cookie, http)
    results.add(step, clicked + opened)
    return target


async def session(role: str, base: str, cookie: str, until: float, results: Results, work: dict) -> None:
    await asyncio.sleep(random.uniform(0, THINK))  # tablets don't all start in the same millisecond
    async with httpx.AsyncClient(timeout=60) as http:
        while time.perf_counter() < until:
            try:
                await step(role, base, cookie, http, results, work)
            except Exception as exc:  # noqa: BLE001 — a failed step is counted, the session goes on
                results.add(f"{role} error {type(exc).__name__}: {exc}"[:120], None)
            await asyncio.sleep(THINK * random.uniform(0.5, 1.5))


async def step(role: str, base: str, cookie: str, http, results: Results, work: dict) -> None:
    queue = {"leader": "/queue/sign", "seal": "/queue/seal", "clerk": "/intake", "cashier": "/fees"}[role]
    page, opened = await timed_open(base, queue, cookie, http)
    results.add(f"{role}: open {queue}", opened)
    try:
        if role == "leader" and work["to_sign"]:
            dossier = work["to_sign"].pop()
            detail = await navigate(
                page,
                f"open-{dossier}",
                f"/queue/sign/{dossier}",
                base,
                cookie,
                http,
                results,
                "leader: open dossier",
            )
            if detail is not None:
                results.add("leader: sign", await detail.click("do-action"))
                work["to_seal"].append(dossier)
                await asyncio.sleep(1.0)  # let the signature finish before the socket goes
                await detail.close()
            return
        if role == "seal" and work["to_seal"]:
            dossier = work["to_seal"].pop(0)
            if f"select-{dossier}" in page.testids("select-"):
                await page.click(f"select-{dossier}", timeout=1.0)  # the tick shows in the browser only
                results.add("seal: seal", await page.click("batch-action"))
                await asyncio.sleep(1.0)
            return
        if role == "clerk":
            ids = page.testids("intake-row-")
            if ids:
                dossier = random.choice(ids).removeprefix("intake-row-")
                detail = await navigate(
                    page,
                    f"intake-row-{dossier}",
                    f"/dossier/{dossier}",
                    base,
                    cookie,
                    http,
                    results,
                    "clerk: open dossier",
                )
                if detail is not None:
                    await detail.close()
            return
        if role == "cashier":
            ids = page.testids("pay-")
            ids = [i for i in ids if i.removeprefix("pay-").isdigit()]
            if ids:
                results.add("cashier: pay dialog", await page.click(random.choice(ids)))
    finally:
        if page.sio.connected:
            await page.close()


def prepare(dossiers: int) -> list[int]:
    """Dossiers ready to sign (paid, submitted), and as many just received, unpaid (intake and fees lists)."""
    from app.db import write_scope
    from domain import dossiers as use_cases
    from tests.support.workflow import signed_dossier_ready, user_named

    clerk = user_named("chungthuc")
    for i in range(dossiers):
        with write_scope() as db:
            opened = use_cases.open_dossier(db, clerk, use_cases.RequesterData(name=f"Người yêu cầu {i}",
                                                                              id_number=f"0011800{i:05d}"))
        with write_scope() as db:
            use_cases.save_original(
                db, clerk, opened.id, use_cases.OriginalData(title="Bằng tốt nghiệp", pages=1)
            )
    return [signed_dossier_ready(pages=1, title=f"Giấy tờ {i}") for i in range(dossiers)]


async def run(server, sessions: int, cookies: dict, work: dict) -> Results:
    results = Results()
    until = time.perf_counter() + SECONDS
    roles = [list(ROLES)[i % len(ROLES)] for i in range(sessions)]
    await asyncio.gather(*[session(r, server.url, cookies[r], until, results, work) for r in roles])
    return results


def main() -> None:
    server = start_server(DATA)
    try:
        from app.settings import reload_settings

        reload_settings()
        cookies = {role: cookie_for(server.url, username) for role, username in ROLES.items()}
        print(f"server RSS at start {rss_mb(server.process.pid):.0f} MB")
        for n in SESSIONS:
            work = {"to_sign": prepare(max(4, n // 4)), "to_seal": []}
            results = asyncio.run(run(server, n, cookies, work))
            times = results.all()
            print(
                f"\n{n} sessions, {SECONDS:.0f} s: {len(times)} clicks, {results.errors} errors; "
                "click → update "
                f"p50 {pct(times, 50) * 1000:.0f} ms, p95 {pct(times, 95) * 1000:.0f} ms, "
                f"p99 {pct(times, 99) * 1000:.0f} ms; server RSS {rss_mb(server.process.pid):.0f} MB"
            )
            if results.failed:
                print("  failed steps:", "; ".join(sorted(results.failed)))
            for name, values in sorted(results.times.items()):
                values.sort()
                print(f"  {name:<28} n={len(values):>4}  p50 {pct(values, 50) * 1000:6.0f} ms  "
                      f"p95 {pct(values, 95) * 1000:6.0f} ms")
    finally:
        server.process.terminate()


if __name__ == "__main__":
    main()
