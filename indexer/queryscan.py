"""Scanning the query language: normalising text, cleaning words, tokens, prefixes.

The parser (indexer.querylang) builds the AST from these tokens; ``is_bare_word`` is the
scanner's inverse, used by ``unparse`` to decide when a word must be quoted.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Every accepted prefix spelling, folded (lowercase, no diacritics) -> field name.
FIELD_PREFIXES = {
    "tieude": "title",
    "title": "title",
    "nguoi": "person",
    "person": "person",
    "nguon": "source",
    "source": "source",
    "chuyenmuc": "category",
    "category": "category",
    "ngay": "date",
    "date": "date",
    "noi": "place",
    "place": "place",
}
# A prefix typed with diacritics is meant as written (the diacritics contract): it names a
# field only when they are this field's own ("nơi:", "người:"), so the headline "Hà Nội: …"
# is the place Hà Nội followed by a colon, not "Hà" and an empty ``noi:`` (folded spellings ->
# the accented spelling, lowercase, separators removed).
ACCENTED_PREFIXES = {
    "tieude": "tiêuđề",
    "nguoi": "người",
    "nguon": "nguồn",
    "chuyenmuc": "chuyênmục",
    "ngay": "ngày",
    "noi": "nơi",
}
# The spelling unparse writes: Vietnamese, ASCII so permalinks stay readable.
CANONICAL_PREFIX = {
    "title": "tieude",
    "person": "nguoi",
    "source": "nguon",
    "category": "chuyenmuc",
    "date": "ngay",
    "place": "noi",
}
# "+lịch sử": places include the units they were merged into or from (folded spellings).
HISTORY_WORDS = (("+lich", "su"), ("+lichsu",))
HISTORY_CANONICAL = "+lichsu"
SEPARATORS = frozenset(' "()|')
_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»″", '"'))


@dataclass(frozen=True)
class Token:
    kind: str  # "(", ")", "OR", "NOT", "WORD", "PHRASE", "FIELD", "HISTORY"
    text: str = ""  # the raw word, the phrase's inner text, or the field's raw value
    field: str | None = None
    quoted: bool = False


def normalise(text: str) -> str:
    """NFC, typographic quotes as '"', invisible characters dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cf", "Cs"):  # zero-width spaces, BOMs, lone surrogates
            continue
        kept.append(" " if category.startswith(("C", "Z")) else ch)
    return " ".join("".join(kept).split())


def clean_word(word: str) -> str:
    """A word without engine syntax or edge punctuation; '' when nothing searchable is left."""
    while True:
        cleaned = _clean_once(word)
        if cleaned == word:
            break
        word = cleaned
    return word if any(ch.isalnum() or ch == "_" for ch in word) else ""


