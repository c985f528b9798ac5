"""Facet counts whose cost in Python does not grow with the result set (issue 18).

A facet shows its top ``FACET_LIMIT`` values (people, categories); sources and months are
shown whole. The engine counts every matching document in its own code; what Python used to
receive was every value with its count — 4,261 people for "Hà Nội" at 38k articles, tens of
thousands at 1M — only to sort them and keep twenty. Now the engine is asked for the top
``TOP_ASKED`` values by count, counted exactly (per segment, every value is considered:
``segment_size`` is unbounded in practice, so the engine reports no count error), and Python
checks that ties cannot have been cut at the boundary; when they could, it asks for all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from indexer.engine_common import FACET_LIMIT, NO_PEOPLE

TOP_ASKED = 2 * FACET_LIMIT  # room for ties around the last shown value
ALL_VALUES = 100_000  # values per facet asked when all are shown (sources, months)
SHOWN_WHOLE = frozenset({"source", "month"})
HIDDEN = (None, "", NO_PEOPLE)  # values order_facet never shows


def terms_spec(fields: dict[str, str], *, whole: bool = False) -> dict:
    """A terms aggregation per facet: the top TOP_ASKED values of the facets shown in part
    (every value when ``whole``), every value of those shown whole."""
    spec = {}
    for name, field in fields.items():
        size = ALL_VALUES if whole or name in SHOWN_WHOLE else TOP_ASKED
        spec[name] = {"terms": {"field": field, "size": size, "segment_size": ALL_VALUES}}
    return spec


def top_is_exact(
    name: str, counts: Iterable[tuple[str, int]], shown_value: Callable[[str], bool] | None = None
) -> bool:
    """Whether the values received decide the facet as shown (most documents first, ties by
    value): all of them were received, or the last one shown counts more documents than the
    least counted value received, so no value left out can tie with it. ``shown_value``:
    which values the facet shows at all (the units of the chosen provinces), if not all."""
    received = list(counts)
    if name in SHOWN_WHOLE or len(received) < TOP_ASKED:
        return True
    shown = sorted(
        c for v, c in received if v not in HIDDEN and (shown_value is None or shown_value(v))
    )
    if len(shown) < FACET_LIMIT:
        return False
    return shown[-FACET_LIMIT] > min(c for _, c in received)
