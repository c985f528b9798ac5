"""No import cycle among a package's modules, function-level imports included.

The imports are read from the source (AST), not by importing: a cycle hidden in a function
body (a submodule importing from the package ``__init__`` that imports it) counts as much as
a module-level one. ``from pkg import name`` is an edge to ``pkg`` (its ``__init__``: the
name is read from its namespace), and to ``pkg.name`` too when that is a module; ``from
pkg.mod import name`` is an edge to ``pkg.mod`` only. To see a package's graph:

    .venv/bin/python tests/test_import_graph.py indexer
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Packages whose modules must import one another without a cycle. crawler, search_app and
# tracuu join this list once their own cycles are gone (issue 16's other half).
PACKAGES = ["indexer"]


def module_files(package: str) -> dict[str, Path]:
    """Module name → source file, for every module of ``package`` (its ``__init__`` is the
    package's own name)."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_modules(path: Path, module: str, modules: set[str]) -> set[str]:
    """The modules of ``modules`` that ``path`` imports, anywhere in it."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            found.add(base)  # the names are read from its namespace, after its code ran
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found & modules


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    keep = len(parts) - node.level + (1 if is_package else 0)
    base = parts[:keep]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(package: str) -> dict[str, set[str]]:
    """Module → the modules of the same package it imports."""
    files = module_files(package)
    return {
        module: imported_modules(path, module, set(files)) - {module}
        for module, path in files.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle(package):
    graph = import_graph(package)
    assert len(graph) > 1
    assert cycles(graph) == []


def test_a_cycle_through_a_function_level_import_is_found(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from pkg.low import helper\n", encoding="utf-8")
    (package / "low.py").write_text(
        "def helper():\n    from pkg import CONSTANT\n    return CONSTANT\n", encoding="utf-8"
    )
    (package / "leaf.py").write_text("from pkg import low\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    graph = import_graph("pkg")
    assert graph["pkg.leaf"] == {"pkg", "pkg.low"}
    assert cycles(graph) == [["pkg", "pkg.low"]]


if __name__ == "__main__":
    graph = import_graph(sys.argv[1] if len(sys.argv) > 1 else "indexer")
    for name, targets in sorted(graph.items()):
        print(f"{name} -> {', '.join(sorted(targets))}")
    print("cycles:", cycles(graph) or "none")
