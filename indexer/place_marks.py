"""Place mentions marked in snippets and titles, like the words of a query (issue 17).

A ``noi:`` condition matches an article by the units it names, not by words, so the words of
a place are not highlight keys (``querylang._collect_positive_words``). What shows the reader
why the article matched is the mention itself: the article's ``Place`` records
(crawler/article.py) hold the text of the first mention of each unit, and its offset in the
body. The mention is marked there and wherever the same text stands again in the scanned part
of the text (a later "xã Cẩm Bình" is the same unit), each of its tokens marked as a matched
word is, so the snippet's window (``snippet_locate.best_anchor``) counts a place like a word.

The work per hit is bounded like the words' scan: one lowercase copy of the scanned text and a
``str.find`` per wanted mention text (an article names a few dozen units at most).
"""

from __future__ import annotations

from collections.abc import Iterable

from crawler.article import Place
from indexer.places import TYPE_WORDS
from indexer.queryplan import Plan
from indexer.snippet_locate import token_edges, token_spans

PLACE_KEY_PREFIX = "noi:"  # a marked place token's key: never a folded syllable
TYPE_WORD_CHARS = 12  # the longest type word ("thành phố") and the space after it
_TYPE_WORDS_LOWER = tuple(sorted({w.lower() for w in TYPE_WORDS}, key=len, reverse=True))


def wanted_units(plan: Plan) -> frozenset[str]:
    """The unit keys the query's places were read as (with history, the units merged into
    or from them too: an article matched through its own unit, which the reading holds);
    excluded places ("-noi:…") are not marked."""
    return frozenset(
        read.ref.key
        for unit in plan.units
        if unit.field == "place" and not unit.excluded
        for read in unit.places
    )


def mention_texts(places: Iterable[Place], wanted: frozenset[str]) -> dict[str, tuple[str, str]]:
    """Lowercased mention text → (the unit's key, its type word), for the article's places
    of wanted units.
    A text that also names a unit not wanted (two "Tân Lập" in one article) is left out:
    which occurrence is which cannot be told from the text alone."""
    found: dict[str, tuple[str, str]] = {}
    other: set[str] = set()
    for place in places:
        text = place.mention.lower()
        if not text:
            continue
        if place.unit is not None and place.unit.key in wanted:
            found.setdefault(text, (place.unit.key, place.unit.type.lower()))
        else:
            other.add(text)
    return {text: unit for text, unit in found.items() if text not in other}


def place_matches(
    text: str, places: Iterable[Place], wanted: frozenset[str], end: int | None = None
) -> list[tuple[int, int, str]]:
    """(start, end, key) of every token of a wanted place's mention in ``text[:end]``, in
    order (key: ``PLACE_KEY_PREFIX`` + the unit's key); [] when the text's lowercase would
    not keep its offsets."""
    if not wanted:
        return []
    texts = mention_texts(places, wanted)
    if not texts:
        return []
    scan_end = len(text) if end is None else min(end, len(text))
    lowered = text[:scan_end].lower()
    if len(lowered) != scan_end:
        return []
    found: list[tuple[int, int, str]] = []
    for mention, (key, kind) in texts.items():
        at = lowered.find(mention)
        while at >= 0:
            stop = at + len(mention)
            if token_edges(lowered, at, stop) and not _other_type_before(lowered, at, kind):
                found += [(s, e, PLACE_KEY_PREFIX + key) for s, e in token_spans(text, at, stop)]
            at = lowered.find(mention, stop)
    found.sort()
    return found


def _other_type_before(lowered: str, at: int, kind: str) -> bool:
    """Whether another unit's type word stands right before the mention ("thành phố Hà
    Tĩnh" is not the province "Hà Tĩnh"; "tỉnh Hà Tĩnh" is)."""
    window = lowered[max(0, at - TYPE_WORD_CHARS) : at]
    head = window.rstrip()
    if not head or len(head) == len(window):  # no space right before the mention
        return False
    for word in _TYPE_WORDS_LOWER:
        if head.endswith(word) and token_edges(head, len(head) - len(word), len(head)):
            return word != kind
    return False


def merged(words: list[tuple[int, int, str]], places: list[tuple[int, int, str]]) -> list:
    """Word and place matches in text order, a token once (a word match wins)."""
    if not places:
        return words
    taken = {start for start, _, _ in words}
    return sorted([*words, *(p for p in places if p[0] not in taken)])
