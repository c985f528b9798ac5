"""tracuu's query language: what a journalist types, read into our own engine-neutral AST.

Engines translate the AST (never the raw string), so no engine's syntax can leak through.
``parse_query`` never raises on user input: what it cannot read becomes a Vietnamese warning
and the rest of the query still runs. ``unparse`` gives the canonical text form (permalinks,
feeds); ``parse_query(unparse(p)) == p`` for every parsed ``p`` (warnings are not compared).

Shape guarantees for engines: AllOf/AnyOf have at least two items and are never nested in
their own kind; every AnyOf item is positive; ``Not`` appears only as an item of an AllOf that
also has a positive item. The language itself is documented for users in
search_app/templates/help_query.html.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from indexer.querydates import DateFilterError, format_date_filter, parse_date_filter
from indexer.queryscan import (
    CANONICAL_PREFIX,
    FIELD_PREFIXES,
    HISTORY_CANONICAL,
    Token,
    clean_word,
    is_bare_word,
    normalise,
    scan,
)

__all__ = [
    "FIELD_PREFIXES",
    "MAX_TERMS",
    "AllOf",
    "AnyOf",
    "Node",
    "Not",
    "ParsedQuery",
    "Phrase",
    "Term",
    "parse_query",
    "unparse",
]

MAX_TERMS = 32  # words per query (phrase words count): long OR/AND queries get slow in Whoosh
MAX_DEPTH = 8  # nested parentheses; deeper ones are ignored (keeps recursion bounded)


# Punctuation after a word that ends a clause: a Vietnamese word never spans it.
CLAUSE_END = frozenset(".,;:!?…")


@dataclass(frozen=True)
class Term:
    text: str
    field: str | None = None  # "title", "person", "source", "category"; None = all text
    # The user wrote clause punctuation right after it ("Hà Nội: …"): the next word does not
    # continue it. Not part of equality (the canonical text drops punctuation).
    brk: bool = dataclasses.field(default=False, compare=False)


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    field: str | None = None
    breaks: tuple[int, ...] = dataclasses.field(default=(), compare=False)  # words after a break


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class AllOf:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Term | Phrase | AnyOf | AllOf | Not


@dataclass(frozen=True)
class ParsedQuery:
    root: Node | None = None  # None when there is nothing to match (e.g. only a date filter)
    date_from: date | None = None
    date_to: date | None = None
    warnings: tuple[str, ...] = dataclasses.field(default=(), compare=False)
    # Something was typed besides date filters, yet nothing positive is left to match
    # ("-bão", "*", "OR", '"'): the answer is no results, never the whole archive.
    nothing_to_match: bool = dataclasses.field(default=False, compare=False)
    # "+lịch sử": places (``noi:``) include the units they were merged into or from.
    history: bool = False

    def terms(self) -> list[str]:
        """Every positive word, phrase words included, once each: for highlighting."""
        words: list[str] = []
        if self.root is not None:
            _collect_positive_words(self.root, words)
        return list(dict.fromkeys(words))


@dataclass(frozen=True)
class _DateFilter:
    start: date | None
    end: date | None


def parse_query(text: str) -> ParsedQuery:
    """Read a user's query; never raises on any string."""
    warnings: list[str] = []
    normalised = normalise(text)
    tokens = scan(normalised, warnings)
    history = any(t.kind == "HISTORY" for t in tokens)
    tokens = [t for t in tokens if t.kind != "HISTORY"]  # a flag of the whole query
    parser = _Parser(tokens, warnings)
    root = parser.parse()
    if root is not None and not _is_positive(root):
        warnings.append(
            "Câu truy vấn chỉ có từ loại trừ (dấu -): hãy thêm ít nhất một từ cần tìm, "
            "ví dụ: bão -lũ."
        )
        root = None
    has_dates = parser.date_from is not None or parser.date_to is not None
    if root is None and not has_dates and normalised and not warnings:
        warnings.append("Không còn từ nào để tìm sau khi bỏ các ký tự đặc biệt.")
    typed = any(t.kind != "FIELD" or t.field != "date" for t in tokens)
    return ParsedQuery(
        root,
        parser.date_from,
        parser.date_to,
        tuple(dict.fromkeys(warnings)),
        nothing_to_match=root is None and typed,
        history=history,
    )


