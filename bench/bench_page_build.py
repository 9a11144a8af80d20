"""What a page build costs the server (issue 17): the pages the clicking bench opens, each fetched N times in
a row by one signed-in client (a GET builds the whole page on the event loop), with the number of elements the
page sends and the median/p95 time of the GET. With --spy, py-spy (if installed: `pip install py-spy`) samples
the server meanwhile and the costliest own frames of the build are printed.
    .venv/bin/python bench/bench_page_build.py [N] [--spy]
"""
from __future__ import annotations

import collections
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.bench_clicks import DATA, ROLES, prepare  # noqa: E402  (sets DATA_DIR to a fresh folder)
from bench.bench_lighthouse import cookie_for  # noqa: E402
from bench.ws_client import ELEMENTS  # noqa: E402
from tests.e2e.conftest import start_server  # noqa: E402

OWN = re.compile(r"\((pages|components|app|domain)/")


def pages(to_sign: list[int], opened: list[int]) -> list[tuple[str, str]]:
    return [("leader", "/queue/sign"), ("leader", f"/queue/sign/{to_sign[0]}"), ("seal", "/queue/seal"),
            ("clerk", "/intake"), ("clerk", f"/dossier/{opened[0]}"), ("clerk", f"/dossier/{to_sign[1]}"),
            ("cashier", "/fees"), ("clerk", "/")]


def drafts() -> list[int]:
    from sqlmodel import select

    from app.db import session_scope
    from domain.models import Dossier

    with session_scope() as session:
        return list(session.exec(select(Dossier.id).where(Dossier.state == "draft")).all())


def elements_in(html: str) -> int:
    found = ELEMENTS.search(html)
    return found.group(1).count('"tag":') if found else 0


def spy(pid: int, seconds: float) -> subprocess.Popen | None:
    exe = shutil.which("py-spy") or next((p for p in ("/tmp/pyspy/bin/py-spy",) if Path(p).exists()), None)
    if exe is None:
        print("py-spy not found: no profile")
        return None
    out = DATA / "spy.txt"
    return subprocess.Popen(
        [
            exe,
            "record",
            "--pid",
            str(pid),
            "--rate",
            "250",
            "--format",
            "raw",
            "--nonblocking",
            "-o",
            str(out),
            "--duration",
            str(int(seconds) + 1),
        ],
        env={**os.environ, "PYTHONPATH": str(Path(exe).parent.parent)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def report_spy(path: Path) -> None:
    own = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        frames = [f for f in stack.split(";") if OWN.search(f) or "nicegui/" in f]
        total += int(n)
        for frame in set(frames):
            own[frame] += int(n)
    print(f"\nframes in the most samples ({total} samples in all, inclusive):")
    for frame, n in own.most_common(30):
        print(f"  {100 * n / total:5.1f} %  {frame}")


def main(args: list[str]) -> None:
    runs = int(next((a for a in args if a.isdigit()), "20"))
    server = start_server(DATA)
    try:
        from app.settings import reload_settings

        reload_settings()
        cookies = {role: cookie_for(server.url, username) for role, username in ROLES.items()}
        to_sign = prepare(8)
        opened = drafts()
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        plan = pages(to_sign, opened)
        profiler = spy(server.process.pid, runs * len(plan) * 0.6) if "--spy" in args else None
        with httpx.Client(timeout=60) as http:
            for role, path in plan:
                times, count = [], 0
                for _ in range(runs):
                    start = time.perf_counter()
                    response = http.get(server.url + path, headers={"Cookie": cookies[role]})
                    times.append(time.perf_counter() - start)
                    response.raise_for_status()
                    count = elements_in(response.text)
                times.sort()
                print(
                    f"{path:<22} {count:>4} elements  median {statistics.median(times) * 1000:6.1f} ms  "
                    f"p95 {times[int(len(times) * 0.95) - 1] * 1000:6.1f} ms  "
                    f"(load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)  # py-spy writes its file on an interrupt
            profiler.wait()
            if (DATA / "spy.txt").exists():
                report_spy(DATA / "spy.txt")
    finally:
        server.process.terminate()


if __name__ == "__main__":
    main(sys.argv[1:])
