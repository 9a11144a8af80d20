"""Workflow figures (issue 7): an official's whole pass on one dossier from submit to issued (server
side), and the work-queue page's queries with 100,000 dossiers in the database.

    python bench/bench_workflow.py [RUNS]
Targets on 2 cores: whole pass ≤ 1 s; queue page ≤ 0.3 s.
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="bench-workflow-"))
os.environ.setdefault("DEMO", "1")
os.environ.pop("DATABASE_URL", None)
if "PKI_URL" not in os.environ:  # a free port for the demo PKI's services
    import socket

    with socket.socket() as _s:
        _s.bind(("127.0.0.1", 0))
        os.environ["PKI_URL"] = f"http://127.0.0.1:{_s.getsockname()[1]}"

from sqlalchemy import insert  # noqa: E402

from app.db import UNITS, get_engine, write_scope  # noqa: E402
from app.pki.services import start_services  # noqa: E402
from app.signing import certification_service as service  # noqa: E402
from app.signing import resolve  # noqa: E402
from app.views.queues import queue_counts, queue_page  # noqa: E402
from app.web.startup import prepare_database  # noqa: E402
from domain import dossiers  # noqa: E402
from domain.clock import utcnow  # noqa: E402
from domain.models import Dossier  # noqa: E402
from tests.support.workflow import signed_dossier_ready, user_named  # noqa: E402


def whole_pass(runs: int) -> list[float]:
    """submit → leader signs → seal keeper seals, for a 2-page dossier already received and paid."""
    times = []
    clerk, leader, sealer = user_named("chungthuc"), user_named("lanhdao"), user_named("vanthu")
    for _ in range(runs):
        dossier_id = signed_dossier_ready(pages=2, email=None)  # ends with submit; undo to time it
        with write_scope() as session:
            dossier = session.get(Dossier, dossier_id)
            dossier.state = "draft"
            session.commit()
        start = time.perf_counter()
        with write_scope() as session:
            dossiers.submit(session, clerk, dossier_id)
        service.sign(UNITS, leader, dossier_id)
        service.seal(UNITS, sealer, dossier_id)
        times.append(time.perf_counter() - start)
    return times


def fill_dossiers(total: int) -> None:
    """Bulk-insert dossiers: most issued, a few hundred waiting in each queue."""
    creator = user_named("chungthuc").account_id
    office = user_named("chungthuc").office_id
    now = utcnow()
    rng = random.Random(7)
    rows = []
    for i in range(total):
        state = rng.choices(["issued", "refused", "submitted", "signed", "draft"], [90, 4, 2, 2, 2])[0]
        received = now - timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 600))
        rows.append(dict(code=f"BENCH{i:08d}", office_id=office, state=state, requester_name=f"Người thứ {i}",
                         requester_name_folded=f"nguoi thu {i}", received_at=received,
                         due_at=received + timedelta(hours=8), step_due_at=received + timedelta(hours=2),
                         created_by_id=creator, refusal_grounds=[], complex=False, requester_kind="person"))
    with get_engine().begin() as conn:
        for start in range(0, total, 5000):
            conn.execute(insert(Dossier), rows[start:start + 5000])


def queue_render(repeats: int = 20) -> dict[str, float]:
    leader = user_named("lanhdao")
    timings = {}
    for name, fn in [("queue_page(submitted)", lambda: queue_page(leader, "submitted", page=3)),
                     ("queue_counts(submitted)", lambda: queue_counts(leader, "submitted"))]:
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        timings[name] = statistics.median(samples)
    return timings


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    prepare_database()
    pki = resolve.demo_pki()  # B-LT/B-LTA: the demo PKI's CRL, OCSP and TSA served in this process
    start_services(pki, "127.0.0.1", int(pki.url_prefix.rsplit(":", 1)[1]))
    whole_pass(1)  # warm-up: demo PKI keys, the stamp font
    passes = whole_pass(runs)
    print(f"whole pass submit→issued (2-page scan): median {statistics.median(passes):.3f} s, "
          f"max {max(passes):.3f} s over {runs} runs (target ≤ 1 s)")
    start = time.perf_counter()
    fill_dossiers(100_000)
    print(f"inserted 100,000 dossiers in {time.perf_counter() - start:.1f} s")
    for name, seconds in queue_render().items():
        print(f"{name}: median {seconds * 1000:.1f} ms (target ≤ 300 ms)")


if __name__ == "__main__":
    main()
