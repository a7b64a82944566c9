"""The architecture holds: no import cycle, the layers point inward, small folders and small files.

The source is read with :mod:`ast`, never imported, so every import statement counts: at module
level, inside a function (the CLI's lazy imports) and under ``if TYPE_CHECKING:``. An import names
the project module it loads::

    import workflow.reports.compute           → workflow.reports.compute
    from workflow.reports import compute      → workflow.reports.compute (a module)
    from workflow.reports.compute import ALL  → workflow.reports.compute (a name in it)
    from workflow import reports              → workflow.reports (the package's __init__)
    from . import render                      → the sibling module render

Standard-library and third-party imports are not the project's and are left out. A finding names
the file and line of each import, so a cycle reads as the chain to cut::

    workflow/alerts/delivery.py:37 imports workflow.alerts.sweep → workflow/alerts/sweep.py:50 imports workflow.alerts.delivery
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("rules", "workflow", "cli", "config")  # the project's top-level packages (pyproject.toml)
SMALL = ("rules", "workflow", "cli")  # where folders and modules are kept small
MODULES_PER_FOLDER = 12
LINES_PER_MODULE = 350
CYCLES_SHOWN = 50


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the imported project module, dotted
    path: str  # the importing file, relative to the root
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.target}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """Every module of the project, dotted name → file."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            found[module_name(path, root)] = path
    return found


def _base(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The module a ``from … import`` reads from, relative imports resolved."""
    if not node.level:
        return node.module or ""
    here = module.split(".") if is_package else module.split(".")[:-1]
    anchor = here[: len(here) - (node.level - 1)]
    return ".".join([*anchor, *([node.module] if node.module else [])])


def imports_of(path: Path, module: str, known: dict[str, Path], root: Path) -> Iterator[Import]:
    """The project modules one file imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    rel, is_package = str(path.relative_to(root)), path.name == "__init__.py"
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _base(node, module, is_package)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        for target in dict.fromkeys(targets):
            if target in known and target != module:
                yield Import(module, target, rel, node.lineno)


def graph(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, list[Import]]:
    """Each module → its imports of project modules (one per imported module: the first line)."""
    known = modules(root, packages)
    out: dict[str, list[Import]] = {}
    for name, path in known.items():
        first: dict[str, Import] = {}
        for imp in sorted(imports_of(path, name, known, root), key=lambda i: i.line):
            first.setdefault(imp.target, imp)
        out[name] = list(first.values())
    return out


def _components(edges: dict[str, list[Import]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                t = child.target
                if t not in index:
                    index[t] = low[t] = len(index)
                    stack.append(t)
                    on_stack.add(t)
                    work.append((t, iter(edges.get(t, []))))
                elif t in on_stack:
                    low[node] = min(low[node], index[t])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    members.append(m)
                    if m == node:
                        break
                if len(members) > 1:
                    found.append(sorted(members))
    return found


def cycles(edges: dict[str, list[Import]], limit: int = CYCLES_SHOWN) -> list[list[Import]]:
    """The elementary cycles, each as its chain of imports starting at its smallest module."""
    out: list[list[Import]] = []
    for members in _components(edges):
        inside = set(members)
        for start in members:  # cycles through `start` that use no smaller module
            allowed = {m for m in inside if m >= start}
            path: list[Import] = []

            def walk(node: str, start: str = start, allowed: set[str] = allowed, path: list[Import] = path) -> None:
                for imp in edges[node]:
                    if len(out) >= limit:
                        return
                    if imp.target == start:
                        out.append([*path, imp])
                    elif imp.target in allowed and all(p.source != imp.target for p in path):
                        path.append(imp)
                        walk(imp.target)
                        path.pop()

            walk(start)
    return out


def chain(cycle: list[Import]) -> str:
    return " → ".join(str(imp) for imp in cycle)


def crossings(edges: dict[str, list[Import]], inside: str, forbidden: tuple[str, ...]) -> list[str]:
    """Imports by modules of package ``inside`` of modules under any of ``forbidden``."""
    def under(name: str, package: str) -> bool:
        return name == package or name.startswith(package + ".")

    return [str(imp) for source, imps in sorted(edges.items()) if under(source, inside)
            for imp in imps if any(under(imp.target, f) for f in forbidden)]


# -- the project ----------------------------------------------------------------------------------

def test_no_module_imports_itself_back_through_others() -> None:
    chains = [chain(c) for c in cycles(graph())]
    assert chains == [], "import cycles (cut one import of each chain):\n" + "\n".join(chains)


def test_rules_import_nothing_of_the_project_outside_rules() -> None:
    others = tuple(p for p in PACKAGES if p != "rules")
    assert crossings(graph(), "rules", others) == []


def test_workflow_imports_nothing_from_the_cli() -> None:
    assert crossings(graph(), "workflow", ("cli",)) == []


def test_no_folder_holds_more_than_twelve_modules_side_by_side() -> None:
    crowded = {}
    for package in SMALL:
        for folder in [ROOT / package, *(p for p in (ROOT / package).rglob("*") if p.is_dir())]:
            names = [p.name for p in folder.glob("*.py") if p.name != "__init__.py"]
            if len(names) > MODULES_PER_FOLDER:
                crowded[str(folder.relative_to(ROOT))] = len(names)
    assert crowded == {}


def test_no_module_is_longer_than_350_lines() -> None:
    long = {str(path.relative_to(ROOT)): n for name, path in modules(ROOT, SMALL).items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > LINES_PER_MODULE}
    assert long == {}


# -- the checker itself, on a small tree ------------------------------------------------------------

def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_every_import_statement_counts_and_a_cycle_reads_as_its_chain(tmp_path: Path) -> None:
    _tree(tmp_path, {
        "app/__init__.py": "",
        "app/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.b import B\n",
        "app/b.py": "import os\n\ndef f():\n    from app import c\n",
        "app/c.py": "from . import a\n",
        "app/d.py": "import app.a\nfrom app import sub\n",
        "app/sub/__init__.py": "from ..d import x\n",
    })
    edges = graph(tmp_path, ("app",))
    assert {m: [i.target for i in imps] for m, imps in edges.items()} == {
        "app": [], "app.a": ["app.b"], "app.b": ["app.c"], "app.c": ["app.a"], "app.d": ["app.a", "app.sub"],
        "app.sub": ["app.d"]}
    assert [chain(c) for c in cycles(edges)] == [
        "app/a.py:3 imports app.b → app/b.py:4 imports app.c → app/c.py:1 imports app.a",
        "app/d.py:2 imports app.sub → app/sub/__init__.py:1 imports app.d",
    ]
    assert crossings(edges, "app.sub", ("app.d",)) == ["app/sub/__init__.py:1 imports app.d"]
