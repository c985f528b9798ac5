"""Where an import's CPU goes, stage by stage, in one process (no workers): CPU ms per article.

    .venv/bin/python bench/profile_import.py            # the first 1,500 of each corpus (3k)
    .venv/bin/python bench/profile_import.py --limit 500

Stages, each over all the articles before the next: read (JSON Lines → Article), people,
places, store (one transaction), the tantivy analysis (``document_fields``), tantivy
documents (``fields_document``), tantivy's own indexing (add, commit, merges: the process's
CPU with the writer's threads). Small enough to run while the machine is shared: CPU time,
not wall time, is the figure.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from bench_common import OUT, corpus_files, write_json
from bench_index import head_file


def process_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    return usage.ru_utime + usage.ru_stime


def profile(source: Path, limit: int) -> dict[str, float]:
    import tantivy

    from crawler.people import enrich_people, lexicon
    from crawler.places import enrich_places
    from crawler.store import ArticleStore
    from indexer import tantivy_schema as schema
    from tracuu.importer import BadLine, CutFields, read_articles

    ms: dict[str, float] = {}
    started = time.process_time()
    articles = [a for a in read_articles(source) if not isinstance(a, BadLine | CutFields)]
    articles = articles[:limit]
    n = len(articles)
    ms["read"] = 1000 * (time.process_time() - started) / n
    lexicon()
    enrich_places(articles[0])  # the register loads once per process: not per article

    def stage(name: str, work):
        began = time.process_time()
        result = work()
        ms[name] = 1000 * (time.process_time() - began) / n
        return result

    articles = stage("people", lambda: [enrich_people(a) for a in articles])
    articles = stage("places", lambda: [enrich_places(a) for a in articles])
    folder = Path(tempfile.mkdtemp())
    try:
        store = ArticleStore(folder / "articles.sqlite")

        def store_all() -> None:
            with store.batch():
                for article in articles:
                    store.put(article, origin="import")

        stage("store", store_all)
        store.close()
        fields = stage("analysis", lambda: [schema.document_fields(a) for a in articles])
        docs = stage("tantivy documents", lambda: [schema.fields_document(f) for f in fields])
        index = tantivy.Index(schema.build_schema(), path=str(folder))
        schema.register_analyzer(index)
        began = process_cpu_s()
        writer = index.writer(heap_size=256_000_000, num_threads=2)
        for doc in docs:
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        ms["tantivy indexing"] = 1000 * (process_cpu_s() - began) / n
    finally:
        shutil.rmtree(folder)
    ms["total"] = sum(ms.values())
    ms["articles"] = n
    return ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=3000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    source = head_file(corpus_files(), 1500, OUT / "quick-3k.jsonl.gz")
    ms = profile(source, args.limit)
    for name, value in ms.items():
        print(f"{name:18s} {value:8.3f}" if name != "articles" else f"{name:18s} {value:8d}")
    write_json("profile-import", ms)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
