"""Issue 28: a state change is committed in one place, the unit of work (domain/unit_of_work.py, implemented
by app/db.py), once, when the use case the runner opened it for returns. No use case, adapter or job
commits by itself."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNIT_OF_WORK = {"domain/unit_of_work.py"}  # `committed` (app/db.py and tests/fakes.py open it)


def commits_in(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"]


def test_nothing_commits_outside_the_unit_of_work():
    found = [f"{path.relative_to(ROOT)}:{line}"
             for folder in ("app", "domain") for path in sorted((ROOT / folder).rglob("*.py"))
             if str(path.relative_to(ROOT)) not in UNIT_OF_WORK for line in commits_in(path)]
    assert found == [], ("commit() outside the unit of work: a use case only changes rows; the runner's unit "
                         f"of work (domain.unit_of_work.committed) commits once when it returns: {found}")


def test_the_unit_of_work_commits():
    assert commits_in(ROOT / "domain/unit_of_work.py")
