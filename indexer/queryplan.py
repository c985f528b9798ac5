"""The engine-neutral query plan: what a document must hold, and how it is scored.

``build_plan`` turns the parsed query (``indexer.querylang``) into a small tree of plan nodes;
each engine compiles the tree into its own query objects in a few lines (``whoosh_query``,
``tantivy_query``), so both engines match the same set by construction.

The matching contract (README, /huong-dan):

- A syllable typed with any diacritic matches only that syllable (case, Unicode form and
  tone-mark placement ignored: ``hoà`` = ``hòa``); one typed without any matches every
  accented form (đ→d too). Per word, so mixed queries work ("nông thôn moi": the word
  "nông thôn" exactly, "moi" in any form); inside a word typed with diacritics, a bare
  syllable is meant bare ("Nguyễn Thanh Phong" is not "Nguyễn Thành Phong").
- A word of several syllables matches only where its syllables stand together; different
  words may stand anywhere (AND). Quoted text and a field value are one word; plain words are
  read into words by ``indexer.reading``.

Scoring is the measured ranking of ``indexer.ranking``, untouched: the scored parts are the
ones the engines always built (folded syllables required, exact forms, pairs and title
matches as boosts). The contract adds *conditions*: nodes with no score (``boost=0``,
``Run``) that only narrow the set, so the order among true matches stays what the known-item
evaluation measured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from indexer import ranking as rules
from indexer.analysis import Token, fold, has_diacritics, pairs, tokenize
from indexer.api import PlaceRead
from indexer.querylang import AllOf, AnyOf, Node, Not, Phrase, Term
from indexer.reading import Exists, Word, read_units

PAIR_FIELD = "pairs_f"
EXACT_PAIR_FIELD = "pairs_x"
# Place conditions (``indexer.places``: the same names; not imported, to keep this module
# free of the directory): unit keys, and unit plus related keys for a search with history.
PLACE_FIELD = "place_keys"
HISTORY_FIELD = "place_hist"
NO_PLACE = "?"  # no unit has this key: a place naming no unit matches nothing

# A typed place and whether history is on → the units it includes (indexer.places).
PlaceReader = Callable[[str, bool], tuple[PlaceRead, ...]]


def no_places(_text: str, _history: bool) -> tuple[PlaceRead, ...]:
    return ()


# -- plan nodes ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TermLeaf:
    """One term of one index field; ``boost`` 0 makes it a condition that adds no score."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class PhraseLeaf:
    """Folded syllables at consecutive positions of one folded field (scored as a phrase)."""

    field: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class PairPhraseLeaf:
    """A phrase of plain text: its folded pairs (scored) and its syllables' positions."""

    words: tuple[str, ...]
    pairs: tuple[str, ...]


@dataclass(frozen=True)
class Syllable:
    form: str  # the exact form when ``exact``, else the folded form
    exact: bool


@dataclass(frozen=True)
class Run:
    """A condition (no score): the syllables stand at consecutive positions, each read from
    the field's exact twin when typed with diacritics (prefixed fields only: words of the text
    are exact by their exact pairs), else from the folded field. ``pairs`` are folded pairs
    every match holds (engines may use them to find candidates)."""

    field: str | None  # the query field: None is the article text
    syllables: tuple[Syllable, ...]
    pairs: tuple[str, ...] = ()
    exact_pairs: tuple[str, ...] = ()  # exact pairs every match holds too (``pairs_x``)


@dataclass(frozen=True)
class All:
    must: tuple[PlanNode, ...]
    should: tuple[PlanNode, ...] = ()
    must_not: tuple[PlanNode, ...] = ()


@dataclass(frozen=True)
class Any:
    items: tuple[PlanNode, ...]


PlanNode = TermLeaf | PhraseLeaf | PairPhraseLeaf | Run | All | Any


