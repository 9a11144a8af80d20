"""ID-card reading benchmark: python bench/bench_idcard.py [N] [--variants a,b] [--dpi 300,600]
[--concurrent K]

Cards from the test generator (tests/support/cards.py) with a seed of their own (5000+),
captured the way clerks really do (tests/support/card_captures.py): tilted 3–10°, 30°
perspective, 90/180/270°, both sides side by side and stacked in one photo, A4 at 150 dpi
(one side a page, both sides a page), a 2-page PDF, .docx, JPEG q20, motion blur; each photo
variant with the card photographed at 300 and at 600 dpi (`--dpi`; the A4 pages are 150 dpi).

Per variant and field: right / missing / flagged wrong / silently wrong / falsely flagged
(right but warned), and CPU seconds per card (this process and its tesseract children);
then the share of field warnings that sit on right values (false alarms) and the silently
wrong ID numbers and dates, which must stay 0.
The baseline in the same run: zxing-cpp on the raw image plus `tesseract -l vie` on the
whole image, parsed by the same parsers. `--concurrent K` runs K reads at once and counts
failures.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# --code DIR: read with the app and domain of another checkout (the side-by-side base); the cards
# come from its tests/support too (the same generator as long as it is unchanged there)
HERE = str(Path(__file__).resolve().parents[1])
CODE = sys.argv[sys.argv.index("--code") + 1] if "--code" in sys.argv else HERE
sys.path.insert(0, CODE)
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from idcard_side_by_side import side_by_side  # noqa: E402  (beside this script: sys.path[0])
from idcard_warnings import Tally, is_notice, same  # noqa: E402

from app.idcard import TesseractIdCardReader  # noqa: E402
from domain.idcard import IdCardReadError  # noqa: E402
from tests.support.card_captures import CAPTURES, make_capture  # noqa: E402
from tests.support.cards import card_dates, random_person  # noqa: E402

FIELDS = ("id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_origin",
          "place_of_residence", "issue_date", "expiry_date")
OUTCOMES = ("right", "missing", "flagged", "silent", "false_flag")
SEED = 5000


def expected(person: dict, model: str) -> dict:
    issue, expiry = card_dates(person, model)
    return {**person, "issue_date": issue, "expiry_date": expiry,
            "place_of_origin": person["place_of_origin"] if model == "2021" else None,
            "place_of_birth": person["place_of_birth"] if model == "2024" else None}


def outcome(name: str, data, want) -> str:
    got = getattr(data, name, None) if data else None
    warned = bool(data and [w for w in data.field_warnings.get(name, []) if not is_notice(name, w, want)])
    if want is None and got is None:
        return "right"
    if got is None:
        return "missing"
    if same(got, want):
        return "false_flag" if warned else "right"
    return "flagged" if warned else "silent"


def cpu_now() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


PAGE_CAPTURES = ("a4_single", "a4_both", "pdf2")  # 150-dpi pages whatever the photo's dpi
TARGETS = {"id_number": 98, "date_of_birth": 98, "sex": 98, "nationality": 98, "full_name": 95,
           "place_of_residence": 90, "place_of_origin": 85, "issue_date": 90, "expiry_date": 90}


def cases(n: int, variants, dpis=(300,), seed: int = SEED) -> list[tuple[str, int, str, int]]:
    return [(variant, seed + i, ("2021", "2024")[i % 2], dpi) for variant in variants
            for dpi in (dpis[:1] if variant in PAGE_CAPTURES else dpis) for i in range(n)]


def label(variant: str, dpi: int) -> str:
    return variant if variant in PAGE_CAPTURES else f"{variant}@{dpi}"


CALLS: list[int] = []  # tesseract calls of each read of ours


def read_ours(files):
    reader = TesseractIdCardReader()
    try:
        return reader.read(files)
    except IdCardReadError:
        return None
    finally:
        CALLS.append(getattr(reader.ocr, "calls", COMMANDS[0]))
        COMMANDS[0] = 0


COMMANDS = [0]  # tesseract commands run (code without a call counter: the base)


def _count_commands() -> None:
    import pytesseract
    run = pytesseract.pytesseract.run_tesseract

    def counted(*args, **kwargs):
        COMMANDS[0] += 1
        return run(*args, **kwargs)
    pytesseract.pytesseract.run_tesseract = counted


def read_baseline(files):
    """zxing-cpp on the raw image + `tesseract -l vie` on the whole image (the 20-line baseline)."""
    import pytesseract
    import zxingcpp

    from app.idcard.images import load_images
    from domain.idcard import merge_sources, parse_printed_text, parse_qr_payload
    from domain.idcard.qr import looks_like_card_qr
    qr, texts = None, []
    for name, blob in files:
        for image in load_images(name, blob):
            for code in zxingcpp.read_barcodes(image):
                if qr is None and looks_like_card_qr(code.text):
                    qr = parse_qr_payload(code.text)
            texts.append(pytesseract.image_to_string(image, lang="vie"))
    printed = parse_printed_text("\n".join(texts))
    data = merge_sources(qr, None, printed)
    data.field_warnings = {}  # the baseline warns about nothing
    return data


def measure(reader, items, show: bool = False) -> dict:
    labels = dict.fromkeys(label(i[0], i[3]) for i in items)
    table = {v: {f: dict.fromkeys(OUTCOMES, 0) for f in FIELDS} for v in labels}
    cpu, failed, silent, tally = {v: [] for v in table}, 0, [], Tally()
    for variant, seed, model, dpi in items:
        person = random_person(seed)
        files = make_capture(person, model, variant, seed, dpi)
        start = cpu_now()
        data = reader(files)
        cpu[label(variant, dpi)].append(cpu_now() - start)
        failed += data is None
        want = expected(person, model)
        tally.add(data, want, f"{label(variant, dpi)} {seed}")
        for name in FIELDS:
            result = outcome(name, data, want[name])
            table[label(variant, dpi)][name][result] += 1
            if show and result != "right":
                notes = "; ".join(data.field_warnings.get(name, [])) if data else ""
                print(f"  {label(variant, dpi)} {seed} {name} {result}: {getattr(data, name, None)!r} "
                      f"want {want[name]!r} {notes[:150]}", flush=True)
            if result == "silent" and name in ("id_number", "date_of_birth", "issue_date", "expiry_date"):
                got = getattr(data, name)
                silent.append(f"{label(variant, dpi)} seed {seed} {name}: {got} for {want[name]}")
    calls = CALLS[-len(items):] if reader is read_ours else []
    return {"table": table, "cpu": cpu, "failed": failed, "silent": silent, "calls": calls, "notes": tally}


def report(title: str, res: dict) -> dict:
    print(f"\n== {title}: reads failed {res['failed']}")
    totals = {f: dict.fromkeys(OUTCOMES, 0) for f in FIELDS}
    for variant, fields in res["table"].items():
        cells = []
        for name in FIELDS:
            c = fields[name]
            for k in OUTCOMES:
                totals[name][k] += c[k]
            cells.append(
                f"{name[:8]} {c['right']}/{c['missing']}/{c['flagged']}/{c['silent']}/{c['false_flag']}"
            )
        print(
            f"{variant:13} cpu {statistics.median(res['cpu'][variant]):.2f}s | " + " ".join(cells), flush=True
        )
    print("all variants, per field (right% missing% flagged-wrong% silently-wrong% falsely-flagged%):")
    for name in FIELDS:
        c = totals[name]
        n = sum(c.values()) or 1
        mark = "ok" if 100 * c["right"] / n >= TARGETS[name] else f"below {TARGETS[name]}%"
        print(f"  {name:19} " + " ".join(f"{k} {100 * c[k] / n:5.1f}%" for k in OUTCOMES) + f"  [{mark}]")
    false = sum(c["false_flag"] for c in totals.values())
    warned = false + sum(c["flagged"] for c in totals.values())
    share = 100 * false / max(warned, 1)
    print(f"  fields warned that hold the right value (as the table above): {false}/{warned} = {share:.1f}%")
    res["notes"].report()
    print(f"  silently wrong ID numbers and dates: {len(res['silent'])}")
    for line in res["silent"]:
        print(f"    {line}")
    all_cpu = sorted(s for v in res["cpu"].values() for s in v)
    p90 = all_cpu[min(len(all_cpu) - 1, int(0.9 * len(all_cpu)))]
    print(f"  CPU per card: median {statistics.median(all_cpu):.2f} s, p90 {p90:.2f} s, "
          f"mean {statistics.mean(all_cpu):.2f} s (goal: median <= 1.5 s, p90 <= 3 s)")
    calls = list(res.get("calls") or [0])
    print(f"  tesseract calls per read: median {statistics.median(calls):.0f}, "
          f"mean {statistics.mean(calls):.1f}")
    return {"right": {f: 100 * totals[f]["right"] / (sum(totals[f].values()) or 1) for f in FIELDS},
            **res["notes"].summary(), "silent": len(res["silent"]),
            "failed": res["failed"],
            "reads": len(all_cpu), "cpu": (statistics.median(all_cpu), p90, statistics.mean(all_cpu)),
            "calls": (statistics.median(calls), statistics.mean(calls))}


def concurrent(k: int, n: int) -> None:
    items = cases(1, ["side_by_side", "tilted", "a4_both", "rot270"], (600,)) * max(1, n // 4 + 1)
    items = items[:n]
    start = time.perf_counter()
    with ProcessPoolExecutor(k) as pool:
        results = list(pool.map(_one, items))
    partial = sum(1 for r in results if r and r[1])
    results = [r[0] if r else None for r in results]
    id_right = sum(1 for r, i in zip(results, items, strict=True) if r == random_person(i[1])["id_number"])
    print(
        f"{k} concurrent reads, {len(items)} reads: {sum(r is None for r in results)} failed, "
        f"{partial} partial (time budget ran out), "
        f"{time.perf_counter() - start:.1f} s wall; ID right {id_right}/{len(items)}"
    )


def _one(item):
    variant, seed, model, dpi = item
    data = read_ours(make_capture(random_person(seed), model, variant, seed, dpi))
    return (data.id_number, any("Máy đang bận" in w for w in data.warnings)) if data else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=6, help="cards per variant")
    parser.add_argument("--variants", default=",".join(CAPTURES))
    parser.add_argument("--concurrent", type=int, default=0)
    parser.add_argument("--dpi", default="300,600", help="resolutions of the card in the photo variants")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--show", action="store_true", help="print every field not read right")
    parser.add_argument("--seed", type=int, default=SEED, help="first seed (5011, 5012: no-expiry holders)")
    parser.add_argument("--against", help="another checkout (/work/main) read at the same time, side by side")
    parser.add_argument("--code", help="read with this checkout's code (set by --against)")
    parser.add_argument("--json", help="write the summary here (set by --against)")
    args = parser.parse_args()
    _count_commands()
    if args.concurrent:
        concurrent(args.concurrent, max(args.n, args.concurrent))
        return
    items = cases(args.n, args.variants.split(","), tuple(int(d) for d in args.dpi.split(",")), args.seed)
    print(f"ID-card reading: {args.n} cards per variant (2021/2024 alternating, "
          f"seeds {args.seed}+); cells are right/missing/flagged-wrong/silently-wrong/falsely-flagged")
    base = None
    if args.against:
        out = str(Path(tempfile.mkdtemp()) / "base.json")
        argv = [a for a in sys.argv[1:] if a != "--show"]
        i = argv.index("--against")
        argv[i:i + 2] = ["--code", args.against, "--json", out, "--no-baseline"]
        loads = [os.getloadavg()[0]]
        base = subprocess.Popen([sys.executable, __file__, *argv], stdout=subprocess.DEVNULL)
    ours = report(f"product (TesseractIdCardReader, {CODE})", measure(read_ours, items, args.show))
    if args.json:
        Path(args.json).write_text(json.dumps(ours))
    if base:
        base.wait()
        loads.append(os.getloadavg()[0])
        side_by_side(ours, json.loads(Path(out).read_text()), args.against, [f"{x:.1f}" for x in loads])
    if not args.no_baseline:
        report("baseline (zxing raw + tesseract -l vie whole image)", measure(read_baseline, items))


if __name__ == "__main__":
    main()