def fold_prefix(prefix: str) -> str:
    """'Tiêu_Đề' -> 'tieude': prefixes match without case, diacritics or separators."""
    decomposed = unicodedata.normalize("NFD", prefix.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def prefix_field(prefix: str) -> str | None:
    """The field a prefix (the text before ':') names, or None. Case and separators are free;
    diacritics, when typed, must be the field's own ("Nội:" is not "nơi:")."""
    folded = fold_prefix(prefix)
    field = FIELD_PREFIXES.get(folded)
    if field is None:
        return None
    typed = "".join(ch for ch in unicodedata.normalize("NFC", prefix.lower()) if ch.isalnum())
    if typed != folded and typed != ACCENTED_PREFIXES.get(folded):
        return None
    return field


def _clean_once(word: str) -> str:
    word = _strip_syntax_suffix(word)
    start, end = 0, len(word)
    while start < end and _is_edge_junk(word[start], leading=True):
        start += 1
    while end > start and _is_edge_junk(word[end - 1], leading=False):
        end -= 1
    # A cut can leave text that NFC writes differently (mark after a letter): recompose.
    return unicodedata.normalize("NFC", word[start:end])


def _strip_syntax_suffix(word: str) -> str:
    """Drop Whoosh fuzzy/boost suffixes such as 'bão~2' or 'lũ^1.5' whole, digits included."""
    for mark in "~^":
        head, sep, tail = word.rpartition(mark)
        if sep and all(ch.isdigit() or ch == "." for ch in tail):
            word = head
    return word


def _is_edge_junk(ch: str, leading: bool) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "PS" or (leading and category[0] == "M")


def is_or_word(word: str) -> bool:
    """OR is uppercase only (lowercase "or" may be English text); hoặc in any case."""
    return word == "OR" or word.lower() == "hoặc"


def scan(text: str, warnings: list[str]) -> list[Token]:
    """Split normalised text into tokens; quotes and field prefixes are resolved here."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == " ":
            i += 1
        elif ch in "()":
            tokens.append(Token(ch))
            i += 1
        elif ch == "|":
            tokens.append(Token("OR"))
            i += 1
        elif ch == '"':
            inner, i = _read_quoted(text, i, warnings)
            tokens.append(Token("PHRASE", inner))
        elif ch == "+" and (end := _history_end(text, i)):
            tokens.append(Token("HISTORY"))
            i = end
        elif ch == "-" and text[i:].lstrip("-")[:1] not in ("", " "):
            tokens.append(Token("NOT"))  # "-word", "--word", "-(…)"; a lone dash is a dash
            i = len(text) - len(text[i:].lstrip("-"))
        else:
            i = _scan_word(text, i, tokens, warnings)
    return tokens


def _history_end(text: str, i: int) -> int:
    """Where "+lịch sử" (or "+lich su", "+lichsu") starting at ``i`` ends; 0 if it does not."""
    for words in HISTORY_WORDS:
        end = i
        for n, word in enumerate(words):
            if n:
                if text[end : end + 1] != " ":
                    break
                end += 1
            stop = end
            while stop < len(text) and text[stop] not in SEPARATORS:
                stop += 1
            if fold_prefix(text[end:stop].replace("+", "")) != word.lstrip("+"):
                break
            end = stop
        else:
            return end
    return 0


def _scan_word(text: str, i: int, tokens: list[Token], warnings: list[str]) -> int:
    end = i
    while end < len(text) and text[end] not in SEPARATORS:
        end += 1
    word = text[i:end]
    prefix, colon, value = word.partition(":")
    field = prefix_field(prefix) if colon else None
    if field and not value and text[end : end + 1] != '"' and prefix[:1].isupper():
        field = None  # "Ngày: …", "Nguồn: …" pasted from a page: a word and its colon
    if is_or_word(word):
        tokens.append(Token("OR"))
    elif word == "NOT":
        tokens.append(Token("NOT"))
    elif word == "AND":
        pass  # every word is required anyway
    elif field and not value and text[end : end + 1] == '"':
        inner, end = _read_quoted(text, end, warnings)
        tokens.append(Token("FIELD", inner, field, quoted=True))
    elif field:
        tokens.append(Token("FIELD", value, field))
    else:
        tokens.append(Token("WORD", word))
    return end


def _read_quoted(text: str, start: int, warnings: list[str]) -> tuple[str, int]:
    """The text between the quote at ``start`` and the next one (or the end of the query)."""
    close = text.find('"', start + 1)
    if close < 0:
        warnings.append(
            'Thiếu dấu ngoặc kép đóng ("): đã coi phần từ dấu " đến hết câu là một cụm từ.'
        )
        return text[start + 1 :], len(text)
    return text[start + 1 : close], close + 1


def is_bare_word(text: str, top_level: bool) -> bool:
    """Whether the text, written without quotes, reads back as this very word."""
    if clean_word(text) != text or any(ch in SEPARATORS for ch in text):
        return False
    if not top_level:
        return True  # a field value is taken literally up to the next separator
    prefix, colon, _ = text.partition(":")
    is_field = bool(colon) and prefix_field(prefix) is not None
    return not (is_field or is_or_word(text) or text in ("AND", "NOT"))
