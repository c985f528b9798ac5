"""People named in Vietnamese news text: rule-based, fast, no model.

A person is a Vietnamese surname plus one to three capitalised syllables, accepted only where
the text announces a person: after a form of address ("đồng chí", "ông", "PGS.TS"), after a
role ("Chủ tịch UBND tỉnh Hà Tĩnh Võ Trọng Hải"), before a role ("Võ Trọng Hải, Phó Bí thư
Tỉnh ủy"), in a list that continues one of those ("các đồng chí: A, Phó Chủ tịch; B, ..."),
or — with nothing announcing it — when the run has the full shape of a Vietnamese name
(``crawler/people_shape.py``) and no place, street or organisation word around it.
Surnames that are also common words or given names ("Kim", "Hồng", "Tập", "Y", "H'") need
more evidence (``crawler/people_runs.py``).
The role stated next to a name is kept. Credit lines ("Tin và ảnh: ...", "Ảnh: ...") and the
byline are authors, not people in the story.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from crawler.article import Article, Person
from crawler.people_archive import folded_name
from crawler.people_lexicon import (
    ADMIN_UNITS,
    LIST_CUES,
    NON_NAME_WORDS,
    NOT_PERSON_BEFORE,
    PERSON_BEFORE_PHRASES,
    PERSON_PLACE_CUES,
    ROLE_STOP_WORDS,
    SCHOOL_BEFORE_PHRASES,
    Lexicon,
    Token,
    is_vietnamese_syllable,
    lexicon,
    skip_marks,
    tokenize,
    words,
)
from crawler.people_roles import RoleReader
from crawler.people_runs import (
    ETHNIC_APOSTROPHE_PREFIX,
    ambiguous_fits,
    name_inside,
    read_apostrophe_name,
)
from crawler.people_shape import CLAUSE_OPENERS, PlacePredicate, name_shape, unit_names

MAX_GIVEN_SYLLABLES = 3
WATER_SURNAMES = frozenset({"Hồ"})  # also "lake": "Hồ" + a place name is a lake, not a person
UNIT_ABBREVIATIONS = frozenset({"p", "q", "tp", "tx", "tt", "h", "x"})  # "P." is phường
SCHOOL_WORDS = frozenset({"trường", "thpt", "thcs", "th", "ptth", "đh", "cđ"})
# Words before a bare run (or the list it ends) that make it a place: streets, units, "tại".
PLACE_CONTEXT = NOT_PERSON_BEFORE | frozenset({"tại", "ở", "chuyên", "biển", "thể", "tuyến", "đài"})
LIST_OPENERS = frozenset({"như", "là", "gồm", ":"})
LIST_LOOKBACK = 40
# First words of forms of address that also name a group or an institution's staff: after
# them a two-syllable unit name is where they come from ("nông dân Đồng Tâm", "bác sĩ Bạch
# Mai"), not a person.
COLLECTIVE_FORMS = words("nông ngư học sinh giáo bác bs cựu lão nữ nam chiến bệnh")
ROLE_BEFORE_NAME_SPAN = 26  # tokens between a role head and the name it introduces


def extract_people(
    text: str,
    *,
    byline: str = "",
    is_place: PlacePredicate | None = None,
    confirmed: frozenset[str] = frozenset(),
) -> list[Person]:
    """People named in ``text``, in order of first mention, one entry per name.

    The role is the first one stated next to any mention of the name. Names that appear in
    ``byline`` (the author) are left out. ``is_place`` tells place names the word lists do not
    hold (a register of communes, say) from people's names: "Đồng Tâm" is a commune.
    ``confirmed`` holds names the archive states with a role elsewhere
    (``crawler.people_archive.confirmed_names``): those are people here too, role or not.
    """
    prepared = prepare_text(text)
    mentions = _Scanner(prepared, lexicon(), is_place, confirmed).scan()
    authors = names_in_byline(byline)
    return merge_mentions(mentions, exclude=authors)


def enrich_people(article: Article) -> Article:
    """The article with ``people`` extracted from title, sapo and body (author excluded)."""
    text = "\n\n".join(part for part in (article.title, article.sapo, article.body) if part)
    return article.with_changes(people=extract_people(text, byline=article.author))


def prepare_text(text: str) -> str:
    """NFC (NFD input splits syllables), no-break spaces as spaces."""
    return unicodedata.normalize("NFC", text or "").replace("\xa0", " ")


def names_in_byline(byline: str) -> set[str]:
    """Every surname-led capitalised run in a byline ("Tin và ảnh: Chu Thanh Hoài")."""
    if not byline:
        return set()
    scanner = _Scanner(prepare_text(byline), lexicon())
    names = set()
    for i in range(len(scanner.tokens)):
        found = scanner.read_name(i)
        if found:
            names.add(found[0])
    return names


def merge_mentions(mentions: list[Person], exclude: set[str]) -> list[Person]:
    """One Person per name, first-mention order, first non-empty role.

    Spellings that differ only in diacritics ("Vũ Đức Đam" / a typo "Vũ Đưc Đam") are one person
    within an article: the most frequent spelling wins, ties to the first seen.
    """
    spellings: dict[str, Counter[str]] = {}
    roles: dict[str, str] = {}
    for mention in mentions:
        if mention.name in exclude:
            continue
        key = folded_name(mention.name)
        spellings.setdefault(key, Counter())[mention.name] += 1
        if not roles.get(key):
            roles[key] = mention.role
    return [Person(counts.most_common(1)[0][0], roles[key]) for key, counts in spellings.items()]


class _Scanner:
    """One left-to-right pass over the tokens of a text, collecting mentions."""

    def __init__(
        self,
        text: str,
        lex: Lexicon,
        is_place: PlacePredicate | None = None,
        confirmed: frozenset[str] = frozenset(),
    ) -> None:
        self.text = text
        self.lex = lex
        self.confirmed = confirmed
        self.shape = name_shape()
        self.is_place = is_place or _no_place
        self.tokens: list[Token] = tokenize(text)
        self.mentions: list[Person] = []
        self.roles = RoleReader(self)
        self.announced_at = -1  # a name announced here may be a person named as a place

    # ---- the pass -------------------------------------------------------------------------
    def scan(self) -> list[Person]:
        # Only tokens that may start a credit, address, role or name are stepped on: for any
        # other token ``_step`` does nothing but move on, and those are ~90% of a text.
        lex = self.lex
        i = 0
        for start, tok in enumerate(self.tokens):
            if start >= i and (tok.low in lex.first_words or tok.text in lex.surnames):
                i = self._step(start)
        return self.mentions

    def _step(self, i: int) -> int:
        """Handle whatever starts at token ``i``; return the next position (always > i)."""
        tok, lex = self.tokens[i], self.lex
        low = tok.low
        # Each rule is tried only where its first word can stand (what it would check first
        # anyway): the same order and outcome, without a call per rule per token.
        if low in lex.credit_starts and (nxt := self._credit(i)) > i:
            return nxt
        if low in lex.address_starts and (nxt := self._address_then_name(i)) > i:
            return nxt
        if low in lex.role_starts and (nxt := self._role_then_name(i)) > i:
            return nxt
        if low == ":" and (nxt := self._colon_list(i)) > i:
            return nxt
        if tok.text in lex.surnames:
            if (nxt := self._name_then_role(i)) > i:
                return nxt
            if (nxt := self._name_by_shape(i)) > i:
                return nxt
        return i + 1

    def _credit(self, i: int) -> int:
        """Skip a photo/author credit and the name run after it."""
        end = self.lex.credits.match(self.tokens, i)
        if end < 0:
            end = self._short_theo_line(i)
        if end < 0:
            return -1
        while end < len(self.tokens) and not self.tokens[end].line_start:
            tok = self.tokens[end]
            if not (tok.is_capitalised_word or tok.text in "/-–"):
                break
            end += 1
        return end

    def _short_theo_line(self, i: int) -> int:
        """'Theo Vân Du' alone on its line is a source credit; 'Theo ông A, ...' is a sentence."""
        tok = self.tokens[i]
        if tok.low != "theo" or not tok.line_start or tok.text != "Theo":
            return -1
        end = i + 1
        while end < len(self.tokens) and not self.tokens[end].line_start:
            end += 1
        if end - i > 7 or self.lex.address.match(self.tokens, i + 1) > 0:
            return -1
        return i + 1

    def _address_then_name(self, i: int) -> int:
        end = self.lex.address.match(self.tokens, i)
        if end < 0:
            return -1
        name_at = skip_marks(self.tokens, end, ".:")
        self.announced_at = name_at
        if self.tokens[i].low in COLLECTIVE_FORMS and self._unit_named(name_at):
            return name_at  # "nông dân Đồng Tâm": the people of a commune
        return max(self.take_person(name_at, role=""), name_at)

    def _unit_named(self, i: int) -> bool:
        """Is the run at ``i`` two syllables that name an administrative unit ("Đồng Tâm")?"""
        found = self.read_name(i)
        return bool(found) and found[1] - i == 2 and found[0] in unit_names()

    def _role_then_name(self, i: int) -> int:
        found = self.roles.role_before_name(i, ROLE_BEFORE_NAME_SPAN)
        if found is None:
            return -1
        role, name_at, resume = found
        if name_at < 0:
            return resume
        return max(self.take_person(name_at, role=role), resume)

    def _colon_list(self, i: int) -> int:
        if self.tokens[i].text != ":" or not self._list_cue_before(i):
            return -1
        return self.take_person(i + 1, role="")

    def _name_then_role(self, i: int) -> int:
        """An unannounced name counts only when a role follows it ("A, Phó Bí thư ...")."""
        if self.tokens[i].text not in self.lex.surnames or self._blocked_before(i):
            return -1
        found = self.read_name(i)
        if not found:
            return -1
        role, _ = self.roles.role_after_name(found[1])
        if not role:
            return -1
        return self.take_person(i, role="")

    def _name_by_shape(self, i: int) -> int:
        """An unannounced run with the full shape of a name, nothing around it saying 'place'."""
        tok = self.tokens[i]
        if tok.text not in self.lex.surnames or self._blocked_before(i) or self._joined_before(i):
            return -1
        if i >= 2 and (self.tokens[i - 2].low, self.tokens[i - 1].low) in PERSON_PLACE_CUES:
            self.announced_at = i  # "tư tưởng Hồ Chí Minh": the person
        found = self.read_name(i)
        if not found:
            return -1
        parts, end = found[0].split(), found[1]
        if self._run_goes_on(end) or self._signs_off(end):
            return -1
        confirmed = folded_name(found[0]) in self.confirmed
        if not (confirmed or self.shape.is_full_name(parts)):
            return -1
        if tok.text in self.lex.announced_surnames and not confirmed:
            return -1  # "Hồng Nhung Không ...", "Thích Ca Liên Hoa": announced or confirmed only
        pieces = [" ".join(parts[:2])]
        if tok.low in CLAUSE_OPENERS or tok.text in WATER_SURNAMES:
            # "Từ Tiền Giang đến Cà Mau": a clause, then a place; "Hồ Phú Ninh": a lake
            pieces.append(" ".join(parts[1:]))  # ("Trương Gia Bình" keeps its "Gia Bình")
        if any(piece in self.lex.places or self.is_place(piece) for piece in pieces):
            return -1  # "Đồng Tâm Xanh": a place starts the run
        return self.take_person(i, role="")

    def _joined_before(self, i: int) -> bool:
        """Is the run an address, a school or a street by what comes before it? "18 Lê Văn
        Lương", "ngã ba Tôn Đức Thắng", "THPT chuyên Lê Hồng Phong", "trú tại Hoàng Hoa Thám",
        "các tuyến đường Nguyễn Văn Linh, Võ Văn Tần", "Hà Nội – Lê Văn A"."""
        if i == 0 or self.tokens[i].line_start:
            return False
        prev, before = self.tokens[i - 1], self.tokens[i - 2]
        if _house_number(prev.text) or before.low == "ngã" or before.low in SCHOOL_WORDS:
            return True
        if prev.text == "." and before.low in UNIT_ABBREVIATIONS:  # "P.Phạm Ngũ Lão, Q.1"
            return True
        if (before.low, prev.low) in SCHOOL_BEFORE_PHRASES:
            return True
        if prev.text in "-–—" and i >= 2 and before.is_capitalised_word:
            return True
        return self._in_place_list(i)

    def _in_place_list(self, i: int) -> bool:
        """Walk back over the comma list this run ends ("Thái Hà, Hoàng Mai, Tôn Thất Tùng"):
        a known place in it, or a street/unit word before it, makes it a list of places."""
        tokens, lex = self.tokens, self.lex
        k, stop = i - 1, max(-1, i - LIST_LOOKBACK)
        while k > stop and (tokens[k].is_capitalised_word or tokens[k].text == ","):
            if tokens[k].is_capitalised_word and lex.place_phrases.match(tokens, k) > 0:
                return True
            if tokens[k].line_start:
                return False
            k -= 1
        if k > 0 and tokens[k].low in LIST_OPENERS:  # "các phố như Tạ Hiện, Đào Duy Từ"
            k -= 1
        if k > 0 and (tokens[k - 1].low, tokens[k].low) in PERSON_BEFORE_PHRASES:
            return False  # "gia đình Lê Bá Chí Nhân"
        return k >= 0 and tokens[k].low in PLACE_CONTEXT

    def _signs_off(self, end: int) -> bool:
        """A name that ends the text ("... Trịnh Xuân Tư (TTXVN)") is its author's signature."""
        end = self._skip_parenthetical(end)
        tokens = self.tokens
        return all(not tok.text.isalnum() for tok in tokens[end:])

    def _run_goes_on(self, end: int) -> bool:
        """Is the run followed by more capitalised words (a heading, an organisation, a street
        pair "Tôn Đức Thắng – Phạm Như Xương") rather than by the sentence?"""
        tokens = self.tokens
        if end >= len(tokens) or tokens[end].line_start:
            return False
        if tokens[end].is_capitalised_word:  # unless a clause, role or organisation starts
            cut = self.lex.name_cuts.match(tokens, end) > 0 or self.roles.head_end(end) > 0
            return not (cut or self.shape.starts_clause(tokens, end))
        nxt = end + 1
        return (
            tokens[end].text in "-–—"
            and nxt < len(tokens)
            and tokens[nxt].is_capitalised_word
            and self.roles.head_end(nxt) < 0
        )

    # ---- names ----------------------------------------------------------------------------
    def take_person(self, i: int, role: str) -> int:
        """Record the person whose name starts at ``i`` and any list that continues it.

        Returns the position after everything consumed, or -1 when no name starts at ``i``.
        """
        found = self.read_name(i)
        if not found:
            return -1
        while found:
            name, end = found
            after_role, end = self.roles.role_after_name(end)
            self.mentions.append(Person(name, role or after_role))
            role = ""
            found, end = self._list_continuation(end)
        return end

    def _list_continuation(self, end: int) -> tuple[tuple[str, int] | None, int]:
        """After a person: ', B', '; B', 'và B', 'và ông B' continue the list."""
        tokens = self.tokens
        end = self._skip_parenthetical(end)  # "em A (SN 2009) và B"
        if end >= len(tokens) or tokens[end].line_start:
            return None, end
        if tokens[end].text not in ",;" and tokens[end].low not in ("và", "cùng"):
            return None, end
        nxt = end + 1
        address_end = self.lex.address.match(tokens, nxt)
        if address_end > 0:
            nxt = skip_marks(self.tokens, address_end, ".:")
        if nxt < len(tokens) and tokens[nxt].line_start:
            return None, end
        found = self.read_name(nxt)
        return (found, nxt) if found else (None, end)

    def read_name(self, i: int) -> tuple[str, int] | None:
        """Surname + 1–3 capitalised syllables on one line, not a place: (name, end) or None."""
        tokens, n = self.tokens, len(self.tokens)
        if i >= n or not tokens[i].is_capitalised_word:
            return None
        all_caps = len(tokens[i].text) > 1 and tokens[i].text.isupper()
        surname = _title(tokens[i].text) if all_caps else tokens[i].text
        person_place = i == self.announced_at and self.lex.person_places.match(tokens, i) > 0
        if surname not in self.lex.surnames:
            return None
        if surname == ETHNIC_APOSTROPHE_PREFIX:
            return read_apostrophe_name(tokens, i, self.lex, self.shape)  # "H'Hen Niê"
        if self.lex.place_prefixes.match(tokens, i) > 0 and not person_place:
            return None
        parts = [surname]
        end = i + 1
        while end < n and len(parts) <= MAX_GIVEN_SYLLABLES:
            tok = tokens[end]
            if tok.line_start or not tok.is_capitalised_word:
                break
            if all_caps != (tok.text.isupper() and len(tok.text) > 1) and len(tok.text) > 1:
                break  # an acronym after a name, or a name after an ALL-CAPS word
            if tok.low in NON_NAME_WORDS or self.lex.name_cuts.match(tokens, end) > 0:
                break
            if not all_caps and self.shape.starts_clause(tokens, end):
                break  # "Hồ Văn Núi Theo đó ...": the full stop before "Theo" was lost
            parts.append(_title(tok.text) if all_caps else tok.text)
            end += 1
        if len(parts) < 2 or self._initial_at(end - 1):
            return None  # "Trần Văn D." is an anonymised person, not a name to index
        if not is_vietnamese_syllable(parts[1]):
            return None  # "Ủy ban châu Âu Ursula von der Leyen": a foreign name after "Âu"
        if surname in self.lex.ambiguous_surnames and not ambiguous_fits(
            tokens, i, parts, self.lex, self.shape
        ):
            return None  # "Kim Ngân", "Hồng Kông", "Y Hà Nội"
        if name_inside(tokens, i, parts, self.lex):
            return None  # "trại Đồng Tâm Nguyễn Văn A": the name starts at "Nguyễn"
        if all_caps and end < n and tokens[end].is_capitalised_word and not tokens[end].line_start:
            return None  # in "ÔNG NGUYỄN VĂN AN PHÁT BIỂU" nothing says where the name ends
        name = " ".join(parts)
        if person_place:
            return name, end
        if (
            name in self.lex.places
            or self.lex.place_phrases.match(tokens, i) == end
            or self.is_place(name)
        ):
            return None
        return name, end

    def place_end(self, i: int) -> int:
        """End of a place name at ``i`` (known list, or two syllables after 'xã', 'tỉnh'...)."""
        end = self.lex.place_phrases.match(self.tokens, i)
        if end > 0:
            return end
        tokens = self.tokens
        if i == 0 or tokens[i].line_start or tokens[i - 1].low not in ADMIN_UNITS:
            return -1
        # An unlisted commune: two syllables ("xã Lê Hóa Nguyễn Văn X"), unless the run is
        # itself a full name and no full name follows it ("UBND tỉnh Võ Trọng Hải", "TP Nguyễn
        # Đức Chung Đúng 8h30 ..."); an acronym is one token ("TP HCM"); a two-syllable
        # run after a unit word is the unit ("tại xã Đồng Tâm vừa ...").
        found = self.read_name(i)
        if found and found[1] - i >= 3 and not self._full_name_at(i + 2):
            return -1
        if tokens[i].text.isupper() and len(tokens[i].text) > 1:
            return i + 1  # "TP HCM Đinh La Thăng": an acronym is the whole unit name
        end = i
        while end < min(i + 2, len(tokens)) and tokens[end].is_capitalised_word:
            if end > i and tokens[end].line_start:
                break
            end += 1
        return end if end > i else -1

    # ---- small helpers --------------------------------------------------------------------
    def _full_name_at(self, i: int) -> bool:
        found = self.read_name(i)
        return bool(found) and found[1] - i >= 3

    def _blocked_before(self, i: int) -> bool:
        """Is the word before ``i`` one that makes a capitalised run a street, school, unit?"""
        if i == 0 or self.tokens[i].line_start:
            return False
        prev = self.tokens[i - 1]
        if prev.low in NOT_PERSON_BEFORE:
            return i < 2 or (self.tokens[i - 2].low, prev.low) not in PERSON_BEFORE_PHRASES
        return prev.is_capitalised_word  # the tail of a longer capitalised run

    def _list_cue_before(self, i: int) -> bool:
        k = i - 1
        while k >= 0 and i - k <= 12 and self.tokens[k].text not in ".;!?":
            if self.tokens[k].low in LIST_CUES:
                return True
            if self.tokens[k].line_start:
                break
            k -= 1
        return False

    def _initial_at(self, i: int) -> bool:
        """A one-letter last syllable, or one without a vowel: "Trần Văn D.", "Nguyễn Thị Thu
        H (SN 2002)", "Nguyễn Thị Bích Ng." — an anonymised person."""
        word = self.tokens[i].text
        return len(word) == 1 or (len(word) <= 3 and not _VOWELS.intersection(word.lower()))

    def _skip_parenthetical(self, i: int) -> int:
        tokens = self.tokens
        if i >= len(tokens) or tokens[i].text != "(" or tokens[i].line_start:
            return i
        for k in range(i + 1, min(i + 16, len(tokens))):
            if tokens[k].line_start:
                break
            if tokens[k].text == ")":
                return k + 1
        return i

    def is_stop_word(self, i: int) -> bool:
        tok = self.tokens[i]
        return tok.low in ROLE_STOP_WORDS and tok.text == tok.low


_VOWELS = frozenset("aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def _house_number(word: str) -> bool:
    """A house number ("18 Phùng Hưng"), not a year ("Hoa hậu Việt Nam 2016 Phùng ...")."""
    return word.isdigit() and not (len(word) == 4 and word[:2] in ("19", "20"))


def _no_place(name: str) -> bool:
    return False


def _title(word: str) -> str:
    return word[0] + word[1:].lower()
