"""Diacritic restoration (indexer/suggest.py) with frequencies given directly: pure, no index."""

from __future__ import annotations

from indexer.suggest import suggest_accents

FORMS = {
    "ha": [("hà", 500), ("hạ", 120), ("há", 30), ("ha", 20), ("hả", 5)],
    "tinh": [
        ("tình", 900),
        ("tỉnh", 800),
        ("tính", 700),
        ("tinh", 300),
        ("tịnh", 40),
        ("tĩnh", 30),
    ],
    "nong": [("nông", 200), ("nóng", 150), ("nòng", 3)],
    "thon": [("thôn", 180), ("thon", 4)],
}
PAIRS = {("hà", "tĩnh"): 400, ("tĩnh", "nông"): 2, ("nông", "thôn"): 150, ("nóng", "thôn"): 0}


def _suggest(text: str) -> str | None:
    return suggest_accents(
        text, lambda folded: FORMS.get(folded, []), lambda a, b: PAIRS.get((a, b), 0)
    )


def test_pair_evidence_beats_a_more_frequent_single_syllable():
    # "tĩnh" is the rarest of six forms of "tinh"; only its pair with "hà" makes it right.
    assert _suggest("ha tinh") == "hà tĩnh"
    assert _suggest("ha tinh nong thon") == "hà tĩnh nông thôn"


def test_capitals_are_kept_and_typed_diacritics_mean_no_suggestion():
    assert _suggest("Ha Tinh") == "Hà Tĩnh"
    assert _suggest("hà tinh") is None


def test_unknown_syllables_stay_as_typed():
    assert _suggest("ha tinh xyz") == "hà tĩnh xyz"
    assert _suggest("xyz") is None