# -- compiling a plan --------------------------------------------------------------------------
class PlanCompiler:
    """The walk every engine's compiler shares: each node kind becomes the engine's query
    object through one method (``term``, ``phrase``, ``pair_phrase``, ``run``, ``any_of``,
    ``all_of``), children compiled first."""

    def build(self, plan: Plan):
        """The engine's query for a plan; None when nothing positive is asked."""
        return None if plan.root is None else self.compile(plan.root)

    def compile(self, node: PlanNode):
        if isinstance(node, TermLeaf):
            return self.term(node.field, node.text, node.boost)
        if isinstance(node, PhraseLeaf):
            return self.phrase(node.field, list(node.words))
        if isinstance(node, PairPhraseLeaf):
            return self.pair_phrase(node)
        if isinstance(node, Run):
            return self.run(node)
        if isinstance(node, Any):
            return self.any_of([self.compile(item) for item in node.items])
        if isinstance(node, All):
            return self.all_of(
                [self.compile(item) for item in node.must],
                [self.compile(item) for item in node.should],
                [self.compile(item) for item in node.must_not],
            )
        raise TypeError(f"unknown plan node {node!r}")

    def term(self, field_name: str, text: str, boost: float = 1.0):
        raise NotImplementedError

    def phrase(self, field_name: str, words: list):
        raise NotImplementedError

    def pair_phrase(self, node: PairPhraseLeaf):
        raise NotImplementedError

    def run(self, node: Run):
        raise NotImplementedError

    def any_of(self, items: list):
        raise NotImplementedError

    def all_of(self, must: list, should: list, must_not: list):
        """Every ``must``; ``should`` only add to the score; no ``must_not``."""
        raise NotImplementedError


# -- how the query was read --------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    """One word as the plan reads it, for the "understood as" line."""

    text: str  # as typed (normalised), e.g. "Hà Tĩnh"
    syllables: int
    exact: bool  # its syllables match as typed (else every accented form)
    field: str | None = None
    excluded: bool = False  # a word after "-": articles holding it are left out
    places: tuple[PlaceRead, ...] = ()  # a place: the units it was read as


@dataclass(frozen=True)
class Options:
    """How strictly plain words are read: the defaults are the contract; the loosened
    readings are offered on the results page."""

    group_words: bool = True  # False: every plain word stands alone (not contiguous)
    exact_accents: bool = True  # False: every syllable matches every accented form
    history: bool = False  # a place includes the units it was merged into or from


@dataclass
class Plan:
    root: PlanNode | None
    units: list[Unit] = field(default_factory=list)
    groupable: bool = False  # some unit of several plain words could be loosened
    accented: bool = False  # some syllable must match its diacritics
    warnings: list[str] = field(default_factory=list)  # places that name no indexed unit
    history: bool = False  # places include the units they were merged into or from


def build_plan(
    root: Node | None,
    exists: Exists,
    options: Options = Options(),
    places: PlaceReader = no_places,
) -> Plan:
    """The plan for a parsed query's AST (None: nothing positive to match)."""
    if root is None:
        return Plan(None, history=options.history)
    builder = _Builder(exists, options, places)
    parts = builder.translate(root)
    if not parts.required:  # only words with nothing searchable in them: match nothing
        return Plan(None, builder.units, warnings=builder.warnings, history=options.history)
    return Plan(
        _assemble(parts),
        builder.units,
        builder.groupable,
        builder.accented,
        builder.warnings,
        options.history,
    )


def matching_part(plan: Plan) -> PlanNode | None:
    """The plan without its boosts: what decides which documents match, for a count."""
    return None if plan.root is None else _without_boosts(plan.root)


def _without_boosts(node: PlanNode) -> PlanNode:
    if isinstance(node, All):
        return All(tuple(_without_boosts(n) for n in node.must), (), node.must_not)
    if isinstance(node, Any):
        return Any(tuple(_without_boosts(n) for n in node.items))
    return node


def unit_condition(tokens: Sequence[Token], exact_accents: bool = True) -> PlanNode | None:
    """The condition a run of text syllables puts on a document (see ``Run``), alone: what
    ``exists`` asks the engine about while reading a query."""
    found = _Builder(lambda _t, fold=False: False, Options(exact_accents=exact_accents)).condition(
        list(tokens), None
    )
    return found[0] if len(found) == 1 else All(tuple(found)) if found else None


