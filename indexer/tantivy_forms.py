"""Exact forms of a folded syllable from tantivy's term dictionary, for suggestions.

Reading the whole ``text_x`` vocabulary (as the Whoosh engine does) took 0.6–1.7 s at 38k
articles, paid by the first search after every commit. Instead a folded syllable asks for the
terms starting with every accented spelling of its onset and first vowel ("tinh" → "ti", "tí",
"tì", …) and keeps those that fold back to it.

What that cost fell on the first reader of each snapshot (issue 18): a diacritic-free query
that found nothing asks for the forms of every syllable one edit away — ~70 syllables, ~1,100
prefix reads and ~8,000 folds at 2k articles, more at 100k. So:

- a prefix is read once per snapshot and its terms grouped by folded form: syllables sharing
  an onset and first vowel ("hang", "hanh", "han") share the read;
- a term's folded form is remembered across snapshots (``WordFolds``): a commit adds few;
- the prefixes read lately are remembered across snapshots too (``RecentPrefixes``), and the
  engine's warm-up reads them again in the new snapshot before readers come.

The forms found are the same, in the same order, as reading each syllable's prefixes alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from indexer.analysis import fold

FORMS_FIELD = "text_x"
FOLD_MEMO_LIMIT = 2_000_000  # terms whose folded form is remembered (then it starts over)
RECENT_PREFIXES = 2048  # prefixes the warm-up reads again in a new snapshot (~25 µs each)

# Vietnamese letters with diacritics: other scripts' accented letters never reach text_x
# through the query side, so asking for them would only multiply the look-ups.
_VIETNAMESE_MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"


def _accented_letters() -> dict[str, tuple[str, ...]]:
    """Each of a, e, i, o, u, y, d with its Vietnamese accented forms (itself first)."""
    letters: dict[str, list[str]] = {base: [base] for base in "aeiouyd"}
    for char in _VIETNAMESE_MARKED:
        letters[fold(char)].append(char)
    return {base: tuple(chars) for base, chars in letters.items()}


_ACCENTED = _accented_letters()
_VOWELS = frozenset("aeiouy")


def form_prefixes(folded: str) -> list[str]:
    """Spellings of ``folded`` up to its first vowel (d may be đ, the vowel any accent)."""
    cut = next((i + 1 for i, c in enumerate(folded) if c in _VOWELS), len(folded))
    prefixes = [""]
    for i, char in enumerate(folded[:cut]):
        choices = _ACCENTED[char] if char == "d" or i == cut - 1 and char in _VOWELS else (char,)
        prefixes = [p + c for p in prefixes for c in choices]
    return prefixes


class WordFolds:
    """Term → its folded form, remembered across snapshots (one per engine)."""

    def __init__(self) -> None:
        self.memo: dict[str, str] = {}

    def table(self) -> dict[str, str]:
        """The memo to read and fill (started over when it grew past FOLD_MEMO_LIMIT)."""
        if len(self.memo) > FOLD_MEMO_LIMIT:
            self.memo = {}
        return self.memo


class RecentPrefixes:
    """The prefixes read lately, oldest first (kept across snapshots). A hint only: the
    dict's single operations are atomic, and a race at worst forgets or repeats a prefix."""

    def __init__(self, size: int = RECENT_PREFIXES) -> None:
        self._seen: dict[str, None] = {}
        self._size = size

    def add(self, prefix: str) -> None:
        self._seen.pop(prefix, None)
        self._seen[prefix] = None
        if len(self._seen) > self._size:
            self._seen.pop(next(iter(self._seen)), None)

    def snapshot(self) -> list[str]:
        return list(self._seen.copy())


class FormsCache(dict):
    """folded syllable → its exact forms with document frequencies, in one snapshot, looked
    up on demand (``.get`` and ``[]``)."""

    def __init__(self, searcher, folds: WordFolds, recent: RecentPrefixes) -> None:
        super().__init__()
        self.searcher = searcher
        self._folds = folds
        self._recent = recent
        self._prefixes: dict[str, dict[str, list[tuple[str, int]]]] = {}

    def __missing__(self, folded: str) -> list[tuple[str, int]]:
        found = [form for prefix in form_prefixes(folded) for form in self._group(prefix, folded)]
        self[folded] = found
        return found

    def get(self, folded: str, default=None) -> list[tuple[str, int]]:
        return self[folded]

    def _group(self, prefix: str, folded: str) -> list[tuple[str, int]]:
        groups = self._prefixes.get(prefix)
        if groups is None:
            groups = self.read(prefix)
            self._recent.add(prefix)
        return groups.get(folded, [])

    def read(self, prefix: str) -> dict[str, list[tuple[str, int]]]:
        """The terms starting with ``prefix``, grouped by folded form, in the dictionary's
        order (what a syllable's look-up filtered them by)."""
        groups: dict[str, list[tuple[str, int]]] = {}
        memo = self._folds.table()
        for form in self.searcher.terms_with_prefix(FORMS_FIELD, prefix):
            word = form[0]
            folded = memo.get(word)
            if folded is None:
                folded = memo[word] = fold(word)
            group = groups.get(folded)
            if group is None:
                groups[folded] = [form]
            else:
                group.append(form)
        self._prefixes[prefix] = groups
        return groups

    def prefetch(self, prefixes: Iterable[str]) -> None:
        """Read ``prefixes`` ahead of the searches that will ask (the engine's warm-up)."""
        for prefix in prefixes:
            if prefix not in self._prefixes:
                self.read(prefix)
