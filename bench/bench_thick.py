"""Thick copies (issue 35): what signing and sealing a 1-, 10-, 117- and 1,000-page copy costs, and what
another clerk feels meanwhile.

    python bench/bench_thick.py sizes [--pages 1,10,117,1000] [--code DIR] [--kind scan|text] [--workers 0|1]
    python bench/bench_thick.py clerk [--pages 1000] [--code DIR] [--idle 20]

`sizes`: each size in a fresh process (its own DATA_DIR, SQLite, demo PKI with its TSA, signing in the calling
thread, or with `--workers 1` in a signing process as the server does): the leader's signing and the seal's
wall time, the peak memory (max RSS) of the process and of its signing process, the original's size and the
sealed copy's. `--kind scan`: a scanner-like PDF, one 100-dpi greyscale JPEG a page; `--kind text`: a
thesis-like text PDF (one subset font and one letterhead picture shared by every page, issue 27's
bench_copy_size original), stored as uploads store it (qpdf-normalised).

`clerk`: the real server (one process, its signing process, demo data) and, on its database, a dossier with a
`--pages` original. Another clerk works all along, once a second: a new dossier with a one-page scan
upload, then its fee payment (short transactions from this process on the same database, each timed
whole, a failure with its wait), and a page load (/, over HTTP and the websocket, with
the clerk's cookie from a Chromium sign-in). First `--idle` seconds while nothing else runs, then while the
leader signs the thick copy and the seal keeper seals it, clicked over the websocket as a tablet would.
Printed: the clerk's round trips (p50, p99, max) idle and during, their ratio, and the clerk's failures.

`--code DIR` runs the product from another checkout (e.g. /work/main, the code before the change) for a
side-by-side run; this bench's own helpers stay here.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DPI = 100
PACE = 1.0  # seconds between one clerk action and the next (a busy clerk; real ones think longer)


def scanned_pdf(pages: int, dpi: int = DPI) -> bytes:
    """`pages` A4 pages, each a greyscale JPEG with some lines of text (like a scanner's PDF)."""
    from PIL import Image, ImageDraw

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    base = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(base)
    for i in range(30):
        draw.text((dpi, dpi + i * dpi // 4), "Giấy chứng nhận quyền sử dụng đất ... " * 2, fill=30)
    images = []
    for n in range(1, pages + 1):
        image = base.copy()
        ImageDraw.Draw(image).text((width - 2 * dpi, height - dpi), f"Trang {n}", fill=0)
        images.append(image)
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=60)
    return buf.getvalue()


# --- product helpers (run with the product's code first on sys.path) ---------------------------------------

def _user(username: str):
    from sqlmodel import select

    from app.db import session_scope
    from domain.access import load_current_user
    from domain.models import Account

    with session_scope() as session:
        account = session.exec(select(Account).where(Account.username == username)).one()
        return load_current_user(session, account)


def open_original(pages: int, data: bytes | None = None, title: str = "Hồ sơ địa chính") -> tuple[int, int]:
    from app.db import write_scope
    from domain import dossiers

    clerk = _user("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Trần Thị Bình", id_number="001099054321", phone="0912345678", email=None))
    with write_scope() as session:
        original = dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title=title, issuer="UBND phường Hoàn Kiếm", pages=pages,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    upload(original.id, data or scanned_pdf(pages), pages)
    return dossier.id, original.id


def upload(original_id: int, data: bytes, pages: int) -> None:
    from app import files
    from app.db import write_scope
    from domain import dossiers

    with write_scope() as session:
        sha = files.store_bytes(data, "application/pdf", session)
        session.commit()
    with write_scope() as session:
        dossiers.add_scan_pages(session, _user("chungthuc"), original_id, sha, pages)


def pay(dossier_id: int) -> None:
    from app.db import write_scope
    from domain import dossiers, payments

    with write_scope() as session:
        fee = dossiers.dossier_fee(session, dossier_id)
        payments.record_payment(session, _user("motcua"), dossier_id, "cash", fee, f"BL-{dossier_id}")


def submit(dossier_id: int) -> None:
    from app.db import write_scope
    from domain import dossiers

    with write_scope() as session:
        dossiers.submit(session, _user("chungthuc"), dossier_id)


def use_code(code: Path) -> None:
    sys.path.insert(0, str(code))
    os.chdir(code)


# --- sizes -------------------------------------------------------------------------------------------------

def text_pdf(pages: int) -> bytes:
    from app.intake.pdf_normalize import normalize_pdf
    from tests.support.pdf_corpus import fpdf_text

    return normalize_pdf(fpdf_text(pages, letterhead=True))


def one_size(pages: int, kind: str, workers: int) -> dict:
    """In this (fresh) process: prepare, sign, seal one `pages`-page copy; the figures as a dict."""
    from app import files
    from app.db import UNITS
    from app.signing import certification_service as service
    from app.signing import resolve, worker
    from app.web.startup import prepare_database

    prepare_database()
    _pki_services()
    original = Path(os.environ["BENCH_ORIGINAL"]).read_bytes()  # made in another process (its pictures
    # held ~1 GB at 1,000 pages: that was the bench's memory, not the product's)
    dossier_id, _ = open_original(pages, original)
    pay(dossier_id)
    submit(dossier_id)
    resolve.demo_pki()  # the demo PKI is made once per data dir: not the signing's time
    original_mb = len(original) / 1e6
    del original
    gc.collect()
    _reset_peak()  # from here on: the signing's and the seal's peak, not the preparation's
    worker.start(workers)
    start, cpu_start = time.perf_counter(), _cpu()
    service.sign(UNITS, _user("lanhdao"), dossier_id)
    signed, cpu_signed = time.perf_counter(), _cpu()
    entries = service.seal(UNITS, _user("vanthu"), dossier_id)
    sealed = time.perf_counter()
    peak_mb = _peak_mb()
    pool = worker._pool
    if pool is not None:
        pool.shutdown(wait=True)  # its process ends: its peak counts among this process's children
    worker.stop()
    cpu_sealed = _cpu()
    copy_mb = files.path_of(entries[0].file_sha256).stat().st_size / 1e6
    return {"pages": pages, "sign_s": signed - start, "seal_s": sealed - signed,
            "sign_cpu_s": cpu_signed - cpu_start, "seal_cpu_s": cpu_sealed - cpu_signed,
            "peak_mb": peak_mb,
            "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "original_mb": original_mb, "copy_mb": copy_mb}


def _reset_peak() -> None:
    """Linux: the process's peak resident memory (VmHWM) starts again from its present size."""
    Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_original(pages: int, kind: str, path: str) -> None:
    Path(path).write_bytes(text_pdf(pages) if kind == "text" else scanned_pdf(pages))


def _cpu() -> float:
    """CPU seconds used so far by this process and its ended children (the signing process once it has
    ended): a figure the machine's load hardly moves, unlike wall time."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _pki_services() -> None:
    """The demo PKI's CRL, OCSP and TSA on a free 127.0.0.1 port, in this process (as tests/conftest.py)."""
    import socket

    from app.pki.demo_pki import DemoPki
    from app.pki.services import start_services
    from app.settings import reload_settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pki = DemoPki(Path(os.environ["DATA_DIR"]) / "pki").ensure(f"http://127.0.0.1:{port}")
    start_services(pki, "127.0.0.1", port)
    os.environ["PKI_DIR"], os.environ["PKI_URL"] = str(pki.dir), pki.url_prefix
    reload_settings()


def run_sizes(sizes: list[int], code: Path, kind: str = "scan", workers: int = 0) -> list[dict]:
    rows = []
    for pages in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-thick-") as data:
            original = str(Path(data) / "original.pdf")
            env = {**os.environ, "DATA_DIR": data, "DEMO": "1", "SIGNING_WORKERS": "0",
                   "PYTHONDONTWRITEBYTECODE": "1", "BENCH_ORIGINAL": original}
            make = [sys.executable, __file__, "make", str(pages), "--kind", kind, "--code", str(code)]
            subprocess.run(make, env=env, check=True, timeout=3600)
            env.pop("DATABASE_URL", None)
            command = [sys.executable, __file__, "one", str(pages), "--code", str(code), "--kind", kind,
                       "--workers", str(workers)]
            out = subprocess.run(command, env=env,
                                 capture_output=True, text=True, timeout=3600)
            if out.returncode:
                raise RuntimeError(out.stderr[-3000:])
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(f"{pages:>5} pages: sign {row['sign_s']:.1f} s, seal {row['seal_s']:.1f} s "
                  f"(CPU {row['sign_cpu_s']:.1f} / {row['seal_cpu_s']:.1f} s), "
                  f"peak {row['peak_mb']:.0f} MB (signing process {row['worker_peak_mb']:.0f} MB), "
                  f"original {row['original_mb']:.2f} MB, "
                  f"copy {row['copy_mb']:.2f} MB ({row['copy_mb'] / row['original_mb']:.2f}×)", flush=True)
    return rows


# --- another clerk while a thick copy is signed ---------------------------------------------------------

class Clerk:
    """Another clerk's round trips: uploads and payments (here, on the same database), page loads (server)."""

    def __init__(self, base: str, cookie: str):
        self.base, self.cookie = base, cookie
        self.times: dict[str, list[float]] = {}
        self.slow: list[tuple[float, str, str]] = []  # (seconds, phase, what) of every round trip
        self.failures: list[str] = []
        self.phase = "idle"
        self.stop = threading.Event()

    def note(self, seconds: float, what: str) -> None:
        self.times.setdefault(self.phase, []).append(seconds)
        self.slow.append((seconds, self.phase, what))

    def writes(self) -> None:
        """Open a dossier with a one-page scan (four short transactions), then take its fee: each timed
        whole, a failure too (its time is the wait before it failed)."""
        page = scanned_pdf(1)
        while not self.stop.is_set():
            opened = self.timed("upload", lambda: open_original(1, page, title="Giấy khai sinh"))
            if opened is not None:
                self.timed("payment", lambda dossier_id=opened[0]: pay(dossier_id))
            time.sleep(PACE)

    def timed(self, what: str, action):
        start = time.perf_counter()
        try:
            return action()
        except Exception as exc:  # noqa: BLE001 — counted and printed
            self.failures.append(f"{self.phase}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
            return None
        finally:
            self.note(time.perf_counter() - start, what)

    async def page_loads(self) -> None:
        from bench.ws_client import NiceGuiPage

        while not self.stop.is_set():
            start = time.perf_counter()
            try:
                page = await NiceGuiPage.open(self.base, "/", self.cookie)
                self.note(time.perf_counter() - start, "page load")
                await page.close()
            except Exception as exc:  # noqa: BLE001
                self.failures.append(f"{self.phase}: page: {type(exc).__name__}: {str(exc)[:120]!r}")
            await asyncio.sleep(PACE)


async def act(base: str, cookie: str, path: str) -> tuple[float, str]:
    """Click the action of one dossier's page as a tablet would; (seconds to its result line, its icon)."""
    from bench.ws_client import NiceGuiPage

    start = time.perf_counter()
    page = await NiceGuiPage.open(base, path, cookie)
    print(f"  {path} opened in {(time.perf_counter() - start) * 1000:.0f} ms", flush=True)
    start = time.perf_counter()
    await page.click("do-action")
    # result_line's icon (components/work_queue.py)
    _, found = await page.shown("'name': 'check_circle'", "'name': 'error'", timeout=3600)
    seconds = time.perf_counter() - start
    await page.close()
    return seconds, found


def pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else float("nan")


async def clerk_run(pages: int, idle: float, code: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from bench.bench_lighthouse import cookie_for
    from tests.e2e import conftest

    data = Path(tempfile.mkdtemp(prefix="bench-thick-clerk-"))
    conftest.ROOT = code  # the server runs the chosen checkout's main.py
    server = conftest.start_server(data / "data", {"PYTHONDONTWRITEBYTECODE": "1",
                                                   "PKI_PORT": os.environ.get("PKI_PORT", "8131")})
    try:
        os.environ.update({"DATA_DIR": str(data / "data"), "DEMO": "1", "SIGNING_WORKERS": "0"})
        os.environ.pop("DATABASE_URL", None)
        use_code(code)
        dossier_id, _ = open_original(pages)
        pay(dossier_id)
        submit(dossier_id)
        print(f"server {server.url}, dossier {dossier_id} ready", flush=True)
        cookies = {u: cookie_for(server.url, u) for u in ("chungthuc", "lanhdao", "vanthu")}
        print("signed in", flush=True)
        clerk = Clerk(server.url, cookies["chungthuc"])
        writer = threading.Thread(target=clerk.writes, daemon=True)
        writer.start()
        loads = asyncio.create_task(clerk.page_loads())
        await asyncio.sleep(idle)
        clerk.phase = "during"
        print("signing", flush=True)
        sign_s, sign_line = await act(server.url, cookies["lanhdao"], f"/queue/sign/{dossier_id}")
        seal_s, seal_line = await act(server.url, cookies["vanthu"], f"/queue/seal/{dossier_id}")
        clerk.stop.set()
        await loads
        writer.join()
    finally:
        server.process.terminate()
    idle_t, during = clerk.times.get("idle", []), clerk.times.get("during", [])
    print(f"{pages}-page copy: signed in {sign_s:.1f} s ({sign_line}), "
          f"sealed in {seal_s:.1f} s ({seal_line})")
    for name, values in (("idle", idle_t), ("during", during)):
        print(f"  clerk {name}: n={len(values)} p50 {statistics.median(values) * 1000:.0f} ms "
              f"p99 {pct(values, 99) * 1000:.0f} ms max {max(values) * 1000:.0f} ms")
    ratio = pct(during, 99) / pct(idle_t, 99)
    slowest = sorted((s for s in clerk.slow if s[1] == "during"), reverse=True)[:4]
    print("  slowest during: " + ", ".join(f"{what} {sec * 1000:.0f} ms" for sec, _, what in slowest))
    print(f"  p99 ratio during/idle: {ratio:.1f}×; failures: {len(clerk.failures)}")
    for failure in clerk.failures[:10]:
        print("   ", failure)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["sizes", "clerk", "one", "make"])
    parser.add_argument("n", nargs="?", type=int)
    parser.add_argument("--pages", default="")
    parser.add_argument("--code", default=str(ROOT))
    parser.add_argument("--idle", type=float, default=20)
    parser.add_argument("--kind", choices=["scan", "text"], default="scan")
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    code = Path(args.code).resolve()
    if args.what == "make":
        use_code(code)
        make_original(args.n, args.kind, os.environ["BENCH_ORIGINAL"])
    elif args.what == "one":
        use_code(code)
        print(json.dumps(one_size(args.n, args.kind, args.workers)))
    elif args.what == "sizes":
        run_sizes([int(p) for p in (args.pages or "1,10,117,1000").split(",")], code, args.kind, args.workers)
    else:
        asyncio.run(clerk_run(int(args.pages or 1000), args.idle, code))


if __name__ == "__main__":
    main()