# -- building ---------------------------------------------------------------------------------
@dataclass
class _Parts:
    required: list[PlanNode] = field(default_factory=list)
    optional: list[PlanNode] = field(default_factory=list)
    negative: list[PlanNode] = field(default_factory=list)

    def merge(self, other: _Parts) -> None:
        self.required += other.required
        self.optional += other.optional
        self.negative += other.negative


def _assemble(parts: _Parts) -> PlanNode:
    must = tuple(dict.fromkeys(parts.required))
    if not parts.optional and not parts.negative and len(must) == 1:
        return must[0]
    return All(must, tuple(dict.fromkeys(parts.optional)), tuple(dict.fromkeys(parts.negative)))


class _Builder:
    def __init__(self, exists: Exists, options: Options, places: PlaceReader = no_places) -> None:
        self.exists = exists
        self.options = options
        self.places = places
        self.units: list[Unit] = []
        self.groupable = False
        self.accented = False
        self.warnings: list[str] = []

    def translate(self, node: Node) -> _Parts:
        if isinstance(node, Term | Phrase) and node.field == "place":
            return self.place(node.text if isinstance(node, Term) else " ".join(node.words))
        if isinstance(node, Term):
            if node.field is None:
                return self.plain_run([node])
            return self.words(tokenize(node.text), node.field, phrase=False, text=node.text)
        if isinstance(node, Phrase):
            # A break the user wrote inside the quotes stays one: no pair spans it.
            marked = [w + "." if i + 1 in node.breaks else w for i, w in enumerate(node.words)]
            tokens = tokenize(" ".join(marked))
            return self.words(tokens, node.field, phrase=True, text=" ".join(node.words))
        if isinstance(node, Not):
            first = len(self.units)
            inner = self.translate(node.item)
            self.units[first:] = [replace(u, excluded=True) for u in self.units[first:]]
            negative = [_assemble(inner)] if inner.required else []
            return _Parts(negative=negative)
        if isinstance(node, AnyOf):
            return self.any_of(node)
        if isinstance(node, AllOf):
            return self.all_of(node)
        raise TypeError(f"unknown query node {node!r}")

    def place(self, text: str) -> _Parts:
        """A place: articles naming any unit it may mean (with history, or a unit merged
        into or from one of them). A condition without score: places never reorder."""
        history = self.options.history
        # Diacritics ignored (the loosened reading): the name matches every form too.
        reads = self.places(text if self.options.exact_accents else fold(text), history)
        exact = self.options.exact_accents and has_diacritics(text)
        self.accented |= exact  # "Bỏ qua dấu" is offered for a place name too
        self.units.append(Unit(text, len(text.split()), exact, "place", places=reads))
        if not reads:
            self.warnings.append(
                f'Không có địa danh «{text}» trong các bài đã lưu: điều kiện nơi:"{text}" '
                "không khớp bài nào."
            )
        field_name = HISTORY_FIELD if history else PLACE_FIELD
        keys = [r.ref.key for r in reads if not r.via] or [NO_PLACE]
        leaves = tuple(TermLeaf(field_name, key, 0.0) for key in keys)
        return _Parts(required=[leaves[0] if len(leaves) == 1 else Any(leaves)])

    def all_of(self, node: AllOf) -> _Parts:
        result = _Parts()
        run: list[Term] = []  # consecutive plain words: read into words, scored together
        for item in node.items:
            if isinstance(item, Term) and item.field is None:
                run.append(item)
                continue
            if run:
                result.merge(self.plain_run(run))
            run = []
            result.merge(self.translate(item))
        if run:
            result.merge(self.plain_run(run))
        return result

    def any_of(self, node: AnyOf) -> _Parts:
        result = _Parts()
        alternatives: list[PlanNode] = []
        for item in node.items:
            parts = self.translate(item)
            if not parts.required:
                continue
            alternatives.append(All(tuple(parts.required), (), tuple(parts.negative)))
            result.optional += parts.optional
        if alternatives:
            result.required.append(Any(tuple(alternatives)))
        return result

    def plain_run(self, terms: list[Term]) -> _Parts:
        """Consecutive plain words: scored as one run (as always), matched word by word."""
        words = _words_of(terms)
        tokens = [t for w in words for t in w.tokens]
        if not tokens:
            return _Parts()
        parts = self.scored(tokens, None, phrase=False)
        for start, end in read_units(words, self.exists, self.options.group_words):
            unit_tokens = [t for w in words[start:end] for t in w.tokens]
            text = " ".join(w.text for w in words[start:end])
            self.groupable |= end - start > 1
            self.note_unit(text, unit_tokens, None)
            _require(parts, self.condition(unit_tokens, None))
        return parts

    def words(self, tokens: list[Token], field_name: str | None, phrase: bool, text: str):
        """A quoted phrase or a field value: one word, scored as before, plus its condition."""
        if not tokens:
            return _Parts()
        parts = self.scored(tokens, field_name, phrase)
        self.note_unit(text, tokens, field_name)
        if phrase and field_name is not None and self.is_exact(tokens, field_name):
            _positions_by_condition(parts, tokens, field_name)
        _require(parts, self.condition(tokens, field_name, scored_phrase=phrase))
        return parts

    def note_unit(self, text: str, tokens: list[Token], field_name: str | None) -> None:
        exact = self.is_exact(tokens, field_name)
        self.accented |= exact
        self.units.append(Unit(text, len(tokens), exact, field_name))

    def is_exact(self, tokens: list[Token], field_name: str | None) -> bool:
        """Whether a word's syllables match only as typed: the word carries a diacritic
        somewhere. Then its bare syllables are meant bare too ("Nguyễn Thanh Phong" is not
        "Nguyễn Thành Phong"); a word typed without any matches every accented form."""
        has_exact_field = rules.FIELD_MAP[field_name][1] is not None
        return (
            self.options.exact_accents
            and has_exact_field
            and any(has_diacritics(t.text) for t in tokens)
        )

    # -- conditions (no score) ---------------------------------------------------------------
    def condition(
        self, tokens: list[Token], field_name: str | None, scored_phrase: bool = False
    ) -> list[PlanNode]:
        """What the contract adds to the scored parts for one word of ``tokens``: its exact
        syllable; or its pairs (short posting lists, which engines read first: folded, and
        exact where typed with diacritics) and, where pairs do not settle it (three syllables
        or more), the run of its syllables."""
        folded_field, exact_field = rules.FIELD_MAP[field_name]
        exact = self.is_exact(tokens, field_name)
        if len(tokens) == 1:
            token = tokens[0]
            return [TermLeaf(exact_field, token.text, 0.0) if exact else
                    TermLeaf(folded_field, token.folded, 0.0)]  # fmt: skip
        if field_name is not None:  # a prefixed field: no pair fields, positions of its own
            if scored_phrase and not exact:
                return []  # the scored phrase is the whole condition
            syllables = tuple(Syllable(t.text if exact else t.folded, exact) for t in tokens)
            return [Run(field_name, syllables)]
        word_pairs = pairs(tokens)
        found: list[PlanNode] = [TermLeaf(PAIR_FIELD, p.folded, 0.0) for p in word_pairs]
        if exact:
            found += [TermLeaf(EXACT_PAIR_FIELD, p.text, 0.0) for p in word_pairs]
        # Pairs settle a two-syllable word; a longer one needs its positions, which a scored
        # pair phrase already checks.
        if (len(tokens) > 2 or len(word_pairs) != 1) and not scored_phrase:
            syllables = tuple(Syllable(t.folded, False) for t in tokens)
            exact_pairs = tuple(p.text for p in word_pairs) if exact else ()
            found.append(Run(None, syllables, tuple(p.folded for p in word_pairs), exact_pairs))
        return list(dict.fromkeys(found))

    # -- the scored parts (indexer.ranking's rules, as the engines always applied them) ----------
    def scored(self, tokens: list[Token], field_name: str | None, phrase: bool) -> _Parts:
        folded_field, exact_field = rules.FIELD_MAP[field_name]
        parts = _Parts()
        if len(tokens) == 1 or not phrase and field_name is None:
            must, may = rules.split_required(tokens) if field_name is None else (tokens, [])
            parts.required += [TermLeaf(folded_field, f) for f in rules.distinct_folded(must)]
            parts.optional += [TermLeaf(folded_field, f) for f in rules.distinct_folded(may)]
        else:
            parts.required.append(scored_phrase(tokens, field_name))
        if exact_field and rules.EXACT_BOOST:
            marked = [t.text for t in tokens if has_diacritics(t.text)]
            parts.optional += [
                TermLeaf(exact_field, w, rules.EXACT_BOOST)
                for w in rules.telling(marked, rules.MAX_EXACT_BOOSTS)
            ]
        if (
            field_name is None
            and rules.TITLE_BOOST
            and len(tokens) <= rules.TITLE_BOOST_MAX_SYLLABLES
        ):
            parts.optional += [TermLeaf("title_f", t.folded, rules.TITLE_BOOST) for t in tokens]
        if field_name is None and rules.PAIR_BOOST:
            kept = rules.telling([p.folded for p in pairs(tokens)], rules.MAX_PAIR_BOOSTS)
            parts.optional += [TermLeaf(PAIR_FIELD, p, rules.PAIR_BOOST) for p in kept]
        return parts


