"""The CDXJ index of every capture record, in the format pywb and WACZ read.

One line per response/revisit/resource/metadata record (cdxj-indexer's choice, as pywb's):
``SURT-URL-KEY 14-DIGIT-TIMESTAMP {json: url, mime, status, digest, length, offset, filename,
warc-record-id, warc-date}``, sorted, so a lookup is a binary search.

Kept under ``DATA_DIR/cdxj/``: one sorted part per WARC file (re-indexed only when that
file changed: a crawl appends to its newest WARC, never to older ones) merged into
``index.cdxj``, replaced atomically. ``filename`` is the WARC's name inside ``DATA_DIR/warc/``
(what pywb expects of a collection's ``archive/``), an absolute path for a WARC extracted
from elsewhere, and ``….wacz#archive/…`` for a WARC inside a WACZ.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import io
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cdxj_indexer.main import CDXJIndexer

from crawler.wacz_io import capture_file_size, expand_capture_paths, open_capture_file

INDEX_NAME = "index.cdxj"
# Beyond cdxj-indexer's defaults: the record id (the capture view names it) and the full
# WARC-Date (its fractions of a second order two captures within one second).
EXTRA_FIELDS = "warc-record-id,warc-date"
_MANIFEST = "manifest.json"
RECORD_TYPES = ("response", "revisit", "resource", "metadata")  # pywb's and cdxj-indexer's


@dataclass
class IndexUpdate:
    files: int  # WARC files the index covers
    reindexed: int  # of which (re)indexed by this update
    records: int  # lines in the index
    seconds: float  # spent (re)indexing and merging


def cdxj_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "cdxj"


def index_path(data_dir: Path) -> Path:
    return cdxj_dir(data_dir) / INDEX_NAME


def url_key(url: str) -> str:
    """The SURT key CDXJ lines are sorted by (cdxj-indexer's own function)."""
    return CDXJIndexer.get_url_key(None, url)  # type: ignore[arg-type] - uses no state


class _CaptureIndexer(CDXJIndexer):
    """cdxj-indexer with its default record choice fixed here: importing the `wacz` package
    appends "warcinfo" to CDXJIndexer.DEFAULT_RECORDS for the whole process, which would make
    our index depend on what else was imported."""

    def filter_record(self, record) -> bool:  # noqa: ANN001 - a warcio record
        if record.rec_type not in RECORD_TYPES:
            return False
        fields = record.rec_headers.get_header("Content-Type") == "application/warc-fields"
        return not (record.rec_type in ("resource", "metadata") and fields)


def index_lines(label: str | Path, name: str) -> list[str]:
    """The sorted CDXJ lines of one WARC file (a path or a WACZ member label)."""
    out = io.StringIO()
    indexer = _CaptureIndexer(out, [], fields=EXTRA_FIELDS, records=",".join(RECORD_TYPES))
    indexer.force_filename = name
    with open_capture_file(label) as fh:
        indexer.process_one(fh, out, name)
    return sorted(out.getvalue().splitlines(keepends=True))


def update_index(data_dir: Path, extra: Iterable[str | Path] = ()) -> IndexUpdate:
    """Bring ``index.cdxj`` up to date with the data directory's WARCs (and WACZs).

    ``extra``: WARC/WACZ files outside the data directory that were extracted; they stay in
    the index from then on (their captures remain viewable) while they exist."""
    started = time.perf_counter()
    folder = cdxj_dir(data_dir)
    (folder / "parts").mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(folder)
    wanted = _capture_files(Path(data_dir), extra, manifest)
    reindexed = 0
    kept: dict[str, dict] = {}
    for label, name in wanted.items():
        size = capture_file_size(label)
        entry = manifest.get(label)
        part = folder / "parts" / f"{hashlib.sha1(label.encode()).hexdigest()[:20]}.cdxj"
        if entry is None or entry.get("size") != size or not part.exists():
            _write_atomically(part, index_lines(label, name))
            reindexed += 1
        kept[label] = {"size": size, "name": name, "part": part.name}
    for label, entry in manifest.items():  # a WARC that is gone leaves the index
        if label not in kept:
            (folder / "parts" / entry["part"]).unlink(missing_ok=True)
    records = _merge(folder, kept)
    _write_atomically(folder / _MANIFEST, [json.dumps(kept, ensure_ascii=False, indent=1)])
    return IndexUpdate(len(kept), reindexed, records, time.perf_counter() - started)


def _capture_files(data_dir: Path, extra: Iterable[str | Path], manifest: dict) -> dict[str, str]:
    """label -> the filename CDXJ lines give it, for every WARC the index should cover."""
    warc_dir = data_dir / "warc"
    own = sorted(p for p in warc_dir.glob("*") if p.name.endswith((".warc", ".warc.gz", ".wacz")))
    files: dict[str, str] = {}
    for label in expand_capture_paths(own):
        files[str(label)] = str(label)[len(str(warc_dir)) + 1 :]
    outside = [str(Path(p).resolve()) for p in extra if not _inside(Path(p), warc_dir)]
    outside += [label for label in manifest if Path(label).is_absolute()]
    for label in expand_capture_paths(sorted(set(outside))):
        path = str(label).split("#")[0]
        if Path(path).exists() and str(label) not in files:
            files[str(label)] = str(label)
    return files


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().parent == folder.resolve()


def _merge(folder: Path, kept: dict[str, dict]) -> int:
    """Merge the sorted parts into index.cdxj (a sorted merge: memory stays small)."""
    partial = folder / (INDEX_NAME + ".tmp")
    count = 0
    with contextlib.ExitStack() as stack:
        parts = [
            stack.enter_context(open(folder / "parts" / e["part"], encoding="utf-8"))
            for e in kept.values()
        ]
        with open(partial, "w", encoding="utf-8") as out:
            for line in heapq.merge(*parts):
                out.write(line)
                count += 1
            out.flush()
            os.fsync(out.fileno())
    os.replace(partial, folder / INDEX_NAME)
    return count


def _read_manifest(folder: Path) -> dict[str, dict]:
    try:
        return json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _write_atomically(path: Path, lines: list[str]) -> None:
    partial = path.with_name(path.name + ".tmp")
    with open(partial, "w", encoding="utf-8") as out:
        out.writelines(lines)
    os.replace(partial, path)
