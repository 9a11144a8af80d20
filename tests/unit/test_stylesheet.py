"""Every utility class the pages write exists in a stylesheet the browser gets (no in-browser Tailwind)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nicegui

ROOT = Path(__file__).resolve().parents[2]
NICEGUI_STATIC = Path(nicegui.__file__).parent / "static"
STYLESHEETS = [ROOT / "components" / "static" / "app.css", NICEGUI_STATIC / "quasar.unimportant.prod.css",
               NICEGUI_STATIC / "quasar.important.prod.css", NICEGUI_STATIC / "nicegui.css",
               NICEGUI_STATIC / "fonts.css"]
# Marker classes for tests and our own component CSS (components/frame.py and friends).
OWN = re.compile(r"^(ct-|nicegui-|material-|notranslate$)")


def class_tokens() -> dict[str, str]:
    """Class name → first place written, from `.classes(...)` calls and `class="..."` in HTML strings."""
    found: dict[str, str] = {}
    for folder in ("pages", "components"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                texts: list[str] = []
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and node.func.attr == "classes":
                    for arg in [*node.args, *(k.value for k in node.keywords)]:
                        texts += _constants(arg)
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    texts += re.findall(r'class="([^"{}]*)"', node.value)
                for text in texts:
                    for token in text.split():
                        found.setdefault(token, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _constants(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):  # f"w-full {colour} p-4": the literal parts only
        return [" ".join(v.value for v in node.values if isinstance(v, ast.Constant))]
    return []


def selectors() -> set[str]:
    css = "\n".join(p.read_text() for p in STYLESHEETS)
    names = re.findall(r"\.((?:\\.|[A-Za-z0-9_-])+)", css)
    return {re.sub(r"\\(.)", r"\1", n) for n in names}


def test_every_class_used_by_pages_is_in_a_served_stylesheet():
    known = selectors()
    missing = {token: where for token, where in class_tokens().items()
               if not OWN.match(token) and token not in known}
    assert not missing, f"classes without CSS (run `make css`): {missing}"


def test_stylesheet_is_one_small_file_with_no_runtime_compiler():
    css = (ROOT / "components" / "static" / "app.css").read_text()
    assert len(css.encode()) < 40_000
    assert "text/tailwindcss" not in css
    assert (ROOT / "components" / "static" / "icons.woff2").stat().st_size < 30_000


def test_the_check_sees_a_class_that_is_missing(tmp_path):
    assert "w-full" in selectors() and "sm:w-64" in selectors()
    assert "no-such-utility-42" not in selectors()
