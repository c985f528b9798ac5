"""Diacritic restoration (indexer/suggest.py) with frequencies given directly: pure, no index."""

from __future__ import annotations

from indexer.suggest import suggest_accents, suggest_spelling

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


def _spell(text: str) -> str | None:
    forms = {**FORMS, "thong": [("thông", 900), ("thống", 300)], "moi": [("mới", 800)]}
    pairs = {**PAIRS, ("thôn", "mới"): 60, ("nông", "thông"): 0}
    return suggest_spelling(
        text,
        lambda folded: forms.get(folded, []),
        lambda a, b: pairs.get((a, b), 0),
        lambda folded: folded in forms,
    )


def test_a_syllable_the_archive_lacks_moves_one_edit_with_its_neighbours():
    # "mớii" is nowhere; "thông" is a real syllable, but "nông thôn mới" is what the archive
    # writes together.
    assert _spell("nông thông mớii") == "nông thôn mới"
    assert _spell("nong thon moii") == "nong thon moi"  # typed without diacritics: kept so


def test_no_spelling_for_a_query_of_syllables_the_archive_holds():
    assert _spell("nông thông") is None  # nothing to correct: every syllable exists
    assert _spell("xyzzyq") is None  # nothing near enough
