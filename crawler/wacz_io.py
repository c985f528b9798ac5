"""WACZ files (Webrecorder's zipped web archives) as sources of WARC records.

A WACZ holds its WARCs under ``archive/``, stored uncompressed in the zip, so each one can be
read in place, seeking and all, without unpacking. A WARC inside a WACZ is named by a *label*
``PATH.wacz#archive/NAME.warc.gz``; every reader of captures (re-extraction, the CDXJ index,
the capture view) opens plain paths and such labels alike through ``open_capture_file``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

WACZ_SUFFIX = ".wacz"
MEMBER_MARK = "#"
_WARC_ENDINGS = (".warc", ".warc.gz", ".arc", ".arc.gz")


def is_wacz(path: str | Path) -> bool:
    return str(path).lower().endswith(WACZ_SUFFIX)


def wacz_members(path: str | Path) -> list[str]:
    """The WARC files a WACZ holds (``archive/…``), in the order the zip lists them."""
    with zipfile.ZipFile(path) as wacz:
        return [
            name
            for name in wacz.namelist()
            if name.startswith("archive/") and name.lower().endswith(_WARC_ENDINGS)
        ]


def member_label(wacz_path: str | Path, member: str) -> str:
    return f"{wacz_path}{MEMBER_MARK}{member}"


def split_label(label: str | Path) -> tuple[str, str | None]:
    """(file path, WACZ member or None) of a capture file label."""
    text = str(label)
    wacz_end = text.lower().find(WACZ_SUFFIX + MEMBER_MARK)
    if wacz_end < 0:
        return text, None
    cut = wacz_end + len(WACZ_SUFFIX)
    return text[:cut], text[cut + 1 :]


def expand_capture_paths(paths: Iterable[str | Path]) -> list[str | Path]:
    """WARC paths as given, each WACZ replaced by the labels of the WARCs inside it."""
    expanded: list[str | Path] = []
    for path in paths:
        if is_wacz(path):
            expanded += [member_label(path, member) for member in wacz_members(path)]
        else:
            expanded.append(path)
    return expanded


@contextmanager
def open_capture_file(label: str | Path) -> Iterator[BinaryIO]:
    """A seekable binary file for a WARC path or a ``….wacz#archive/…`` label."""
    path, member = split_label(label)
    if member is None:
        with open(path, "rb") as fh:
            yield fh
        return
    with zipfile.ZipFile(path) as wacz, wacz.open(member) as fh:
        yield fh  # type: ignore[misc] - ZipExtFile reads and seeks like a file


def capture_file_size(label: str | Path) -> int:
    """Bytes of the WARC a label names (inside a WACZ: the member's uncompressed size)."""
    path, member = split_label(label)
    if member is None:
        return Path(path).stat().st_size
    with zipfile.ZipFile(path) as wacz:
        return wacz.getinfo(member).file_size
