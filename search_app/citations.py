"""Citations for an archived article: APA-like text (Vietnamese dates), BibTeX and RIS.

Pure functions of an Article, so they are easy to test and reuse (CLI, API). The access
date is the capture time (fetched_at): that is when the cited text was actually seen.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from crawler.article import VN_TZ, Article
from indexer.analysis import fold

_BIBTEX_SPECIALS = re.compile(r"([{}%&$#_\\~^])")
_BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\^{}"}


def _local_date(value: datetime | None) -> date | None:
    return value.astimezone(VN_TZ).date() if value else None


def vn_long_date(value: date) -> str:
    """'ngày 28 tháng 2 năm 2024' (how Vietnamese references spell dates)."""
    return f"ngày {value.day} tháng {value.month} năm {value.year}"


def _creator(article: Article) -> str:
    # APA cites an organisation as the author when no person signed the piece.
    return article.author or article.source or "Không rõ tác giả"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def apa(article: Article) -> str:
    """'Tác giả. (2024, ngày 28 tháng 2). Tiêu đề. Nguồn. Truy cập ngày …, từ URL'."""
    published = _local_date(article.published)
    when = (
        f"{published.year}, ngày {published.day} tháng {published.month}" if published else "k.n."
    )
    parts = [f"{_sentence(_creator(article))} ({when}).", _sentence(article.title)]
    if article.source and article.source != _creator(article):
        parts.append(_sentence(article.source))
    accessed = _local_date(article.fetched_at)
    if accessed:
        parts.append(f"Truy cập {vn_long_date(accessed)}, từ {article.url}")
    else:
        parts.append(article.url)
    return " ".join(parts)


def _bibtex_escape(text: str) -> str:
    text = " ".join(text.split())
    return _BIBTEX_SPECIALS.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m[1], "\\" + m[1]), text)


def citation_key(article: Article) -> str:
    """e.g. 'congttdt2024nong': ASCII, stable for one article."""

    def ascii_word(text: str, limit: int) -> str:
        return re.sub(r"[^a-z0-9]", "", fold(text).lower())[:limit]

    year = str(article.published.year) if article.published else "nd"
    first_word = next((w for w in article.title.split() if ascii_word(w, 12)), "")
    return (ascii_word(article.source, 16) or "bai") + year + ascii_word(first_word, 12)


def bibtex(article: Article) -> str:
    """A biblatex @online entry; names go in double braces (no first/last split)."""
    fields = [("author", "{" + _bibtex_escape(_creator(article)) + "}")]
    fields.append(("title", _bibtex_escape(article.title)))
    if article.source:
        fields.append(("organization", _bibtex_escape(article.source)))
    published = _local_date(article.published)
    if published:
        fields.append(("date", published.isoformat()))
    fields.append(("url", article.url))
    accessed = _local_date(article.fetched_at)
    if accessed:
        fields.append(("urldate", accessed.isoformat()))
    fields.append(("langid", "vietnamese"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{citation_key(article)},\n{body}\n}}\n"


def _ris_value(text: str) -> str:
    return " ".join(text.split())  # one line per tag


def ris(article: Article) -> str:
    """An RIS record (type ELEC); lines end in CRLF as the format asks."""
    rows = [("TY", "ELEC")]
    rows.append(("AU", _creator(article)))
    rows.append(("TI", article.title))
    if article.source:
        rows.append(("T2", article.source))
    published = _local_date(article.published)
    if published:
        rows.append(("PY", str(published.year)))
        rows.append(("DA", published.strftime("%Y/%m/%d")))
    if article.sapo:
        rows.append(("AB", article.sapo))
    rows.append(("UR", article.url))
    accessed = _local_date(article.fetched_at)
    if accessed:
        rows.append(("Y2", accessed.strftime("%Y/%m/%d")))
    rows.append(("LA", "vi"))
    rows.append(("ER", ""))
    return "".join(f"{tag}  - {_ris_value(value)}\r\n" for tag, value in rows)


def highwire_meta(article: Article) -> list[tuple[str, str]]:
    """<meta name=… content=…> pairs Zotero, Mendeley and other reference managers read
    (Highwire Press tags, as Google Scholar asks for): one click saves the citation."""
    meta = [("citation_title", " ".join(article.title.split()))]
    meta.append(("citation_author", _creator(article)))
    published = _local_date(article.published)
    if published:
        meta.append(("citation_date", published.strftime("%Y/%m/%d")))
    if article.source:
        meta.append(("citation_publisher", article.source))
    meta.append(("citation_language", "vi"))
    meta.append(("citation_public_url", article.url))
    return meta


# Downloadable reference files: format → (writer, content type).
FILES = {
    "bib": (bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (ris, "application/x-research-info-systems; charset=utf-8"),
}

__all__ = ["FILES", "apa", "bibtex", "citation_key", "highwire_meta", "ris", "vn_long_date"]
