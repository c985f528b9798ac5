"""Where a surname-led capitalised run is, or is not, a name: checks on the token stream.

"Tập Cận Bình" and "Kim Tử Long" are names; "Kim Ngân", "Hồng Kông", "Sen Vàng" (a school)
and "Đại học Y Hà Nội" are not — surnames that are also common words (``Lexicon.
ambiguous_surnames``) need more evidence than the frequent ones. And a frequent surname
inside a run ("trại Đồng Tâm Nguyễn Văn A") starts the name, the words before it being the
tail of an organisation or a place.
"""

from __future__ import annotations

from crawler.people_lexicon import Lexicon, Token
from crawler.people_shape import NameShape

MIN_NAME_AFTER_INNER_SURNAME = 3  # "... Nguyễn Văn Bình": a surname and two syllables
ANNOUNCEMENT_LOOKBACK = 4  # tokens of a place, role head or form of address before a name


def ambiguous_fits(
    tokens: list[Token], i: int, parts: list[str], lex: Lexicon, shape: NameShape
) -> bool:
    """May the run at ``i`` led by an ambiguous surname be a name? The full shape, not the
    tail of a longer capitalised run ("trường Sen Vàng Phạm Thị Tân", "Đại học Y Hà Nội")
    unless a place, role or form of address ends there ("Chủ tịch Trung Quốc Tập Cận Bình"),
    and no known place inside it ("Y Hà Nội")."""
    prev = tokens[i - 1] if i > 0 else None
    tail = prev is not None and prev.is_capitalised_word and not tokens[i].line_start
    if tail and not announced_by_phrase(tokens, i, lex):
        return False
    if not shape.fits_ambiguous(parts):
        return False
    return all(lex.place_phrases.match(tokens, k) < 0 for k in range(i + 1, i + 3))


def announced_by_phrase(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """Does a place, a role head or a form of address end right before ``i`` ("Chủ tịch
    Trung Quốc | Tập Cận Bình", "Tỳ Khưu | Thích Viên Minh")?"""
    return any(
        i in (lex.place_phrases.match(tokens, k), lex.roles.match(tokens, k))
        or lex.address.match(tokens, k) == i
        for k in range(max(0, i - ANNOUNCEMENT_LOOKBACK), i)
    )


def name_inside(tokens: list[Token], i: int, parts: list[str], lex: Lexicon) -> bool:
    """Does a frequent surname from the third syllable on open a name of its own — three
    capitalised syllables or more ("Đồng Tâm Nguyễn Văn Bình")? Then the run at ``i`` is the
    tail of an organisation or a place, and the name is read where that surname is. A surname
    as a middle name ("Nguyễn Thị Lê Hoa") leaves too few syllables after it."""
    n = len(tokens)
    for k in range(2, len(parts)):
        if parts[k] not in lex.major_surnames:
            continue
        run = range(i + k, i + k + MIN_NAME_AFTER_INNER_SURNAME)
        if run[-1] < n and all(
            tokens[j].is_capitalised_word and not tokens[j].line_start for j in run
        ):
            return True
    return False