def unparse(parsed: ParsedQuery) -> str:
    """The canonical query string: ``parse_query(unparse(p)) == p``."""
    parts = [] if parsed.root is None else [_unparse_node(parsed.root)]
    if parsed.date_from is not None or parsed.date_to is not None:
        parts.append("ngay:" + format_date_filter(parsed.date_from, parsed.date_to))
    if parsed.history:
        parts.append(HISTORY_CANONICAL)
    return " ".join(parts)


class _Parser:
    """Recursive descent over tokens. Grammar, OR binding tighter than the implicit AND:

    sequence := (disjunction)*      disjunction := unary (OR unary)*
    unary := NOT* primary           primary := WORD | PHRASE | FIELD | "(" sequence ")"
    """

    def __init__(self, tokens: list[Token], warnings: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.warnings = warnings
        self.depth = 0
        self.ignored_opens = 0  # "(" beyond MAX_DEPTH; their ")" must be skipped too
        self.budget = MAX_TERMS
        self.date_from: date | None = None
        self.date_to: date | None = None

    def parse(self) -> Node | None:
        return self.sequence(top=True)

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def sequence(self, top: bool) -> Node | None:
        items: list[Node] = []
        while (token := self.peek()) is not None:
            if token.kind == ")" and self.ignored_opens:
                self.ignored_opens -= 1
                self.pos += 1
            elif token.kind == ")" and not top:
                break
            elif token.kind == ")":
                self.warnings.append("Thừa dấu ngoặc đóng ')': đã bỏ qua.")
                self.pos += 1
            elif token.kind == "OR":
                self._warn_dangling_or()
                self.pos += 1
            else:
                grouped = token.kind == "("
                if token.kind == "WORD" and _is_clause_mark(token.text):
                    _end_clause(items)  # "thuốc . Hà Nội": a lone stop still ends the word
                if grouped:
                    _end_clause(items)  # "Havana (Cuba)": a word never spans a parenthesis
                self._add_item(self.disjunction(), items)
                if grouped:
                    _end_clause(items)
        return _all_of(items)

    def disjunction(self) -> Node | _DateFilter | None:
        operands = [self.unary()]
        while (token := self.peek()) is not None and token.kind == "OR":
            while (token := self.peek()) is not None and token.kind == "OR":
                self.pos += 1  # "OR OR", "||": one OR
            if token is None or token.kind == ")":
                self._warn_dangling_or()
                break
            operands.append(self.unary())
        if len(operands) == 1:
            return operands[0]
        return _any_of(self._or_operands(operands))

    def unary(self) -> Node | _DateFilter | None:
        negate = False
        while (token := self.peek()) is not None and token.kind == "NOT":
            negate = not negate
            self.pos += 1
        if token is None or token.kind in (")", "OR"):
            return None  # a dash before nothing: ignore it
        item = self.primary(token)
        if not negate or item is None:
            return item
        if isinstance(item, _DateFilter):
            self.warnings.append("Không thể loại trừ theo ngày (-ngay:…): đã bỏ qua bộ lọc này.")
            return None
        return self._negate(item)

    def primary(self, token: Token) -> Node | _DateFilter | None:
        self.pos += 1
        if token.kind == "(":
            return self.group()
        if token.kind == "PHRASE":
            return self.phrase(token.text, None)
        if token.kind == "FIELD":
            return self.field_value(token)
        return self.word(token.text, None)

    def group(self) -> Node | None:
        if self.depth >= MAX_DEPTH:
            self.warnings.append(
                f"Quá nhiều lớp ngoặc lồng nhau (tối đa {MAX_DEPTH}): đã bỏ qua các ngoặc sâu hơn."
            )
            self.ignored_opens += 1
            return None
        self.depth += 1
        node = self.sequence(top=False)
        self.depth -= 1
        if (token := self.peek()) is not None and token.kind == ")":
            self.pos += 1
        else:
            self.warnings.append("Thiếu dấu ngoặc đóng ')': đã coi như ngoặc đóng ở cuối câu.")
        return node

    def field_value(self, token: Token) -> Node | _DateFilter | None:
        prefix = CANONICAL_PREFIX[token.field or ""]
        if token.field == "date":
            return self.date_filter(token.text)
        node = (
            self.phrase(token.text, token.field)
            if token.quoted
            else self.word(token.text, token.field)
        )
        if node is None and self.budget > 0:
            self.warnings.append(
                f"Thiếu giá trị sau '{prefix}:' — viết liền sau dấu hai chấm, "
                f'ví dụ {prefix}:"Võ Trọng Hải" hoặc {prefix}:bão.'
            )
        return node

    def date_filter(self, value: str) -> _DateFilter | None:
        try:
            start, end, note = parse_date_filter(value)
        except DateFilterError as exc:
            self.warnings.append(f"Bỏ qua bộ lọc ngày: {exc}")
            return None
        if note:
            self.warnings.append(note)
        return _DateFilter(start, end)

    def word(self, raw: str, field: str | None) -> Term | None:
        text = clean_word(raw)
        if not text or not self._spend(1):
            return None
        return Term(text, field, brk=_ends_clause(raw, text))

    def phrase(self, inner: str, field: str | None) -> Term | Phrase | None:
        kept = _phrase_words(inner)
        if len(kept) > self.budget:
            self._spend(len(kept))
            kept = kept[: self.budget]
        self.budget -= len(kept)
        if not kept:
            return None
        words = tuple(word for word, _raw in kept)
        if len(words) == 1:
            return Term(words[0], field)
        breaks = tuple(i + 1 for i, (word, raw) in enumerate(kept[:-1]) if _ends_clause(raw, word))
        return Phrase(words, field, breaks)

    def _spend(self, count: int) -> bool:
        if count <= self.budget:
            self.budget -= count
            return True
        self.warnings.append(
            f"Câu truy vấn có quá nhiều từ: chỉ dùng {MAX_TERMS} từ đầu tiên, phần sau bị bỏ qua."
        )
        return False

    def _add_item(self, item: Node | _DateFilter | None, items: list[Node]) -> None:
        if isinstance(item, _DateFilter):
            self._apply_date(item)
        elif item is not None:
            items.append(item)

    def _or_operands(self, operands: list[Node | _DateFilter | None]) -> list[Node]:
        kept: list[Node] = []
        for operand in operands:
            if isinstance(operand, _DateFilter):
                self.warnings.append(
                    "Bộ lọc ngày áp dụng cho cả câu truy vấn, không dùng được với OR: "
                    "đã áp dụng cho toàn bộ kết quả."
                )
                self._apply_date(operand)
            elif operand is not None and not _is_positive(operand):
                self.warnings.append(
                    "Không dùng được từ loại trừ (-) làm một vế của OR: đã bỏ qua vế đó."
                )
            elif operand is not None:
                kept.append(operand)
        return kept

    def _negate(self, item: Node) -> Node | None:
        if isinstance(item, Not):
            return item.item  # "-(-x)" is x
        if not _is_positive(item):
            self.warnings.append("Không loại trừ được một nhóm chỉ gồm từ loại trừ: đã bỏ qua.")
            return None
        return Not(item)

    def _apply_date(self, new: _DateFilter) -> None:
        start = max((d for d in (self.date_from, new.start) if d), default=None)
        end = min((d for d in (self.date_to, new.end) if d), default=None)
        if start and end and start > end:
            self.warnings.append(
                "Các bộ lọc ngày không giao nhau: đã giữ bộ lọc đầu tiên, bỏ qua bộ lọc sau."
            )
            return
        self.date_from, self.date_to = start, end

    def _warn_dangling_or(self) -> None:
        self.warnings.append("OR (hoặc) cần một từ ở cả hai bên, ví dụ: bão OR lũ. Đã bỏ qua OR.")


def _all_of(items: list[Node]) -> Node | None:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, AllOf) else (item,))
    return _combine(AllOf, flat)


