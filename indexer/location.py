"""Where the live index lives, and how a rebuilt one replaces it atomically.

``<data_dir>/index/CURRENT`` names the live index directory (``<data_dir>/index/<name>/``).
A full rebuild writes a new directory and then replaces CURRENT with ``os.replace``, which
is atomic: readers see the old index or the new one, never a half-built one.
Each index directory carries ``tracuu-index.json`` (engine, schema version) so an index built
by an older tracuu is refused with a clear message instead of giving wrong results.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

SCHEMA_VERSION = 8  # 8: places (place_keys, place_hist, place_prov, place_dir: issue 17)
# 7: exact pairs of the whole text, people_x (precise matching)
# 6: positions on exact fields (measured slower for Whoosh queries: replaced by 7)
# 5: hyphenated runs with digits are split too ("covid-19")
META_FILE = "tracuu-index.json"


class IndexMissingError(RuntimeError):
    """No index has been built in this data directory yet."""


class IndexVersionError(RuntimeError):
    """The index was built by another version of tracuu's schema or analyzer."""


def index_root(data_dir: Path) -> Path:
    return Path(data_dir) / "index"


def current_index_dir(data_dir: Path) -> Path | None:
    pointer = index_root(data_dir) / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = index_root(data_dir) / name
    return path if path.is_dir() else None


def new_index_dir(data_dir: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = index_root(data_dir) / f"ix-{stamp}"
    path.mkdir(parents=True)
    return path


def write_meta(index_dir: Path, engine: str) -> None:
    meta = {"engine": engine, "schema_version": SCHEMA_VERSION}
    (index_dir / META_FILE).write_text(json.dumps(meta), encoding="utf-8")


def read_meta(index_dir: Path) -> dict:
    try:
        return json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def check_meta(index_dir: Path, engine: str) -> None:
    meta = read_meta(index_dir)
    if meta.get("engine") != engine or meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexVersionError(
            f"Chỉ mục ở {index_dir} được tạo bởi phiên bản khác của tracuu "
            f"(schema {meta.get('schema_version', '?')}, cần {SCHEMA_VERSION}). "
            "Cần xây dựng lại: chạy `tracuu reindex --full`."
        )


def _write_pointer(data_dir: Path, name: str, value: str) -> None:
    """Replace ``index/<name>`` atomically (temp file, fsync, rename)."""
    root = index_root(data_dir)
    tmp = root / f"{name}.{os.getpid()}.tmp"
    tmp.write_text(value, encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, root / name)


def previous_index_dir(data_dir: Path) -> Path | None:
    """The index that was live before the last switch: a server may still be reading it."""
    try:
        name = (index_root(data_dir) / "PREVIOUS").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = index_root(data_dir) / name
    return path if name and path.is_dir() else None


def switch_current(data_dir: Path, index_dir: Path) -> Path | None:
    """Make ``index_dir`` live atomically; returns the directory that was live before.

    The replaced directory is remembered in ``index/PREVIOUS`` and kept: a running server
    notices the switch within a second but may be in the middle of a search on it.
    """
    previous = current_index_dir(data_dir)
    if previous is not None and previous != index_dir:
        _write_pointer(data_dir, "PREVIOUS", previous.name)
    _write_pointer(data_dir, "CURRENT", index_dir.name)
    return previous


def remove_stale(data_dir: Path, keep: set[Path]) -> list[Path]:
    """Delete index directories that are not live, not the previous one and not in ``keep``.

    These are older indexes and builds that failed or were killed. Returns what was removed.
    """
    spared = {current_index_dir(data_dir), previous_index_dir(data_dir), *keep}
    removed = []
    for path in sorted(index_root(data_dir).glob("ix-*")):
        if path not in spared:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    for tmp in index_root(data_dir).glob("*.tmp"):
        tmp.unlink(missing_ok=True)  # a pointer write killed before its rename
    return removed