def _words_of(terms: list[Term]) -> list[Word]:
    """The run's words with their tokens, cut from the whole run so that the punctuation the
    user wrote after a word ("Hà Nội: …") is a break between syllables, as in the index."""
    marked = " ".join(t.text + "." if t.brk else t.text for t in terms)
    tokens = tokenize(marked)
    words, start = [], 0
    for term in terms:
        count = len(tokenize(term.text))
        if count:
            words.append(Word(term.text, tuple(tokens[start : start + count]), term.brk))
        start += count
    return words


def _require(parts: _Parts, conditions: list[PlanNode]) -> None:
    """Add a word's conditions to the required parts. A condition that a scored part already
    is (a folded syllable, required and scored anyway) adds nothing; one that a boost is (an
    exact syllable, a pair) makes that boost required: every match holds it, so its score is
    the same, and engines read the short list first instead of after the long ones."""
    for condition in conditions:
        if isinstance(condition, TermLeaf):
            key = (condition.field, condition.text)
            if any(_term_key(node) == key for node in parts.required):
                continue
            boost = next((node for node in parts.optional if _term_key(node) == key), None)
            if boost is not None:
                parts.optional.remove(boost)
                parts.required.append(boost)
                continue
        parts.required.append(condition)


def _term_key(node: PlanNode) -> tuple[str, str] | None:
    return (node.field, node.text) if isinstance(node, TermLeaf) else None


