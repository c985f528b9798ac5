"""Reading the role stated next to a name, before it or after it (see ``crawler/people.py``).

"Chủ tịch UBND tỉnh Hà Tĩnh Võ Trọng Hải" — role, place, name.
"Võ Trọng Hải, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh làm trưởng đoàn" — name, role chain, verb.
A roster cell ("Đ/c Bùi Văn Hải" / "Bí thư Tỉnh ủy" on the next line) states it on its own line.
"""

from __future__ import annotations

import re
from typing import Protocol

from crawler.people_lexicon import (
    ADMIN_UNITS,
    NOT_PERSON_BEFORE,
    PERSON_BEFORE_PHRASES,
    ROLE_PREFIXES,
    Lexicon,
    PhraseSet,
    Token,
    skip_marks,
    words,
)

MAX_ROLE_TOKENS = 32
MAX_PARENTHETICAL_TOKENS = 12
MAX_ROSTER_CELL_TOKENS = 8  # "Đồng chí Nguyễn Thị Kim Ngân" and a number or a dot
ORG_BEFORE = NOT_PERSON_BEFORE - ADMIN_UNITS  # "Trường THPT Lê Quý Đôn" inside a role
# Organisation names that continue a role after a comma ("Trưởng khoa Tiết niệu, Bệnh viện
# Chợ Rẫy"; "Sở Văn hóa, Thể thao và Du lịch").
ORG_AFTER_COMMA = PhraseSet(
    ["Bệnh viện", "Trường", "Sở", "Bộ", "Công an", "Viện", "Học viện", "Đại học", "Công ty",
     "Tập đoàn", "Tổng công ty", "Ngân hàng", "UBND", "Ủy ban", "Trung tâm", "Cục", "Tổng cục",
     "Văn phòng", "Thể thao", "Thương binh", "Công nghệ"]
)  # fmt: skip
# Nouns of a unit inside an organisation: two capitalised syllables after one name the unit
# ("Khoa Tiết niệu", "Phòng Tổ chức"), not a person.
UNIT_NOUNS = words("khoa phòng ban vụ cục viện tổ ngành trạm")
PLACE_FOLLOWERS = words("và tại của thuộc kiêm nhiệm khóa khoá") | ADMIN_UNITS
_SPACE_RE = re.compile(r"[ \t]+")
_LINE_BREAK_RE = re.compile(r"\s*\n\s*")


class NameScanner(Protocol):
    """What RoleReader asks of the scanner that owns it (crawler.people), named here so this
    module need not import that one."""

    text: str
    tokens: list[Token]
    lex: Lexicon
    announced_at: int  # where a role or form of address announces a name

    def read_name(self, i: int) -> tuple[str, int] | None: ...
    def place_end(self, i: int) -> int: ...
    def is_stop_word(self, i: int) -> bool: ...


