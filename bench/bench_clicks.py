"""Clicks over the real websocket (issue 17): simulated NiceGUI clients doing the officials' daily work,
measuring click → first update from the server, and each server process's RSS.

BENCH_MODE=one (default): one server process on SQLite. BENCH_MODE=two: two processes on a throwaway
PostgreSQL with a shared DATA_DIR behind Debian's nginx with sticky sessions on 127.0.0.1 (bench/cluster.py;
nginx is installed when missing), as docs/deployment.md section 2 describes.

Each session is one tablet tab of a signed-in role (cookies from one real Chromium sign-in per role):
  leader  open /queue/sign → click a dossier of the list (navigation: click → page built and its socket
          connected) → sign
  seal    open /queue/seal → tick a dossier of the list → seal it (click → first update)
  clerk   open /intake → open a dossier
  cashier open /fees → click "pay" (the payment dialog)
A leader or seal keeper takes a dossier no other tab has taken; with none left on its list it only opened
the list (the seal keepers seal what the leaders sign, plus one signed dossier each made before the run).
Steps repeat with a think time of BENCH_THINK (2) s ± 50 % for BENCH_SECONDS (30).
Sessions: BENCH_SESSIONS ("10,50").
    .venv/bin/python bench/bench_clicks.py
    BENCH_MODE=two BENCH_SESSIONS=10,50,100 .venv/bin/python bench/bench_clicks.py
"""
from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="bench-clicks-")) / "data"
os.environ.update({"DATA_DIR": str(DATA), "DEMO": "1", "DEMO_CSC": "0", "BASE_URL": "http://127.0.0.1"})
os.environ.pop("DATABASE_URL", None)

import httpx  # noqa: E402

from bench.bench_lighthouse import cookie_for  # noqa: E402
from bench.bench_memory import rss_mb  # noqa: E402
from bench.cluster import SESSION_HEADER, Cluster, cluster  # noqa: E402
from bench.ws_client import NiceGuiPage  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
SESSIONS = [int(n) for n in os.environ.get("BENCH_SESSIONS", "10,50").split(",")]
MODE = os.environ.get("BENCH_MODE", "one")
THINK = float(os.environ.get("BENCH_THINK", "2"))  # seconds between a tab's steps, ± 50 %
ROLES = {"leader": "lanhdao", "seal": "vanthu", "clerk": "chungthuc", "cashier": "motcua"}
OK, FAILED = "'name': 'check_circle'", "'name': 'error'"  # a result line's icons (work_queue.result_line)
QUEUES = {"leader": "/queue/sign", "seal": "/queue/seal", "clerk": "/intake", "cashier": "/fees"}


class Results:
    def __init__(self):
        self.times: dict[str, list[float]] = {}  # click → first update
        self.done: dict[str, list[float]] = {}  # click → the action's result shown
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


@dataclass
class Tablet:
    """One simulated tab: its role's cookie, its own sticky key, and the run's shared results."""

    role: str
    base: str
    cookie: str
    key: str
    results: Results
    taken: set[str]  # "open-12", "select-12": taken by a leader or seal keeper; never by two tabs
    http: httpx.AsyncClient | None = field(default=None, repr=False)

    async def open(self, path: str) -> tuple[NiceGuiPage, float]:
        start = time.perf_counter()
        headers = {SESSION_HEADER: self.key}
        page = await NiceGuiPage.open(self.base, path, self.cookie, self.http, headers=headers)
        return page, time.perf_counter() - start

    async def navigate(self, page: NiceGuiPage, testid: str, path: str, step: str) -> NiceGuiPage | None:
        """A click that moves to another page: click → navigate message, then the page built and connected."""
        clicked = await page.click(testid)
        await page.close()
        if clicked is None:
            self.results.add(step, None)
            return None
        target, opened = await self.open(path)
        self.results.add(step, clicked + opened)
        return target

    async def result(self, page: NiceGuiPage, step: str) -> None:
        """The official waits for the action's result line (not in the click → update figures)."""
        seconds, found = await page.shown(OK, FAILED)
        if found == OK:
            self.results.done.setdefault(step, []).append(seconds)
        else:
            self.results.add(f"{step}: {'refused' if found else 'no result in 30 s'}", None)

    def take(self, page: NiceGuiPage, prefix: str) -> str | None:
        """A dossier id shown on the list (testid prefix + id) that no other tab has taken."""
        free = [i for i in page.testids(prefix) if i.removeprefix(prefix).isdigit() and i not in self.taken]
        if not free:  # (the digits leave out "select-on-time")
            return None
        self.taken.add(free[0])  # with its prefix: a dossier a leader signed is still free to seal
        return free[0].removeprefix(prefix)


