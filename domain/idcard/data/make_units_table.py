"""Rebuild admin_units.txt from the vietnam-provinces package (not a run-time dependency).

    pip install --target /tmp/vp2023 vietnam-provinces==0.5.0      # GSO list of 2023-05-07
    pip install --target /tmp/vp2025 vietnam-provinces==0.6.0      # GSO list of 2025-01-04
    pip install --target /tmp/vp2025b vietnam-provinces==2025.10.1 # GSO list of 2025-08-02
    python domain/idcard/data/make_units_table.py /tmp/vp2023 /tmp/vp2025 /tmp/vp2025b

Cards keep printing the units of the day they were issued, so the two lists before the 2025
reorganisation are merged (a district or commune present in either is valid).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HEADER = """\
# Administrative units of Viet Nam, for checking places read from ID cards (domain/idcard/units.py).
# Source: the General Statistics Office's list (danhmuchanhchinh.gso.gov.vn) as packaged in the
# PyPI package vietnam-provinces: 0.5.0 (data of 2023-05-07) and 0.6.0 (2025-01-04) for the
# 63 provinces with districts and communes, merged; 2025.10.1 (2025-08-02) for the 34 provinces
# and their communes after the reorganisation of 1 July 2025. Rebuilt by make_units_table.py.
# Lines: "L <code> <province>" (before 2025) then "D <district>" then its communes joined by "|";
#        "N <code> <province>" (since July 2025) then its communes joined by "|".
"""


def _nested(root: str) -> list[dict]:
    return json.loads((Path(root) / "vietnam_provinces/data/nested-divisions.json").read_text("utf-8"))


def main(old1: str, old2: str, new: str) -> None:
    legacy: dict[int, tuple[str, dict[str, set[str]]]] = {}
    for root in (old1, old2):
        for p in _nested(root):
            name, districts = legacy.setdefault(p["code"], (p["name"], {}))
            for d in p["districts"]:
                districts.setdefault(d["name"], set()).update(w["name"] for w in d["wards"])
    lines = [HEADER.rstrip("\n")]
    for code, (name, districts) in sorted(legacy.items()):
        lines.append(f"L {code:02d} {name}")
        for district, wards in districts.items():
            lines.append(f"D {district}")
            lines.append("|".join(sorted(wards)))
    for p in _nested(new):
        lines.append(f"N {p['code']:02d} {p['name']}")
        lines.append("|".join(sorted(w["name"] for w in p["wards"])))
    out = Path(__file__).with_name("admin_units.txt")
    out.write_text("\n".join(lines) + "\n", "utf-8")
    print(out, out.stat().st_size, "bytes")


if __name__ == "__main__":
    main(*sys.argv[1:4])
