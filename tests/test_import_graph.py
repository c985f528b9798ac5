"""No import cycle, function-level imports included; data flows one way (ARCHITECTURE.md).

The imports are read from the source (AST), not by importing, by tools/import_graph.py: a
cycle hidden in a function body (a submodule importing from the package ``__init__`` that
imports it) counts as much as a module-level one. ``from pkg import name`` is an edge to
``pkg`` (its ``__init__``: the name is read from its namespace), and to ``pkg.name`` too when
that is a module; ``from pkg.mod import name`` is an edge to ``pkg.mod`` only. To see the graph:

    .venv/bin/python tools/import_graph.py [--package indexer] [--cycles]
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "import_graph.py"


def _load_tool():
    spec = importlib.util.spec_from_file_location("import_graph", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("import_graph", module)
    spec.loader.exec_module(module)
    return module


import_graph = _load_tool()
OURS, EXTERNAL = import_graph.build_graph()


def _of(package: str) -> list[str]:
    return [m for m in OURS if m == package or m.startswith(package + ".")]


def _explain(graph, found) -> str:
    return "; ".join(" → ".join(import_graph.cycle_path(graph, c)) for c in found)


@pytest.mark.parametrize("package", import_graph.PACKAGES)
def test_no_import_cycle(package):
    assert len(_of(package)) > 1, f"no modules found for {package}"
    found = import_graph.cycles(OURS, [package])
    assert not found, _explain(OURS, found)


def test_no_cycle_across_packages():
    found = import_graph.cycles(OURS)
    assert not found, _explain(OURS, found)


def test_crawler_imports_nothing_of_ours():
    outside = {(m, t) for m in _of("crawler") for t in OURS[m] if t.split(".")[0] != "crawler"}
    assert not outside


def test_indexer_imports_only_the_article_contract_of_the_crawler():
    outside = {(m, t) for m in _of("indexer") for t in OURS[m] if t.split(".")[0] != "indexer"}
    assert {t for _, t in outside} <= {"crawler.article"}, sorted(outside)


def test_search_app_reaches_the_index_only_through_the_indexer():
    engines = {(m, e) for m in _of("search_app") for e in EXTERNAL[m] if e in {"whoosh", "tantivy"}}
    assert not engines
    crawler = {(m, t) for m in _of("search_app") for t in OURS[m] if t.startswith("crawler")}
    assert {t for _, t in crawler} <= {"crawler.article"}, sorted(crawler)
    # The archive (store, WARC files) reaches the app as functions in its config (tracuu).
    tracuu = {(m, t) for m in _of("search_app") for t in OURS[m] if t.startswith("tracuu")}
    assert not tracuu


def test_blueprints_never_import_the_factory():
    importers = {m for m in _of("search_app") if "search_app.app" in OURS[m]}
    assert not importers


# -- the walker itself, on a small tree of its own ------------------------------------------
def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_walker_sees_late_relative_and_type_checking_imports(tmp_path):
    root = _tree(
        tmp_path,
        {
            "crawler/__init__.py": "",
            "crawler/a.py": "def f():\n    from crawler import b\n",
            "crawler/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import X\n",
            "crawler/c.py": "import crawler.a\nimport whoosh.index\nX = 1\n",
            "crawler/d.py": "from crawler.c import X\n",
        },
    )
    ours, external = import_graph.build_graph(root, ["crawler"])
    assert ours["crawler.a"] == {"crawler", "crawler.b"} and ours["crawler.b"] == {"crawler.c"}
    assert ours["crawler.c"] == {"crawler.a"} and external["crawler.c"] >= {"whoosh"}
    assert import_graph.cycles(ours) == [["crawler.a", "crawler.b", "crawler.c"]]
    path = import_graph.cycle_path(ours, ["crawler.a", "crawler.b", "crawler.c"])
    assert path == ["crawler.a", "crawler.b", "crawler.c", "crawler.a"]


PACKAGE_INIT_CASES = {
    # the package's __init__ imports views late; views imports a sibling *from the package*
    "from the package init that imports you": {
        "search_app/__init__.py": "def app():\n    from search_app.views import bp\n",
        "search_app/views.py": "from search_app import flags\nbp = 1\n",
        "search_app/flags.py": "",
    },
    # the indexer half's case: a name read from the package inside a function
    "a function-level import of a package name": {
        "search_app/__init__.py": "from search_app.views import helper\n",
        "search_app/views.py": "def helper():\n    from search_app import flags\n",
        "search_app/flags.py": "",
    },
}


@pytest.mark.parametrize("files", PACKAGE_INIT_CASES.values(), ids=PACKAGE_INIT_CASES.keys())
def test_importing_from_the_package_init_that_imports_you_is_a_cycle(tmp_path, files):
    ours, _ = import_graph.build_graph(_tree(tmp_path, files), ["search_app"])
    assert ours["search_app.views"] == {"search_app", "search_app.flags"}
    assert import_graph.cycles(ours) == [["search_app", "search_app.views"]]


def test_the_command_prints_the_graph(capsys):
    assert import_graph.main(["--package", "crawler"]) == 0
    out = capsys.readouterr().out
    assert "crawler.crawl -> " in out and "crawler.capture" in out


if __name__ == "__main__":  # `python tests/test_import_graph.py indexer`, as before
    sys.exit(import_graph.main([f"--package={p}" for p in sys.argv[1:]]))
