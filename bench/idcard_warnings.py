"""bench_idcard.py's count of warnings: which fire on right values, counted two ways, grouped by message.

A warning is judged by the fields it is attached to: false when every one of them holds the right
value, true when one is missing or wrong; 'Thẻ đã hết hạn' on a card that has expired is a notice
(true); a warning on no field, or on a field the bench cannot judge, is counted apart."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date

JUDGED = ("id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_origin",
          "place_of_residence", "issue_date", "expiry_date", "place_of_birth")


def same(got, want) -> bool:
    if isinstance(got, str) and isinstance(want, str):
        return " ".join(got.split()).casefold() == " ".join(want.split()).casefold()
    return got == want


def is_notice(name: str, warning: str, want) -> bool:
    """'The card has expired' on a card that has: information, not a false alarm."""
    return (name == "expiry_date" and warning.startswith("Thẻ đã hết hạn")
            and want is not None and want < date.today())


def judge(data, warning: str, want: dict) -> str:
    """'false' (every field it names is right), 'true', 'notice' or 'unjudged' (no field the bench knows)."""
    fields = [f for f, notes in data.field_warnings.items() if warning in notes]
    if not fields or any(f not in JUDGED for f in fields):
        return "unjudged"
    if all(is_notice(f, warning, want.get(f)) for f in fields):
        return "notice"
    right = [f for f in fields if getattr(data, f) is not None and same(getattr(data, f), want.get(f))]
    return "false" if right == fields else "true"


def key(warning: str) -> str:
    """The message without what was read: «…» quotes, digits and dates become placeholders."""
    text = re.sub(r"«[^»]*»", "«…»", warning)
    text = re.sub(r"\d+(/\d+)*", "#", text)
    return text[:120]


class Tally:
    """Every warning of every read, and every warned field, of one bench run."""

    def __init__(self) -> None:
        self.kinds: Counter = Counter()            # false / true / notice / unjudged
        self.fields: Counter = Counter()           # warned field: right / wrong / missing
        self.groups: dict[str, Counter] = defaultdict(Counter)
        self.examples: dict[str, list[str]] = defaultdict(list)

    def add(self, data, want: dict, where: str) -> None:
        if data is None:
            return
        for warning in data.warnings:
            kind = judge(data, warning, want)
            self.kinds[kind] += 1
            self.groups[key(warning)][kind] += 1
            if kind == "false" and len(self.examples[key(warning)]) < 3:
                self.examples[key(warning)].append(f"{where}: {warning[:140]}")
        for name, notes in data.field_warnings.items():
            notes = [w for w in notes if not is_notice(name, w, want.get(name))]
            if name not in JUDGED or not notes:
                continue
            got = getattr(data, name)
            self.fields["missing" if got is None else "right" if same(got, want.get(name)) else "wrong"] += 1

    def summary(self) -> dict:
        k, f = self.kinds, self.fields
        return {"warnings": sum(k.values()), "false": k["false"], "notices": k["notice"],
                "unjudged": k["unjudged"], "field_false": f["right"],
                "field_valued": f["right"] + f["wrong"], "field_all": sum(f.values())}

    def report(self) -> None:
        s = self.summary()
        judged = s["warnings"] - s["unjudged"]
        print(f"  warnings: {s['warnings']} in all ({s['notices']} 'card expired' notices, "
              f"{s['unjudged']} on no field the bench can judge)")
        for title, false, total in (
            ("every warning", s["false"], s["warnings"]),
            ("every judged warning but the expired notices", s["false"], judged - s["notices"]),
            ("per warned field holding a value", s["field_false"], s["field_valued"]),
            ("per warned field, empty ones too", s["field_false"], s["field_all"]),
        ):
            print(f"  on right values, {title}: {false}/{total} = {100 * false / max(total, 1):.1f}% "
                  "(goal <= 10%)")
        print("  warnings by message (false = on right values / true / notice / unjudged):")
        for text, c in sorted(self.groups.items(), key=lambda kv: (-kv[1]["false"], -sum(kv[1].values()))):
            print(f"    {c['false']:3} / {c['true']:3} / {c['notice']:3} / {c['unjudged']:3}  {text}")
            for line in self.examples.get(text, []):
                print(f"          e.g. {line}")
