"""The layers hold: main → pages → components → app → domain, imports only go down (or sideways inside
a layer, except between pages); `domain` knows neither `app` nor NiceGUI; no page or component opens a
database session (reads go through app/views, writes through app.web.actions.run_action)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["domain", "app", "components", "pages"]  # lowest first; main.py sits above them all
SESSION_USE = re.compile(r"\bSession\(|\bwrite_scope\b|\bsession_scope\b|\bsession\.exec\b")


def modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


def imported_packages(path: Path) -> set[str]:
    """Dotted names this module imports, at any depth (imports inside functions count too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_only_go_down(layer):
    above = set(LAYERS[LAYERS.index(layer) + 1:]) | {"main"}
    wrong = [f"{path.relative_to(ROOT)} imports {name}" for path in modules(layer)
             for name in sorted(imported_packages(path)) if top(name) in above]
    assert not wrong, "an import goes up a layer:\n" + "\n".join(wrong)


def test_domain_knows_neither_app_nor_nicegui():
    wrong = [f"{path.relative_to(ROOT)} imports {name}" for path in modules("domain")
             for name in sorted(imported_packages(path)) if top(name) in {"app", "nicegui", "fastapi"}]
    assert not wrong, "\n".join(wrong)


def test_no_page_imports_another_page():
    wrong = []
    for path in modules("pages"):
        if path.name == "__init__.py":
            continue
        own = f"pages.{path.stem}"
        wrong += [f"{path.relative_to(ROOT)} imports {name}" for name in sorted(imported_packages(path))
                  if top(name) == "pages" and name != "pages" and not name.startswith(own)]
    assert not wrong, "pages share code through components/ or app/views, not each other:\n" + "\n".join(
        wrong
    )


@pytest.mark.parametrize("layer", ["pages", "components"])
def test_no_screen_opens_a_database_session(layer):
    wrong = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}" for path in modules(layer)
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if SESSION_USE.search(line)]
    assert not wrong, (
        "a screen opens a session; read through app/views, write through app.web.actions.run_action:\n"
        + "\n".join(wrong)
    )


def test_production_code_stays_short():
    """A newcomer reads a piece in one sitting: functions up to 60 lines, files up to 300 (migrations aside;
    `python tools/sizes.py pages components app domain` lists them when this fails)."""
    from tools.sizes import long_pieces

    long = long_pieces([str(ROOT / folder) for folder in ("pages", "components", "app", "domain")])
    assert not long, "\n".join(long)
