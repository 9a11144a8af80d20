"""ID-card reading benchmark: python bench/bench_idcard.py [N]

Generated cards (tests/support/cards.py), three paths:
  qr   - front + back, QR readable (fast reader: QR + MRZ, printed text skipped), and full reader;
  mrz  - back side only with the QR covered (2021 back has no QR; 2024 back's QR covered);
  text - front side only, QR covered (2021) / no QR (2024): printed text alone.
Variants rotate through straight, rotated, perspective, blur, jpeg50, lowres, glare.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from app.idcard import TesseractIdCardReader  # noqa: E402
from domain.idcard import IdCardReadError  # noqa: E402
from tests.support.cards import card_dates, make_card, random_person, to_bytes  # noqa: E402

VARIANTS = ["straight", "rotated", "perspective", "blur", "jpeg50", "lowres", "glare"]
PATH_FIELDS = {
    "qr": ["id_number", "full_name", "date_of_birth", "sex", "place_of_residence", "issue_date"],
    "qr_full": ["id_number", "full_name", "date_of_birth", "sex", "place_of_residence", "issue_date",
                "nationality", "expiry_date", "place_of_origin"],
    "mrz": ["id_number", "date_of_birth", "sex", "expiry_date"],
    "text": ["id_number", "full_name", "date_of_birth", "sex"],
}


def expected(person: dict, model: str) -> dict:
    issue, expiry = card_dates(person, model)
    return {**person, "issue_date": issue, "expiry_date": expiry,
            "place_of_origin": person["place_of_origin"] if model == "2021" else None}


def files_for(path: str, person: dict, model: str, variant: str, seed: int) -> list[tuple[str, bytes]]:
    if path in ("qr", "qr_full"):
        sides, cover = ["front", "back"], variant
    elif path == "mrz":
        sides, cover = ["back"], "qr_covered" if model == "2024" else variant
    else:
        sides, cover = ["front"], "qr_covered" if model == "2021" else variant
    out = []
    for side in sides:
        v = cover if (cover == "qr_covered" and (model, side) in (("2021", "front"), ("2024", "back"))) else variant
        out.append((f"{side}.jpg", to_bytes(make_card(person, model, side, v, seed), "JPEG", quality=92)))
    return out


def same(field: str, got, want) -> bool:
    if field in ("full_name", "place_of_residence", "place_of_origin"):
        return got is not None and want is not None and got.casefold() == want.casefold()
    return got == want


def run(path: str, n: int) -> dict:
    reader = TesseractIdCardReader(ocr_printed=(path != "qr"))
    hits = {f: 0 for f in PATH_FIELDS[path]}
    seconds = []
    for i in range(n):
        person, model, variant = random_person(1000 + i), ("2021", "2024")[i % 2], VARIANTS[i % len(VARIANTS)]
        files = files_for(path, person, model, variant, i)
        start = time.perf_counter()
        try:
            data = reader.read(files)
        except IdCardReadError:
            data = None
        seconds.append(time.perf_counter() - start)
        want = expected(person, model)
        for field in hits:
            if model == "2024" and field == "place_of_origin":
                hits[field] += 1  # not printed on the 2024 card; expected empty
                continue
            hits[field] += bool(data) and same(field, getattr(data, field), want[field])
    return {"n": n, "median_s": statistics.median(seconds), "rates": {f: h / n for f, h in hits.items()}}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 42
    print(f"ID-card reading, {n} generated cards per path (2021/2024 alternating; variants {', '.join(VARIANTS)})")
    for path in ("qr", "qr_full", "mrz", "text"):
        res = run(path, n)
        rates = ", ".join(f"{f} {r:.0%}" for f, r in res["rates"].items())
        print(f"{path:8} median {res['median_s']:.2f} s/card | {rates}", flush=True)


if __name__ == "__main__":
    main()
