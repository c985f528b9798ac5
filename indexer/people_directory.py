"""The indexed people's names, grouped for person pages, built without costing a reader.

A person page asks which indexed names a typed name may mean (``engine_common.chosen_person``:
the same name with its diacritics as typed, or every form of a name typed without any). That
compared the typed name with every indexed name — tens of thousands at 100k articles, each
normalized and folded, on every person page, after reading every name once per snapshot in
the first page's request. Here the names are grouped by their folded form once per snapshot,
the folding of a name remembered across snapshots (a commit adds a few new names; the rest
were folded before), and the engine builds the directory in its warm-up when it moves to a
new snapshot, outside a reader's request. A page then reads one group.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from indexer.api import FacetCount
from indexer.engine_common import name_key

MEMO_LIMIT = 1_000_000  # names whose folded form is remembered (then the memo starts over)


class NameFolds:
    """Name → its folded form (``name_key(name, False)``), remembered across snapshots."""

    def __init__(self) -> None:
        self._folded: dict[str, str] = {}
        self._lock = threading.Lock()  # the warm-up thread and a request may fold at once

    def of(self, names: Mapping[str, int]) -> dict[str, str]:
        with self._lock:
            memo = self._folded
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            for name in names:
                if name not in memo:
                    memo[name] = name_key(name, False)
            return {name: memo[name] for name in names}


class PeopleDirectory:
    """Every indexed person name with its article count, grouped by folded form."""

    def __init__(self, names: Mapping[str, int], folds: NameFolds | None = None) -> None:
        self.names = dict(names)
        self._groups: dict[str, list[str]] = {}
        folded = (folds or NameFolds()).of(self.names)
        for name in self.names:
            self._groups.setdefault(folded[name], []).append(name)

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def __len__(self) -> int:
        return len(self.names)

    def candidates(self, name: str, exact: bool) -> list[FacetCount]:
        """The names equal to ``name`` once compared as ``name_key(…, exact)`` does (case,
        spacing and tone placement ignored; diacritics too unless ``exact``), most named
        first: one group's names, since equal names fold alike."""
        key = name_key(name, exact)
        group = self._groups.get(key if not exact else name_key(name, False), [])
        found = [(n, self.names[n]) for n in group if not exact or name_key(n, True) == key]
        found.sort(key=lambda nc: (-nc[1], nc[0]))
        return [FacetCount(n, c) for n, c in found]
