"""The issue's 'Done when' figures of bench_idcard.py, this checkout against a base read at the same time."""
from __future__ import annotations

TARGETS = {"id_number": 98, "date_of_birth": 98, "sex": 98, "nationality": 98, "full_name": 95,
           "place_of_residence": 90, "place_of_origin": 85, "issue_date": 90, "expiry_date": 90}
FIELDS = tuple(TARGETS)


def side_by_side(ours: dict, base: dict, base_code: str, loads: list) -> None:
    """The issue's 'Done when' figures, this checkout against the base, measured at the same time."""
    print(f"\n== Done when: this checkout vs {base_code} ({ours['reads']} reads each, run at the same time; "
          f"load average at start / end {loads[0]} / {loads[1]})")
    print(f"  {'figure (goal)':44} {'this':>18} {'base':>18}  met")
    rows = [(f"{f} (>= {TARGETS[f]} %)", f"{ours['right'][f]:.1f} %", f"{base['right'][f]:.1f} %",
             ours["right"][f] >= TARGETS[f]) for f in FIELDS]
    rows.append(("silently wrong ID or date (0)", str(ours["silent"]), str(base["silent"]),
                 ours["silent"] == 0))
    for title, false, total in (("warnings on right values, every one", "false", "warnings"),
                                ("  the same without 'expired' notices", "false", "doubts"),
                                ("warned fields holding a right value", "field_false", "field_valued")):
        for r in (ours, base):
            r["doubts"] = r["warnings"] - r["notices"] - r["unjudged"]
        share = [100 * r[false] / max(r[total], 1) for r in (ours, base)]
        rows.append((f"{title} (<= 10 %)", f"{ours[false]}/{ours[total]} = {share[0]:.1f} %",
                     f"{base[false]}/{base[total]} = {share[1]:.1f} %", share[0] <= 10))
    rows.append(("reads failed", str(ours["failed"]), str(base["failed"]), True))
    for i, goal in ((0, 1.5), (1, 3.0)):
        rows.append((f"CPU {('median', 'p90')[i]} s (<= {goal})", f"{ours['cpu'][i]:.2f}",
                     f"{base['cpu'][i]:.2f}", ours["cpu"][i] <= goal))
    rows.append(("CPU mean s", f"{ours['cpu'][2]:.2f}", f"{base['cpu'][2]:.2f}", True))
    rows.append(("tesseract calls per read (mean)", f"{ours['calls'][1]:.1f}", f"{base['calls'][1]:.1f}",
                 True))
    for name, a, b, met in rows:
        print(f"  {name:44} {a:>18} {b:>18}  {'met' if met else 'NOT met'}")