def _positions_by_condition(parts: _Parts, tokens: list[Token], field_name: str) -> None:
    """A prefixed phrase typed with diacritics is matched by its exact run (a condition that
    reads positions): its folded phrase is scored by its syllables instead, not checked for
    positions a second time."""
    folded_field, _exact = rules.FIELD_MAP[field_name]
    words = tuple(t.folded for t in tokens)
    if PhraseLeaf(folded_field, words) in parts.required:
        parts.required.remove(PhraseLeaf(folded_field, words))
        parts.required += [TermLeaf(folded_field, w) for w in dict.fromkeys(words)]


def scored_phrase(tokens: list[Token], field_name: str | None) -> PlanNode:
    """The required, scored part of a quoted phrase (``ranking.phrase_pairs``): one pair term,
    the pairs plus positions, or positions alone (a prefixed field, a break inside)."""
    folded_field, _exact = rules.FIELD_MAP[field_name]
    words = tuple(t.folded for t in tokens)
    pair_terms = rules.phrase_pairs(tokens, field_name)
    if pair_terms is None:
        return PhraseLeaf(folded_field, words)
    if len(pair_terms) == 1:
        return TermLeaf(PAIR_FIELD, pair_terms[0])
    return PairPhraseLeaf(words, tuple(pair_terms))