def _any_of(items: list[Node]) -> Node | None:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, AnyOf) else (item,))
    return _combine(AnyOf, flat)


def _combine(kind: type[AllOf] | type[AnyOf], items: list[Node]) -> Node | None:
    unique = tuple(_without_repeats(items)) if kind is AllOf else tuple(dict.fromkeys(items))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else kind(unique)


def _end_clause(items: list[Node]) -> None:
    """Mark the last plain word of ``items`` (or of its last group) as ending a clause."""
    if not items:
        return
    last = items[-1]
    if isinstance(last, Term) and last.field is None:
        items[-1] = dataclasses.replace(last, brk=True)
    elif isinstance(last, AllOf):
        inner = list(last.items)
        _end_clause(inner)
        items[-1] = AllOf(tuple(inner))


def _is_clause_mark(raw: str) -> bool:
    """A token of punctuation alone ("." "..." "–:") that holds a clause end."""
    return not clean_word(raw) and any(ch in CLAUSE_END for ch in raw)


def _phrase_words(inner: str) -> list[tuple[str, str]]:
    """(word, raw) for each searchable word of a quoted phrase. A lone punctuation token
    ('"thiếu thuốc . Hà Nội"', a title whose quote was dropped before its full stop) is not a
    word, but the clause end it holds is moved onto the word before it, as if written there."""
    kept: list[tuple[str, str]] = []
    for raw in inner.split():
        word = clean_word(raw)
        if word:
            kept.append((word, raw))
        elif kept and _is_clause_mark(raw) and not _ends_clause(kept[-1][1], kept[-1][0]):
            word, previous = kept[-1]
            kept[-1] = (word, previous + next(ch for ch in raw if ch in CLAUSE_END))
    return kept