async def session(tablet: Tablet, until: float) -> None:
    await asyncio.sleep(random.uniform(0, THINK))  # tablets don't all start in the same millisecond
    async with httpx.AsyncClient(timeout=60) as tablet.http:
        while time.perf_counter() < until:
            try:
                await step(tablet)
            except Exception as exc:  # noqa: BLE001 — a failed step is counted, the session goes on
                tablet.results.add(f"{tablet.role} error {type(exc).__name__}: {exc}"[:120], None)
            await asyncio.sleep(THINK * random.uniform(0.5, 1.5))


async def step(tablet: Tablet) -> None:
    role, queue = tablet.role, QUEUES[tablet.role]
    page, opened = await tablet.open(queue)
    tablet.results.add(f"{role}: open {queue}", opened)
    try:
        await ACTIONS[role](tablet, page)
    finally:
        if page.sio.connected:
            await page.close()


async def leader(tablet: Tablet, page: NiceGuiPage) -> None:
    dossier = tablet.take(page, "open-")
    if dossier is None:
        return
    detail = await tablet.navigate(page, f"open-{dossier}", f"/queue/sign/{dossier}", "leader: open dossier")
    if detail is not None:
        tablet.results.add("leader: sign", await detail.click("do-action"))
        await tablet.result(detail, "leader: signed")
        await detail.close()


async def seal(tablet: Tablet, page: NiceGuiPage) -> None:
    dossier = tablet.take(page, "select-")
    if dossier is None:
        return
    await page.click(f"select-{dossier}", timeout=1.0)  # the tick: the batch button is enabled
    tablet.results.add("seal: seal", await page.click("batch-action"))
    await tablet.result(page, "seal: sealed")


async def clerk(tablet: Tablet, page: NiceGuiPage) -> None:
    ids = page.testids("intake-row-")
    if ids:
        dossier = random.choice(ids).removeprefix("intake-row-")
        detail = await tablet.navigate(page, f"intake-row-{dossier}", f"/dossier/{dossier}",
                                       "clerk: open dossier")
        if detail is not None:
            await detail.close()


async def cashier(tablet: Tablet, page: NiceGuiPage) -> None:
    ids = [i for i in page.testids("pay-") if i.removeprefix("pay-").isdigit()]
    if ids:
        tablet.results.add("cashier: pay dialog", await page.click(random.choice(ids)))


ACTIONS = {"leader": leader, "seal": seal, "clerk": clerk, "cashier": cashier}


