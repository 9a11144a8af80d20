"""Subset NiceGUI's Material Icons font to the icons this app names (129 kB → a few kB).

Run by `make css` (needs `brotli` for WOFF2, installed into tools/css/pydeps). The icons are
ligatures: the letters "menu" become the menu glyph, so we keep the letters and only the
ligatures whose names occur as quoted words in our sources, plus Quasar's own icon set.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
NICEGUI_FONT = "0c19a63c7528cc1a.woff2"  # "Material Icons" in nicegui/static/fonts.css
# Icons Quasar itself draws (select arrows, chips, tables, expansion items, uploader).
QUASAR_ICONS = [
    "check_circle",
    "warning",
    "info",
    "priority_high",
    "arrow_upward",
    "arrow_forward",
    "arrow_downward",
    "arrow_back",
    "arrow_drop_down",
    "chevron_left",
    "chevron_right",
    "keyboard_arrow_up",
    "keyboard_arrow_down",
    "cancel",
    "check",
    "access_time",
    "today",
    "close",
    "error",
    "first_page",
    "keyboard_arrow_left",
    "keyboard_arrow_right",
    "last_page",
    "done",
    "clear",
    "add_box",
    "cloud_upload",
    "clear_all",
    "done_all",
    "add",
    "edit",
    "remove",
    "visibility",
    "visibility_off",
]


def ligatures(font: TTFont) -> dict[str, str]:
    """Icon name → glyph name, read from the font's ligature substitutions."""
    char_of = {glyph: chr(code) for code, glyph in font["cmap"].getBestCmap().items()}
    names: dict[str, str] = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for sub in lookup.SubTable:
            sub = getattr(sub, "ExtSubTable", sub)
            for first, ligs in getattr(sub, "ligatures", {}).items():
                for lig in ligs:
                    name = "".join(char_of.get(g, "?") for g in [first, *lig.Component])
                    names[name] = lig.LigGlyph
    return names


def used_words() -> set[str]:
    words: set[str] = set()
    for folder in ("pages", "components", "app"):
        for path in (ROOT / folder).rglob("*.py"):
            words.update(re.findall(r"""["'=: ]([a-z][a-z0-9_]{1,40})["' ]""", path.read_text()))
    return words


def main(source: str, target: str) -> None:
    font = TTFont(source)
    names = ligatures(font)
    wanted = sorted((used_words() | set(QUASAR_ICONS)) & names.keys())
    glyphs = (
        ["glyph00001", "glyph00002"]
        + [g for g in font.getGlyphOrder() if len(g) > 1 and not g.startswith("uni")]
        + [names[n] for n in wanted]
    )
    options = subset.Options(layout_closure=False, layout_features=["rlig", "liga"], flavor="woff2",
                             notdef_outline=True, name_IDs=["*"])
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=glyphs, unicodes=[ord(c) for c in "0123456789_abcdefghijklmnopqrstuvwxyz"])
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(target)
    print(f"{len(wanted)} icons → {Path(target).stat().st_size} bytes: {' '.join(wanted)}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
