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

ETHNIC_APOSTROPHE_PREFIX = "H"  # "H'Hen Niê", "H’Quỳnh Byă": Ê Đê and Jrai women's names
APOSTROPHES = frozenset("'’")
MAX_AFTER_APOSTROPHE_NAME = 2  # "H'Hen Niê", "H'Yâm Byă", "H'Ngọc Niê Kdăm"
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


def read_apostrophe_name(
    tokens: list[Token], i: int, lex: Lexicon, shape: NameShape
) -> tuple[str, int] | None:
    """A name of the Central Highlands that opens with "H'" glued to the given name ("H'Hen
    Niê"), then one or two capitalised words (the family name): (name, end) or None. "H" is an
    ambiguous surname "announced" in the data: such a name is taken after a form of address,
    a role or in a list that one opens, never by shape alone."""
    n = len(tokens)
    if i + 2 >= n or tokens[i + 1].text not in APOSTROPHES:
        return None
    given = tokens[i + 2]
    glued = tokens[i].end == tokens[i + 1].start and tokens[i + 1].end == given.start
    if not glued or not given.is_capitalised_word:
        return None
    parts = [tokens[i].text + tokens[i + 1].text + given.text]
    end = i + 3
    while end < n and len(parts) <= MAX_AFTER_APOSTROPHE_NAME:
        tok = tokens[end]
        if tok.line_start or not tok.is_capitalised_word or shape.starts_clause(tokens, end):
            break
        if lex.name_cuts.match(tokens, end) > 0:
            break
        parts.append(tok.text)
        end += 1
    return (" ".join(parts), end) if len(parts) >= 2 else None