def prepare(sessions: int) -> None:
    """Work for the run: 2 dossiers per session ready to sign (more than the leaders get through in 30 s),
    one signed dossier per seal keeper, and a dossier just received, unpaid, per cashier (intake, fees)."""
    from app.db import UNITS, write_scope
    from app.signing import certification_service
    from domain import dossiers as use_cases
    from tests.support.workflow import signed_dossier_ready, user_named

    clerk_user, leader_user = user_named("chungthuc"), user_named("lanhdao")
    for i in range(max(4, sessions // 4)):
        with write_scope() as db:
            opened = use_cases.open_dossier(db, clerk_user, use_cases.RequesterData(name=f"Người yêu cầu {i}",
                                                                                    id_number=f"0011800{i:05d}"))
        with write_scope() as db:
            use_cases.save_original(db, clerk_user, opened.id, use_cases.OriginalData(title="Bằng tốt nghiệp",
                                                                                      pages=1))
    ready = [signed_dossier_ready(pages=1, title=f"Giấy tờ {i}") for i in range(2 * sessions)]
    for dossier in ready[: max(1, sessions // 4)]:
        certification_service.sign(UNITS, leader_user, dossier)


def states() -> dict[str, int]:
    from sqlalchemy import func
    from sqlmodel import select

    from app.db import session_scope
    from domain.models import Dossier

    with session_scope() as db:
        return dict(db.exec(select(Dossier.state, func.count()).group_by(Dossier.state)).all())


async def run(base: str, sessions: int, cookies: dict) -> Results:
    results, taken = Results(), set()
    until = time.perf_counter() + SECONDS
    tablets = [Tablet(list(ROLES)[i % len(ROLES)], base, "", f"tablet-{i}", results, taken)
               for i in range(sessions)]
    for tablet in tablets:
        tablet.cookie = cookies[tablet.role]
    await asyncio.gather(*[session(t, until) for t in tablets])
    return results


def sign_in(url: str, username: str) -> str:
    """The role's cookie from a real Chromium sign-in; again if Chromium crashed (seen under load)."""
    try:
        return cookie_for(url, username)
    except Exception as exc:  # noqa: BLE001 — selenium's errors have no common base worth naming
        print(f"sign-in of {username} failed once ({type(exc).__name__}); again")
        return cookie_for(url, username)


def rss(c: Cluster) -> str:
    return " + ".join(f"{rss_mb(s.process.pid):.0f}" for s in c.servers) + " MB"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_now(c: Cluster) -> list[float]:
    return [cpu_seconds(s.process.pid) for s in c.servers] + [time.process_time(), time.perf_counter()]


def cpu_use(before: list[float], after: list[float]) -> str:
    """Each server's and the bench client's share of one core during the run."""
    wall = after[-1] - before[-1]
    shares = [f"{(a - b) / wall * 100:.0f} %" for a, b in zip(after[:-1], before[:-1], strict=True)]
    return f"CPU of one core: servers {' + '.join(shares[:-1])}, bench client {shares[-1]}"


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def report(n: int, results: Results, c: Cluster, before: dict, loads: tuple[str, str], cpu: str) -> None:
    times, after = results.all(), states()
    moved = {s: after.get(s, 0) - before.get(s, 0) for s in ("signed", "issued")}
    print(
        f"\n{MODE} ({len(c.servers)} process{'es' if len(c.servers) > 1 else ''}), {n} sessions, "
        f"{SECONDS:.0f} s: {len(times)} clicks, {results.errors} errors; click → update "
        f"p50 {pct(times, 50) * 1000:.0f} ms, p95 {pct(times, 95) * 1000:.0f} ms, "
        f"p99 {pct(times, 99) * 1000:.0f} ms; "
        f"RSS {rss(c)}; load average {loads[0]} → {loads[1]}"
    )
    print(f"  {cpu}")
    print(f"  dossiers signed during the run {moved['issued'] + moved['signed']}, sealed {moved['issued']}"
          + (f"; sessions per process {c.spread()}" if len(c.servers) > 1 else ""))
    if results.failed:
        print("  failed steps:", "; ".join(sorted(results.failed)))
    for name, values in sorted(results.times.items()) + sorted(results.done.items()):
        values.sort()
        print(f"  {name:<28} n={len(values):>4}  p50 {pct(values, 50) * 1000:6.0f} ms  "
              f"p95 {pct(values, 95) * 1000:6.0f} ms" + ("  (result shown)" if name in results.done else ""))


def main() -> None:
    if MODE not in ("one", "two"):
        raise SystemExit("BENCH_MODE is one or two")
    with cluster(DATA, processes=1 if MODE == "one" else 2) as c:
        from app.db import dispose_engine
        from app.settings import reload_settings

        os.environ["DATABASE_URL"] = c.database_url  # the bench prepares its dossiers in the servers' one
        dispose_engine()
        reload_settings()
        cookies = {role: sign_in(c.url, username) for role, username in ROLES.items()}
        print(f"{MODE}: {len(c.servers)} server process(es) behind {c.url}; RSS at start {rss(c)}")
        c.spread()
        for n in SESSIONS:
            prepare(n)
            before, load_before, cpu_before = states(), load(), cpu_now(c)
            results = asyncio.run(run(c.url, n, cookies))
            cpu = cpu_use(cpu_before, cpu_now(c))
            report(n, results, c, before, (load_before, load()), cpu)
        for server in c.servers:
            errors = server.log_path.read_text().count("Traceback")
            if errors:
                print(f"  {server.log_path.name}: {errors} tracebacks (see {server.log_path})")


if __name__ == "__main__":
    main()
