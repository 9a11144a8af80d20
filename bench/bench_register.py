"""Bench: the register with 1,000,000 entries in SQLite — search and the monthly print/export.

Run: python bench/bench_register.py [--fresh] [--entries N]
Targets: each search <= 50 ms; the month's export (query + PDF, query + XLSX) <= 5 s each.
The database is generated once under /tmp/bench_register (bulk insert, hash-chained like the seal
use case, 26 years × ~38,500 entries) and reused by later runs unless --fresh.
"""
from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DIR = Path("/tmp/bench_register")
os.environ["DATA_DIR"] = str(DIR)
os.environ["DEMO"] = "1"
os.environ.pop("DATABASE_URL", None)

from app.settings import reload_settings  # noqa: E402

reload_settings()

from sqlmodel import select  # noqa: E402

from app.db import dispose_engine, session_scope  # noqa: E402
from domain import register as reg  # noqa: E402
from domain.models import RegisterEntry  # noqa: E402
from domain.register import entry_hash  # noqa: E402
from domain.text import fold  # noqa: E402

FIRST_YEAR, YEARS = 2000, 26
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Hồng", "Xuân", "Anh", "Gia",
          "Bảo", "Công", "Kim", "Mạnh", "Phương", "Tuấn", "Hải"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Phong", "Phúc", "Quân", "Quỳnh", "Sơn",
         "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tú", "Tuấn", "Vân", "Việt", "Yến"]
TITLES = [
    "Giấy khai sinh",
    "Căn cước công dân",
    "Sổ hộ khẩu",
    "Bằng tốt nghiệp THPT",
    "Bằng tốt nghiệp đại học",
    "Bảng điểm",
    "Giấy chứng nhận quyền sử dụng đất",
    "Giấy chứng nhận kết hôn",
    "Hộ chiếu",
    "Giấy phép lái xe",
    "Giấy xác nhận tình trạng hôn nhân",
    "Hợp đồng lao động",
    "Quyết định nghỉ hưu",
    "Giấy chứng tử",
    "Học bạ",
    "Chứng chỉ tiếng Anh",
    "Giấy đăng ký xe",
    "Sổ đỏ",
    "Giấy chứng nhận đầu tư",
    "Giấy phép kinh doanh",
    "Thẻ bảo hiểm y tế",
    "Sổ bảo hiểm xã hội",
    "Giấy ra viện",
    "Giấy chứng nhận thương binh",
    "Văn bằng trung cấp",
    "Lý lịch tư pháp",
    "Giấy báo nhập học",
    "Hợp đồng mua bán nhà",
    "Biên lai thu thuế",
    "Giấy xác nhận cư trú",
]
ISSUERS = [
    "UBND phường Hoàn Kiếm",
    "Công an TP Hà Nội",
    "Sở Giáo dục và Đào tạo Hà Nội",
    "Đại học Quốc gia Hà Nội",
    "Cục Cảnh sát QLHC về TTXH",
    "Sở Tài nguyên và Môi trường",
    "Bệnh viện Bạch Mai",
]
COLUMNS = (
    "office_id, year, number, number_text, book, dossier_id, original_id, issued_at, requester_name, "
    "requester_name_folded, requester_id_number, document_title, document_title_folded, issuer, pages, "
    "copies, fee, signer_name, notes, file_sha256, verify_code, prev_hash, hash"
)


