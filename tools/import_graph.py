"""Print the import graph of tracuu's packages and the cycles in it (tests/test_import_graph.py).

    .venv/bin/python tools/import_graph.py              # every module: what of ours it imports
    .venv/bin/python tools/import_graph.py --cycles     # only the cycles (exit 1 if any)
    .venv/bin/python tools/import_graph.py --package crawler --package search_app

Imports are read from the source (AST), not by importing: every ``import`` statement counts,
at module level, inside functions (the late imports that keep start-up fast) and under
``if TYPE_CHECKING`` alike, since each is a dependency a reader has to follow. ``import a.b``
and ``from a.b import C`` are edges to ``a.b``; ``from pkg import name`` is an edge to ``pkg``
(the name is read from its namespace) and to ``pkg.name`` too when that is a module — so a
submodule importing from the package ``__init__`` that imports it is a cycle. (The same rule
as the indexer half of issue 16 uses.)
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crawler", "indexer", "search_app", "tracuu")

Graph = dict[str, set[str]]  # module -> modules it imports (ours or third-party, by top name)


def module_files(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of ``packages``."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imported_names(path: Path, module: str) -> set[str]:
    """Every module name ``path`` imports (absolute, relative ones resolved), at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(node, module, is_package)
            # `from pkg import name` reads name from pkg's namespace once pkg's code ran: an
            # edge to pkg, and to pkg.name too when that is a module (build_graph resolves
            # each to the deepest module of ours of that name).
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names if a.name != "*")
    return names


def _resolve_from(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def build_graph(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> tuple[Graph, Graph]:
    """(ours, external): for each module, the modules of ours it imports, and the top-level
    names of the other packages it imports (``whoosh``, ``flask`` …)."""
    files = module_files(root, packages)
    ours: Graph = {}
    external: Graph = {}
    for module, path in files.items():
        ours[module], external[module] = set(), set()
        for name in imported_names(path, module):
            target = _our_module(name, files)
            if target is None:
                if name.split(".")[0] not in PACKAGES:
                    external[module].add(name.split(".")[0])
            elif target != module:
                ours[module].add(target)
    return ours, external


def _our_module(name: str, files: dict[str, Path]) -> str | None:
    """The deepest module of ours that ``name`` names (``pkg.mod.Class`` → ``pkg.mod``)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in files:
            return candidate
    return None


def cycles(graph: Graph, within: Iterable[str] | None = None) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), among ``within``
    (module-name prefixes; default every module), each sorted, largest first."""
    prefixes = tuple(within) if within else None

    def keep(module: str) -> bool:
        return prefixes is None or any(module == p or module.startswith(p + ".") for p in prefixes)

    nodes = [m for m in graph if keep(m)]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # recursion depth is bounded by the module count (~200)
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if not keep(target):
                continue
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

    for node in nodes:
        if node not in index:
            visit(node)
    return sorted(found, key=lambda c: (-len(c), c))


def cycle_path(graph: Graph, component: list[str]) -> list[str]:
    """One concrete loop through a component, to show a reader where to cut it."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}
    node = start
    while True:
        nxt = sorted(t for t in graph[node] if t in members)
        if start in nxt and len(path) > 1:
            return [*path, start]
        unseen = [t for t in nxt if t not in seen]
        if not unseen:
            return [*path, start] if start in nxt else path
        node = unseen[0]
        path.append(node)
        seen.add(node)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", action="append", choices=PACKAGES, help="default: all")
    parser.add_argument("--cycles", action="store_true", help="print only the cycles")
    args = parser.parse_args(argv)
    packages = args.package or list(PACKAGES)
    ours, external = build_graph()
    shown = [m for m in sorted(ours) if m.split(".")[0] in packages]
    if not args.cycles:
        for module in shown:
            imports = sorted(ours[module]) + sorted(f"({e})" for e in external[module])
            print(f"{module} -> {', '.join(imports) if imports else '∅'}")
    found = cycles(ours, packages)
    for component in found:
        print("cycle: " + " → ".join(cycle_path(ours, component)))
    print(f"{len(shown)} modules, {len(found)} cycle(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