class RoleReader:
    def __init__(self, scanner: NameScanner) -> None:
        self.sc = scanner
        self.tokens = scanner.tokens
        self.text = scanner.text

    def role_before_name(self, i: int, span: int) -> tuple[str, int, int] | None:
        """A role head at ``i``: (role, name position or -1, where to resume), else None.

        The head must be capitalised here ("Bí thư Huyện ủy X Nguyễn Văn A"): a lowercase one
        ("đảng viên là trưởng thôn, Bí thư ...") is a common noun, not a title before a name.
        """
        head_end = self.head_end(i)
        if head_end < 0 or not self._capitalised_head(i):
            return None
        tokens, sc = self.tokens, self.sc
        j = head_end
        while j < len(tokens) and j - head_end <= span:
            tok = tokens[j]
            if tok.line_start or self._sentence_end(j) or sc.is_stop_word(j):
                break
            address_end = sc.lex.address.match(tokens, j)
            if address_end > 0:  # "Phó Chủ tịch UBND tỉnh Bình Dương ông Mai Hùng Dũng"
                if tokens[j - 1].low in ("và", "cùng", "với", ","):
                    break  # "... nguyên Đảng ủy viên ... và ông B": the role was someone else's
                name_at = skip_marks(self.tokens, address_end, ".:")
                if sc.read_name(name_at):
                    return self._span_text(i, j), name_at, name_at
                break
            if tok.text == ",":
                next_head_end = self._chain_continues(j + 1)
                if next_head_end > 0:
                    j = next_head_end
                    continue
                break
            if tok.is_capitalised_word:
                kind, at = self._capitalised_in_role(j)
                if kind == "name":
                    return self._span_text(i, j), j, j
                if kind == "end":
                    break
                if kind == "place":
                    j = at
                    continue
            j += 1
        return "", -1, head_end

    def role_after_name(self, end: int) -> tuple[str, int]:
        """The role right after a name (', Role', ' - Role', '(Role)', next line): (role, end)."""
        tokens = self.tokens
        if end >= len(tokens):
            return "", end
        opener = tokens[end]
        multiline = paren = False
        if opener.line_start:
            if not self._roster_cell(end):
                return "", end  # "... tranh luận vụ Đồng Tâm" ends a title, not a roster cell
            multiline = True
            start = end
        elif opener.text in ",-–—(":
            paren = opener.text == "("
            start = end + 1
            if start >= len(tokens) or tokens[start].line_start:
                return "", end
        else:
            return "", end
        head_end = self.head_end(start)
        if head_end < 0:
            return "", end
        stop, hit_name = self._extend(head_end, multiline)
        if hit_name:  # the role introduces the next person: "A, Phó Thủ tướng Trung Quốc B"
            return "", end
        role = self._span_text(start, stop)
        if paren and stop < len(tokens) and tokens[stop].text == ")":
            stop += 1
        return role, stop

    def _roster_cell(self, end: int) -> bool:
        """Is the line ending before ``end`` a short cell ("Đ/c Bùi Văn Hải"), not a sentence?"""
        k = end - 1
        while k > 0 and not self.tokens[k].line_start:
            k -= 1
        return end - k <= MAX_ROSTER_CELL_TOKENS

    def head_end(self, i: int) -> int:
        """End of a role head at ``i`` (with an optional 'nguyên'/'kiêm' before it), or -1."""
        tokens = self.tokens
        if i >= len(tokens):
            return -1
        if tokens[i].low in ROLE_PREFIXES:
            i += 1
        return self.sc.lex.roles.match(tokens, i)

    def _capitalised_head(self, i: int) -> bool:
        if self.tokens[i].low in ROLE_PREFIXES:
            i += 1
        return i < len(self.tokens) and self.tokens[i].text[0].isupper()

    def _chain_continues(self, j: int) -> int:
        """After a comma: another role, an organisation, or a unit ('xã X, huyện Y') goes on."""
        tokens = self.tokens
        if j >= len(tokens) or tokens[j].line_start:
            return -1
        end = self.head_end(j)
        if end < 0:
            end = ORG_AFTER_COMMA.match(tokens, j)
        if end < 0 and tokens[j].text in ADMIN_UNITS:
            end = j + 1
        return end

    def _extend(self, j: int, multiline: bool) -> tuple[int, bool]:
        """Walk over the organisation after a role head; (stop, whether a name was reached)."""
        tokens, sc = self.tokens, self.sc
        limit = j + MAX_ROLE_TOKENS
        while j < len(tokens) and j < limit:
            tok = tokens[j]
            if tok.line_start:
                head_end = self.head_end(j) if multiline and not self._heading(j) else -1
                if head_end < 0:
                    break
                j = head_end
                limit = j + MAX_ROLE_TOKENS
                continue
            if tok.text == ")" or self._sentence_end(j):
                break
            if tok.text == "(":
                close = self._closing_paren(j)
                if close < 0 or not tokens[j + 1].is_capitalised_word:
                    break  # "(huyện Tiên Phước, Quảng Nam)" says where, not what
                j = close + 1
                if self._verb_after_place(j):
                    break  # "Hiệu trưởng Trường THPT Việt Đức (Hà Nội) đưa ra ..."
                continue
            if tok.text == ",":
                head_end = self._chain_continues(j + 1)
                if head_end < 0:
                    break
                j = head_end
                limit = j + MAX_ROLE_TOKENS
                continue
            if tok.text in "-–—" or tok.low == "và":
                if j + 1 < len(tokens) and tokens[j + 1].is_capitalised_word:
                    j += 1
                    continue
                break
            if sc.is_stop_word(j) or sc.lex.address.match(tokens, j) > 0:
                break
            if tok.is_capitalised_word:
                kind, at = self._capitalised_in_role(j)
                if kind == "name":
                    return j, True
                if kind in ("end", "place"):
                    j = at
                    if kind == "end":
                        break
                    continue
            j += 1
        return j, False

    def _capitalised_in_role(self, j: int) -> tuple[str, int]:
        """What a capitalised word inside a role is: ("place", end) — a place name to step
        over; ("end", end) — a place followed by a plain verb, so the role is over; ("name", j)
        — a person's name starts here; ("word", j) — part of the role (an organisation)."""
        if self.sc.lex.person_places.match(self.tokens, j) > 0 and self._after_head(j):
            self.sc.announced_at = j  # "Chủ tịch Hồ Chí Minh": the person, not the city
            return "name", j
        place_end = self.sc.place_end(j)
        if place_end > 0:
            return ("end" if self._verb_after_place(place_end) else "place"), place_end
        prev = self.tokens[j - 1]
        org_word = prev.low in ORG_BEFORE and (
            j < 2 or (self.tokens[j - 2].low, prev.low) not in PERSON_BEFORE_PHRASES
        )  # "Trường THPT Lê Quý Đôn" but "Chủ tịch Quốc hội Nguyễn Thị Kim Ngân"
        found = None if org_word else self.sc.read_name(j)
        if found and found[1] - j < 3 and prev.low in UNIT_NOUNS:
            return "word", j  # "Trưởng Khoa Tiết Niệu": a department named after its head
        if found and (found[1] - j >= 3 or not prev.text.islower() or self._after_head(j)):
            return "name", j  # "Bộ trưởng Công an Tô Lâm", "Thứ trưởng Phan Tâm"
        return "word", j  # "Phó giám đốc trại rắn Đồng Tâm": a two-syllable organisation

    def _after_head(self, j: int) -> bool:
        """Does a role head end right before ``j`` ("Phó giám đốc | Lê Hùng")?"""
        return any(self.head_end(k) == j for k in range(max(0, j - 4), j))

    def _verb_after_place(self, j: int) -> bool:
        """'UBND tỉnh Bình Dương giới thiệu': a plain lowercase word after a place ends a role."""
        if j >= len(self.tokens) or self.tokens[j].line_start:
            return False
        tok = self.tokens[j]
        return tok.text.isalpha() and tok.text == tok.low and tok.low not in PLACE_FOLLOWERS

    def _heading(self, j: int) -> bool:
        """A line of capitalised words only ("Ủy Viên Ban Thường Vụ Tỉnh Ủy") is a heading."""
        k = j
        while k < len(self.tokens) and (k == j or not self.tokens[k].line_start):
            if self.tokens[k].text.isalpha() and not self.tokens[k].text[0].isupper():
                return False
            k += 1
        return True

    def _closing_paren(self, j: int) -> int:
        for k in range(j + 1, min(j + MAX_PARENTHETICAL_TOKENS, len(self.tokens))):
            if self.tokens[k].line_start:
                return -1
            if self.tokens[k].text == ")":
                return k
        return -1

    def _sentence_end(self, j: int) -> bool:
        """'.', ';', ':' ... that end a clause; 'TP.HCM' and 'PGS.TS' keep their dot."""
        tok = self.tokens[j]
        if tok.text not in ".;:!?":
            return False
        glued = tok.end < len(self.text) and not self.text[tok.end].isspace()
        return not (tok.text == "." and glued)

    def _span_text(self, start: int, stop: int) -> str:
        """Role text from token ``start`` up to (not including) token ``stop``, tidied."""
        if stop <= start:
            return ""
        raw = self.text[self.tokens[start].start : self.tokens[stop - 1].end]
        raw = _LINE_BREAK_RE.sub(", ", raw)
        return _SPACE_RE.sub(" ", raw).strip(" ,-–—(")
