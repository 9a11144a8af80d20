"""Our modules in app/ and domain/ import each other without a cycle, and at the top: what a module
needs is in its first lines, not hidden in a function (where it used to close a cycle). The exceptions
are heavy libraries one rare path needs, each named with its reason."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "domain")

# Loaded inside the function that needs them: heavy to load, and only one path uses them.
LAZY_LIBRARIES = {
    "alembic": "only `migrate` needs it (0.3 s to load beside SQLAlchemy)",
    "psycopg": "only a PostgreSQL database's backup needs the driver itself (0.1 s; SQLite installs)",
    "pikepdf": "only an uploaded PDF original is normalised with qpdf (app/intake/pdf_normalize.py)",
    "pypdfium2": "only drawing a page (thumbnail, copy check, ID card in a PDF) needs pdfium (0.1-0.3 s)",
}
# Modules whose function-level imports are their design, with the reason. None today: the command line
# imports a command's module by name from its table (app/cli/__init__.py COMMANDS) when the command runs.
LAZY_MODULES: dict[str, str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def our_modules() -> dict[str, Path]:
    return {module_name(path): path for package in PACKAGES
            for path in sorted((ROOT / package).rglob("*.py"))}


def imports(path: Path) -> list[tuple[ast.stmt, bool]]:
    """Every import statement of the module, with whether it sits inside a function."""
    found: list[tuple[ast.stmt, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, in_function))
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return found


def imported_names(node: ast.stmt, module: str, is_package: bool) -> list[str]:
    """The dotted names a statement imports: `import x.y` names x.y; `from x import y` names x.y when that
    is a submodule, else x (a relative import made absolute)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
    return [f"{base}.{alias.name}" for alias in node.names] or [base]


def edges(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → our modules it imports, at any depth (inside functions too). `from pkg import sub` is an
    edge to sub alone: importing a submodule runs its package's __init__ first anyway."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node, _ in imports(path):
            for target in imported_names(node, name, path.name == "__init__.py"):
                while target and target not in modules:  # a name in a module: the module
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def test_no_import_cycle_among_our_modules():
    found = cycles(edges(our_modules()))
    assert not found, "modules that import each other (a leaf module or a port breaks it):\n" + "\n".join(
        " ↔ ".join(group) for group in found)


def test_imports_sit_at_the_top_of_the_module():
    wrong = []
    for name, path in our_modules().items():
        relative = path.relative_to(ROOT).as_posix()
        if relative in LAZY_MODULES:
            continue
        for node, in_function in imports(path):
            if not in_function:
                continue
            names = imported_names(node, name, path.name == "__init__.py")
            if not any(n.split(".")[0] in LAZY_LIBRARIES for n in names):
                wrong.append(f"{relative}:{node.lineno}: {ast.unparse(node)}")
    assert not wrong, ("an import inside a function (move it to the top; a heavy library one path needs "
                       "goes in LAZY_LIBRARIES with its reason):\n" + "\n".join(wrong))


def test_the_checks_see_a_cycle_and_a_hidden_import(tmp_path):
    """The graph is built right: a made-up pair of modules importing each other, one of them from inside a
    function, is a cycle, and that import is seen inside the function."""
    (tmp_path / "a.py").write_text("from pkg import b\n")
    (tmp_path / "b.py").write_text("def f():\n    from pkg.a import x\n    return x\n")
    found = imports(tmp_path / "b.py")
    assert [(ast.unparse(node), inside) for node, inside in found] == [("from pkg.a import x", True)]
    graph = {"pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": {"pkg.a"}}
    assert cycles(graph) == [["pkg.a", "pkg.b"]]


def test_which_key_signs_is_decided_in_one_place():
    """Signing, sealing and closing a year get their signer from app/signing/resolve.py (the remote
    approval, the demo key, the signing process included); nothing else builds one from a stored config."""
    builders = ("signer_from_config(", "signing_config(office", "signing_config(account", "build_signer(")
    allowed = ("app/signing/resolve.py", "app/signing/factory.py")
    paths = [path for folder in ("app", "domain", "components", "pages")
             for path in sorted((ROOT / folder).rglob("*.py"))
             if path.relative_to(ROOT).as_posix() not in allowed]
    wrong = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}" for path in paths
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if any(builder in line for builder in builders)]
    assert not wrong, "a signer built outside app/signing/resolve.py:\n" + "\n".join(wrong)