def generate(n: int) -> None:
    from app.web.startup import prepare_database

    shutil.rmtree(DIR, ignore_errors=True)
    DIR.mkdir(parents=True)
    reload_settings()
    dispose_engine()
    prepare_database()  # migrated, demo office seeded
    dispose_engine()
    rnd = random.Random(8)
    people = []
    for _ in range(60_000):
        name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
        people.append(
            (name, fold(name), f"0{rnd.randint(1, 96):02d}{rnd.randint(0, 1)}{rnd.randint(0, 99999999):08d}")
        )
    titles = [(t, fold(t)) for t in TITLES]
    conn = sqlite3.connect(DIR / "chungthuc.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys=OFF")  # bench rows point at dossier/original ids that do not exist
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    office_id = conn.execute("SELECT id FROM office ORDER BY id LIMIT 1").fetchone()[0]
    per_year = n // YEARS
    prev, done, t0 = "", 0, time.perf_counter()
    sql = f"INSERT INTO registerentry ({COLUMNS}) VALUES ({','.join('?' * 23)})"
    conn.execute("BEGIN")
    for y in range(YEARS):
        year = FIRST_YEAR + y
        count = per_year if y < YEARS - 1 else n - per_year * (YEARS - 1)
        start = datetime(year, 1, 2, 1, tzinfo=UTC)
        step = (datetime(year, 12, 31, 9, tzinfo=UTC) - start) / count
        book = f"01/{year}-SCTĐT/BS"
        batch = []
        for number in range(1, count + 1):
            at = (start + step * number).replace(microsecond=0)
            name, name_f, idn = people[rnd.randrange(len(people))]
            title, title_f = titles[rnd.randrange(len(titles))]
            pages = rnd.randint(1, 6)
            fee = 2000 * min(pages, 2) + 1000 * max(0, pages - 2)
            e = SimpleNamespace(
                prev_hash=prev,
                office_id=office_id,
                year=year,
                number=number,
                number_text=f"{number}/ĐT",
                book=book,
                dossier_id=done + 1,
                original_id=done + 1,
                issued_at=at,
                requester_name=name,
                requester_id_number=idn,
                document_title=title,
                issuer=ISSUERS[number % len(ISSUERS)],
                pages=pages,
                copies=1,
                fee=fee,
                signer_name="Phạm Văn Lãnh",
                notes="",
                file_sha256=secrets.token_hex(32),
                verify_code=secrets.token_urlsafe(12),
            )
            prev = entry_hash(e)
            batch.append(
                (
                    office_id,
                    year,
                    number,
                    e.number_text,
                    book,
                    e.dossier_id,
                    e.original_id,
                    at.strftime("%Y-%m-%d %H:%M:%S.000000"),
                    name,
                    name_f,
                    idn,
                    title,
                    title_f,
                    e.issuer,
                    pages,
                    1,
                    fee,
                    e.signer_name,
                    "",
                    e.file_sha256,
                    e.verify_code,
                    e.prev_hash,
                    prev,
                )
            )
            done += 1
        conn.executemany(sql, batch)
        conn.execute("INSERT OR REPLACE INTO registercounter (id, office_id, year, last_number, book) "
                     "VALUES ((SELECT id FROM registercounter WHERE office_id=? AND year=?), ?, ?, ?, 1)",
                     (office_id, year, office_id, year, count))
        print(f"\r  {done:,} entries, {time.perf_counter() - t0:.0f} s", end="", flush=True)
    conn.execute("COMMIT")
    conn.execute("PRAGMA optimize")
    conn.close()
    print(f"\ngenerated {done:,} entries in {time.perf_counter() - t0:.1f} s")


def timed(fn, runs: int = 7) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fresh", action="store_true", help="regenerate the database")
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    db = DIR / "chungthuc.db"
    have = 0
    if db.exists() and not args.fresh:
        have = sqlite3.connect(db).execute("SELECT count(*) FROM registerentry").fetchone()[0]
    if have != args.entries:
        print(f"generating {args.entries:,} register entries in {db} …")
        generate(args.entries)
    dispose_engine()
    from tests.support.workflow import user_named

    user = user_named("vanthu")
    with session_scope() as s:
        sample = s.exec(select(RegisterEntry).where(RegisterEntry.year == 2017,
                                                    RegisterEntry.number == 12345)).one()
    queries = [
        ("number (12345, every year)", reg.RegisterQuery(number="12345")),
        ("number + year (date range)", reg.RegisterQuery(number="12345", date_from=sample.issued_at.date(),
                                                          date_to=sample.issued_at.date())),
        ("full name prefix", reg.RegisterQuery(name=sample.requester_name)),
        ("name prefix 'nguyen van a'", reg.RegisterQuery(name="nguyen van a")),
        ("name prefix 'tran'", reg.RegisterQuery(name="tran")),
        ("ID number", reg.RegisterQuery(id_number=sample.requester_id_number)),
        ("title prefix 'giay khai sinh'", reg.RegisterQuery(title="giay khai sinh")),
        ("title prefix 'bang tot nghiep'", reg.RegisterQuery(title="bang tot nghiep")),
        ("one day (date range)", reg.RegisterQuery(date_from=sample.issued_at.date(),
                                                    date_to=sample.issued_at.date())),
        ("name + title", reg.RegisterQuery(name="nguyen", title="ho chieu")),
        ("page 50 of 'nguyen'", reg.RegisterQuery(name="nguyen", page=50)),
        ("no filter (first page, total)", reg.RegisterQuery()),
    ]
    print(f"\n{'search':36} {'median':>9} {'max':>9} {'matches':>9}")
    with session_scope() as s:
        for label, q in queries:
            med, worst, res = timed(lambda q=q: reg.search(s, user, q))
            print(f"{label:36} {med:7.1f}ms {worst:7.1f}ms {res.total:9,}")
    from app.register_print import monthly_pdf, monthly_xlsx
    from domain.models import Office

    with session_scope() as s:
        office = s.get(Office, user.office_id)
    print()
    for kind, fn in (("PDF", monthly_pdf), ("XLSX", monthly_xlsx)):
        def export(fn=fn):
            with session_scope() as s:
                rows = reg.month_rows(s, user, 2024, 3)
            return rows, fn(office, 2024, 3, rows)

        med, worst, (rows, data) = timed(export, runs=3)
        print(
            f"month 03/2024 {kind:5} {len(rows):,} entries: median {med / 1000:.2f} s, "
            f"max {worst / 1000:.2f} s, {len(data) / 1e6:.1f} MB"
        )
    with session_scope() as s:
        med, _, rows = timed(lambda: reg.month_rows(s, user, 2024, 3), runs=3)
    print(f"  (of which the query: {med:.0f} ms)")


if __name__ == "__main__":
    main()
