"""The real corpora in ../shared as Articles, replicated copies, and index builders for benches.

    from bench.corpus import load_corpus, replicate, build_index
    articles = list(load_corpus())                       # ≈38k: baomoi-2017 + dantri-2020
    build_index(Path("/tmp/ix"), articles)               # tracuu's analysis (indexer.rebuild_index)
    build_index(Path("/tmp/ix-std"), articles, analyzer="standard")   # plain Whoosh baseline

The corpora are third-party data (see ../shared/README.md): benches may read them, tests must not.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crawler.article import Article  # noqa: E402
from tracuu.importer import article_from_record  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPUS_DIR = SHARED / "corpus"
DEFAULT_CORPORA = ("baomoi-2017", "dantri-2020")
ANALYZERS = ("tracuu", "standard")


def corpus_path(name: str) -> Path:
    return CORPUS_DIR / f"{name}.jsonl.gz"


def load_corpus(
    names: Iterable[str] = DEFAULT_CORPORA,
    limit: int | None = None,
    *,
    people: bool = False,
) -> Iterator[Article]:
    """Articles of the named corpora, in file order; ``limit`` caps the total.

    Records that do not make a valid Article (no title, bad date) are skipped silently: a bench
    measures the engine, not the corpus. ``people`` runs crawler.people.enrich_people on each
    (slow: roughly doubles load time).
    """
    enrich = _people_enricher() if people else None
    count = 0
    for name in names:
        with gzip.open(corpus_path(name), "rt", encoding="utf-8") as fh:
            for line in fh:
                if limit is not None and count >= limit:
                    return
                article = _article(line)
                if article is None:
                    continue
                yield enrich(article) if enrich else article
                count += 1


def _article(line: str) -> Article | None:
    if not line.strip():
        return None
    try:
        return article_from_record(json.loads(line))
    except (ValueError, TypeError):
        return None


def _people_enricher():
    from crawler.people import enrich_people

    return enrich_people


def replicate(articles: Iterable[Article], factor: int) -> Iterator[Article]:
    """Each article, then ``factor - 1`` copies with distinct URLs (``…#r2``, ``…#r3``, …).

    Copies are yielded round by round (all originals, then all r2 copies, …) so a prefix of the
    stream is a realistic mix; ``articles`` is materialised once for that.
    """
    originals = list(articles)
    yield from originals
    for round_no in range(2, factor + 1):
        for article in originals:
            yield replace(article, url=f"{article.url}#r{round_no}")


SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ0-9\"“])")
DAYS_PER_ROUND = 137  # each round of copies is dated this much earlier: months and years vary


def varied(article: Article, round_no: int) -> Article:
    """Copy ``round_no`` (≥ 2) of an article, different enough that posting lists are not
    identical copies: the body's paragraphs and each paragraph's sentences in another order
    (seeded by URL and round, so runs agree), dated ``DAYS_PER_ROUND`` days earlier per
    round, at a distinct URL (``…#rN``: eval_known_item counts a copy as its original).
    Title and sapo stay, so known-item queries still have their target."""
    rng = random.Random(f"{article.url}#{round_no}")
    paragraphs = [p for p in article.body.split("\n\n") if p]
    rng.shuffle(paragraphs)
    shuffled = []
    for paragraph in paragraphs:
        sentences = SENTENCE_END.split(paragraph)
        rng.shuffle(sentences)
        shuffled.append(" ".join(sentences))
    published = article.published
    if published is not None:
        published -= timedelta(days=DAYS_PER_ROUND * (round_no - 1))
    return replace(
        article,
        url=f"{article.url}#r{round_no}",
        body="\n\n".join(shuffled),
        published=published,
        content_hash="",
    )


def replicate_varied(articles: Iterable[Article], total: int) -> Iterator[Article]:
    """The originals, then varied copies round by round, ``total`` articles in all."""
    originals = list(articles)
    count = 0
    for round_no in range(1, total // max(1, len(originals)) + 2):
        for article in originals:
            if count >= total:
                return
            yield article if round_no == 1 else varied(article, round_no)
            count += 1


def build_index(data_dir: Path, articles: Iterable[Article], analyzer: str = "tracuu") -> int:
    """Index ``articles`` into ``data_dir``; returns the number of documents written.

    ``tracuu``: the real pipeline (indexer.rebuild_index; open with indexer.open_engine).
    ``standard``: a plain Whoosh index (StandardAnalyzer; url, title, text = sapo + body) in
    ``data_dir`` itself, the baseline of ../shared/notes/retrieval-baselines.md.
    """
    if analyzer == "tracuu":
        from indexer import rebuild_index

        return rebuild_index(data_dir, articles)
    if analyzer == "standard":
        return _build_standard(Path(data_dir), articles)
    raise ValueError(f"analyzer must be one of {ANALYZERS}, not {analyzer!r}")


def standard_schema():
    from whoosh import fields
    from whoosh.analysis import StandardAnalyzer

    return fields.Schema(
        url=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StandardAnalyzer()),
        text=fields.TEXT(analyzer=StandardAnalyzer()),
    )


def _build_standard(data_dir: Path, articles: Iterable[Article]) -> int:
    from whoosh import index as windex

    data_dir.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(data_dir), standard_schema())
    writer = ix.writer(procs=2, limitmb=256, multisegment=True)
    count = 0
    try:
        for article in articles:
            text = "\n".join(p for p in (article.sapo, article.body) if p)
            writer.add_document(url=article.url, title=article.title, text=text)
            count += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    return count
