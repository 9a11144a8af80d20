"""Report functions over 60 lines and files over 300 lines (default: pages/ and components/).

    python tools/sizes.py [folder ...]
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

MAX_FUNCTION, MAX_FILE = 60, 300


def long_pieces(folders: list[str]) -> list[str]:
    found = []
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            lines = len(text.splitlines())
            if lines > MAX_FILE:
                found.append(f"{path}: {lines} lines")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    length = node.end_lineno - node.lineno + 1
                    if length > MAX_FUNCTION:
                        found.append(f"{path}:{node.lineno} {node.name}: {length} lines")
    return found


if __name__ == "__main__":
    pieces = long_pieces(sys.argv[1:] or ["pages", "components"])
    print("\n".join(pieces) or "nothing too long")
    sys.exit(1 if pieces else 0)
