"""The advanced search form: fields a journalist fills in, composed into the query language.

The form is a plain GET to ``/nang-cao/tim``, which writes the query and redirects to the
results page, so it works without JavaScript and the search box then shows the query the form
wrote: the journalist learns the language by using the form.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

bp = Blueprint("advanced", __name__)

# Field prefixes of the query language (/huong-dan), one per form field that restricts a field.
FIELD_PREFIXES = (("title", "tieude"), ("person", "nguoi"), ("source", "nguon"))
FIELD_PREFIXES += (("category", "chuyenmuc"), ("place", "noi"))


def _words(text: str) -> list[str]:
    # A double quote would end the quoted value the form writes: it is dropped, not escaped.
    return text.replace('"', " ").replace("“", " ").replace("”", " ").split()


def _quoted(text: str) -> str:
    words = _words(text)
    return f'"{" ".join(words)}"' if len(words) > 1 else "".join(words)


def _date_filter(start: str, end: str) -> str:
    start, end = start.strip(), end.strip()
    if not (start or end):
        return ""
    return f"ngay:{start}" if start == end else f"ngay:{start}..{end}"


def compose_query(form: MultiDict) -> str:
    """The query-language text for the form's fields (empty fields add nothing)."""
    parts = _words(form.get("all", ""))
    phrase = _words(form.get("phrase", ""))
    if phrase:
        parts.append('"' + " ".join(phrase) + '"')  # quoted even when one word: as typed
    any_of = _words(form.get("any", ""))
    parts.append("(" + " OR ".join(any_of) + ")" if len(any_of) > 1 else " ".join(any_of))
    for field, prefix in FIELD_PREFIXES:
        value = _quoted(form.get(field, ""))
        if value:
            parts.append(f"{prefix}:{value}")
    if form.get("history") == "1" and _words(form.get("place", "")):
        parts.append("+lichsu")  # the place's old and new units too
    parts += [f"-{word}" for word in _words(form.get("none", ""))]
    parts.append(_date_filter(form.get("from", ""), form.get("to", "")))
    return " ".join(p for p in parts if p)


@bp.get("/nang-cao")
def form():
    return render_template("advanced.html")


@bp.get("/nang-cao/tim")
def compose():
    args: dict[str, str] = {"q": compose_query(request.args)}
    if request.args.get("dau") == "0":
        args["dau"] = "0"  # diacritics ignored: the results page's own loosening
    return redirect(url_for("ui.search", **args))