def _ends_clause(raw: str, cleaned: str) -> bool:
    return raw.endswith(tuple(CLAUSE_END)) and not cleaned.endswith(tuple(CLAUSE_END))


def _without_repeats(items: list[Node]) -> list[Node]:
    """ "bão bão" asks for bão once; a plain word may come back later in the sequence, because
    plain words are read as Vietnamese words by their neighbours ("Hà Nội Hà Tĩnh")."""
    kept: list[Node] = []
    for item in items:
        plain = isinstance(item, Term) and item.field is None
        if (plain and kept and kept[-1] == item) or (not plain and item in kept):
            continue
        kept.append(item)
    return kept


def _is_positive(node: Node) -> bool:
    """Whether the node matches something by itself (it is not only exclusions)."""
    if isinstance(node, Not):
        return False
    if isinstance(node, AllOf):
        return any(_is_positive(item) for item in node.items)
    return True


def _collect_positive_words(node: Node, words: list[str]) -> None:
    if isinstance(node, Term | Phrase) and node.field == "place":
        return  # a place matches by its units, not by words to highlight
    if isinstance(node, Term):
        words.append(node.text)
    elif isinstance(node, Phrase):
        words.extend(node.words)
    elif isinstance(node, AnyOf | AllOf):
        for item in node.items:
            _collect_positive_words(item, words)


def _unparse_node(node: Node) -> str:
    if isinstance(node, Term):
        prefix = CANONICAL_PREFIX[node.field] + ":" if node.field else ""
        bare = is_bare_word(node.text, top_level=node.field is None)
        return prefix + (node.text if bare else f'"{node.text}"')
    if isinstance(node, Phrase):
        prefix = CANONICAL_PREFIX[node.field] + ":" if node.field else ""
        return prefix + '"' + " ".join(node.words) + '"'
    if isinstance(node, Not):
        inner = _unparse_node(node.item)
        return "-" + (f"({inner})" if isinstance(node.item, AllOf | AnyOf) else inner)
    if isinstance(node, AnyOf):
        return " OR ".join(
            f"({_unparse_node(item)})" if isinstance(item, AllOf) else _unparse_node(item)
            for item in node.items
        )
    # AllOf: OR binds tighter than the implicit AND, so AnyOf items need no parentheses.
    return " ".join(_unparse_node(item) for item in node.items)
