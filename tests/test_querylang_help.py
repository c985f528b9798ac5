"""The help page (search_app/templates/help_query.html) documents the query language as it is."""

from __future__ import annotations

import html
from pathlib import Path

import jinja2

from indexer.querylang import FIELD_PREFIXES, MAX_TERMS, parse_query

HELP_TEMPLATE = Path(__file__).parent.parent / "search_app" / "templates" / "help_query.html"


def render_help() -> tuple[str, list[str]]:
    """The help page's text and the query of every clickable example on it."""
    examples: list[str] = []

    def url_for(endpoint: str, **params: str) -> str:
        examples.append(params["q"])
        return "#"

    env = jinja2.Environment(
        loader=jinja2.DictLoader(
            {"base.html": "{% block content %}{% endblock %}", "help": HELP_TEMPLATE.read_text()}
        ),
        autoescape=True,
    )
    env.globals["url_for"] = url_for
    return html.unescape(env.get_template("help").render()), examples


def test_help_examples_parse_cleanly():
    _, examples = render_help()
    assert len(examples) >= 30
    for example_query in examples:
        parsed = parse_query(example_query)
        assert parsed.warnings == (), example_query
        assert parsed.root is not None or parsed.date_from or parsed.date_to, example_query


def test_help_names_every_prefix_spelling_and_operator():
    page, _ = render_help()
    spellings = ["tiêuđề:", "người:", "nguồn:", "chuyênmục:", "ngày:"]
    spellings += [f"{prefix}:" for prefix in FIELD_PREFIXES]
    for needle in [*spellings, "OR", "HOẶC", "hoặc", "|", "AND", "NOT", str(MAX_TERMS), ".."]:
        assert needle in page, needle


def test_every_help_example_returns_results_on_the_demo_data(client):
    """Click any example on /huong-dan with the bundled demo: it finds something."""
    _, examples = render_help()
    empty = [
        q for q in examples if not client.get("/api/search", query_string={"q": q}).json["total"]
    ]
    assert empty == []


def test_every_readme_search_example_returns_results_on_the_demo_data(crawled_sample, capsys):
    """The README's `tracuu search` examples are what a newcomer runs first: on the bundled
    demo data each must find something."""
    import re
    import shlex
    from pathlib import Path

    from tracuu.cli import main

    data_dir, _report = crawled_sample
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"^\s+\.venv/bin/tracuu (search .+?)(?:\s+#.*)?$", readme, re.M)
    assert len(examples) >= 4
    for example in examples:
        argv = shlex.split(example)
        argv = [a for a in argv if a != "--json"] + ["--data-dir", str(data_dir)]
        assert main(argv) == 0, example
        out = capsys.readouterr().out
        found = int(out.split(" kết quả", 1)[0].split()[-1])
        assert found > 0, example
