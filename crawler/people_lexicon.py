"""Word lists and token helpers for people extraction (see ``crawler/people.py``).

Everything here is data: surnames, places, role heads, forms of address, and a phrase matcher
that works on the token stream. The lists live in ``crawler/data`` (origins in its README).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")

# Words, numbers, and every punctuation mark as its own token ("Đ/c" -> "Đ", "/", "c").
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")


@dataclass(slots=True)  # not frozen: frozen init is markedly slower, and tokens are many
class Token:
    text: str
    low: str
    start: int
    end: int
    line_start: bool  # first token of its line: names and roles never run across lines

    @property
    def is_capitalised_word(self) -> bool:
        return self.text[0].isupper() and self.text.isalpha()


def skip_marks(tokens: list[Token], i: int, marks: str) -> int:
    """The first position at or after ``i`` whose token is not one of ``marks`` (".:" …)."""
    while i < len(tokens) and tokens[i].text in marks:
        i += 1
    return i


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    offset = 0
    for line in text.split("\n"):
        line_start = True
        for match in TOKEN_RE.finditer(line):
            word = match.group()
            append(
                Token(word, word.lower(), offset + match.start(), offset + match.end(), line_start)
            )
            line_start = False
        offset += len(line) + 1
    return tokens


class PhraseSet:
    """Case-insensitive multi-token phrases, matched longest first at a token position."""

    def __init__(self, phrases: list[str]) -> None:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(t.lower() for t in TOKEN_RE.findall(phrase))
            if words:
                by_first.setdefault(words[0], []).append(words)
        self._by_first = {k: sorted(set(v), key=len, reverse=True) for k, v in by_first.items()}

    @property
    def first_words(self) -> frozenset[str]:
        return frozenset(self._by_first)

    def match(self, tokens: list[Token], i: int) -> int:
        """End index (exclusive) of the longest phrase starting at ``i`` on one line, or -1."""
        candidates = self._by_first.get(tokens[i].low) if i < len(tokens) else None
        if not candidates:
            return -1
        for words in candidates:
            end = i + len(words)
            if end > len(tokens):
                continue
            if all(
                tokens[i + k].low == words[k] and not tokens[i + k].line_start
                for k in range(1, len(words))
            ):
                return end
        return -1


# A Vietnamese syllable with its diacritics taken off: onset, one to three vowels, coda.
_SYLLABLE_RE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?"
)
# The marks Vietnamese writes: five tones, circumflex, breve, horn (a diaeresis or cedilla is
# a foreign word or text decoded with the wrong code page).
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VIETNAMESE_MARKS = _TONE_MARKS | frozenset("\u0302\u0306\u031b")


def is_vietnamese_syllable(word: str) -> bool:
    """Could ``word`` be one Vietnamese syllable? ("Thắng" yes; "Ursula", "Robert" no)."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    base = "".join(c for c in decomposed if c not in _VIETNAMESE_MARKS)
    if sum(c in _TONE_MARKS for c in decomposed) > 1:
        return False  # two tone marks: text decoded with the wrong code page
    return base.isascii() and _SYLLABLE_RE.fullmatch(base) is not None


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and edit)."""
    return frozenset(text.split())


# Forms of address and honorifics that announce a name ("ông", "PGS.TS", "Trung tá", ...).
ADDRESS_FORMS = [
    "đồng chí", "đ/c", "ông", "bà", "anh", "chị", "em", "cháu", "cụ", "thầy", "cô", "bé",
    "bác sĩ", "bs", "bsck", "bsckii", "bs.ckii", "bs.cki", "y sĩ", "dược sĩ", "ngài",
    "pgs", "gs", "ts", "ths", "pgs.ts", "pgs-ts", "gs.ts", "gs-ts", "pgs.ts.bs", "ths.bs",
    "ts.bs", "ts.bs.", "tiến sĩ", "thạc sĩ", "giáo sư", "phó giáo sư", "tiến sỹ", "thạc sỹ",
    "nhà báo", "nghệ sĩ", "nsnd", "nsưt", "nghệ nhân", "nhà văn", "nhà thơ", "nhạc sĩ",
    "họa sĩ", "hoạ sĩ", "ca sĩ", "diễn viên", "luật sư", "ls", "kỹ sư", "ks", "kiến trúc sư",
    "thiếu tướng", "trung tướng", "thượng tướng", "đại tướng", "tướng", "đại tá", "thượng tá",
    "trung tá", "thiếu tá", "đại úy", "thượng úy", "trung úy", "thiếu úy", "đại uý", "thượng uý",
    "trung uý", "thiếu uý", "lão nông", "nông dân", "ngư dân", "bệnh nhân", "ca bệnh",
    "sản phụ", "học sinh", "sinh viên", "giáo viên", "cô giáo", "thầy giáo", "nữ sinh",
    "nam sinh", "tài xế", "chiến sĩ", "liệt sĩ", "anh hùng", "mẹ", "bố", "vợ", "chồng",
    "con trai", "con gái", "tên là", "họ tên", "tổng thống", "chuyên gia",
    "nhà nghiên cứu", "nhà khoa học", "thượng tọa", "hòa thượng", "linh mục", "bị can", "bị cáo",
    "đối tượng", "nghi phạm", "nạn nhân", "cựu chiến binh", "doanh nhân", "giám thị",
    # occupations of sport and show business announce a name as surely as "ông"
    "cầu thủ", "tuyển thủ", "danh thủ", "thủ môn", "thủ thành",
    "tiền đạo", "tiền vệ", "hậu vệ", "trung vệ", "vđv", "vận động viên", "tay vợt", "võ sĩ",
    "kỳ thủ", "xạ thủ", "trọng tài", "giám khảo", "thí sinh", "hoa hậu", "á hậu", "người mẫu",
    "đạo diễn", "nhà sản xuất", "biên kịch", "nhiếp ảnh gia", "nhà thiết kế",
    "lái tàu", "lái xe", "phụ xe", "thuyền trưởng", "cư sĩ", "thiền sư", "tỳ khưu", "đại đức",
    "ni sư", "sư thầy", "nhà sư", "chú", "bác", "dì", "lãnh tụ",
]  # fmt: skip

# Organisations whose first word is also a given name ("Đoàn Văn Lòn Công an tỉnh ..."): the
# name ends before them.
ORGANISATION_PHRASES = [
    "Công an", "Ủy ban", "Uỷ ban", "Hội đồng", "Bệnh viện", "Học viện", "Ngân hàng",
    "Tập đoàn", "Trung tâm", "Đại học", "Công ty", "Cán bộ", "Chi cục", "Tổng cục",
]  # fmt: skip

# Credit lines name authors and photographers, not people in the story.
CREDIT_CUES = [
    "ảnh :", "ảnh minh họa :", "ảnh minh hoạ :", "tin và ảnh :", "bài và ảnh :", "tin , ảnh :",
    "bài , ảnh :", "bài :", "tin :", "nguồn :", "video :", "clip :", "đồ họa :", "đồ hoạ :",
    "thực hiện :", "ảnh , video :", "nguồn ảnh :",
]  # fmt: skip

# Capitalised phrases a name never runs into: "Võ Văn Thưởng Trung ương" is not a longer name.
NAME_CUT_PHRASES = [
    "Trung ương", "Tỉnh ủy", "Tỉnh uỷ", "Thành ủy", "Thành uỷ", "Huyện ủy", "Huyện uỷ",
    "Quận ủy", "Đảng ủy", "Bộ Chính trị", "Quốc hội", "Chính phủ", "Việt Nam", "Nhà nước",
]  # fmt: skip

# Provinces and countries that begin with a surname: a "name" starting with one is a place
# ("Tổng thống Hàn Quốc Moon Jae-in", "Bí thư Thành ủy Hà Nội Hoàng Trung Hải").
PLACES_LIKE_NAMES = [
    "Hà Nội", "Hà Giang", "Cao Bằng", "Lai Châu", "Hoà Bình", "Hòa Bình", "Thái Nguyên",
    "Thái Bình", "Hà Nam", "Hà Tĩnh", "Lâm Đồng", "Đồng Nai", "Hồ Chí Minh", "Đồng Tháp",
    "Cà Mau", "Hàn Quốc", "Thái Lan", "Hà Lan", "Mông Cổ", "Vương quốc Anh",
    "Châu Âu", "Châu Á", "Châu Phi", "Châu Mỹ", "Châu Đại Dương", "Thái Bình Dương",
    # royal titles that open with the surname Hoàng ("Hoàng Thái tử sẽ lên ngôi")
    "Hoàng Thái tử", "Hoàng Thái hậu", "Hoàng hậu", "Hoàng đế", "Hoàng thượng",
]  # fmt: skip

# Names of people that are also places, read as the person only right after a role head or
# a form of address ("Chủ tịch Hồ Chí Minh", not "Chủ tịch UBND TP Hồ Chí Minh").
PERSONS_NAMED_AS_PLACES = ["Hồ Chí Minh"]
# ... or after these (the person's thought, style, testament): "tư tưởng Hồ Chí Minh".
PERSON_PLACE_CUES = frozenset({("tư", "tưởng"), ("phong", "cách"), ("đạo", "đức"), ("di", "chúc")})

# Words after which a capitalised run is a street, school, unit or prize, not a person.
NOT_PERSON_BEFORE = words(
    "đường phố ngõ ngách hẻm kiệt trường thpt thcs th ptth bv viện xã phường huyện quận tỉnh "
    "thị trấn thôn bản ấp làng xóm sông núi cầu chợ cảng sân giải cúp quỹ tàu lăng tượng đền "
    "chùa đình lộ tuyến khu công ty tập đoàn phần hội đội số tp tt tx đh cđ clb tnhh htx đhqg học"
)  # fmt: skip

# Organisation and unit words no name holds: a capitalised one ends the name before it
# ("Bí thư Đoàn Ủy Nguyễn Văn A": "Đoàn" is a surname, "Ủy" an organisation word).
NON_NAME_WORDS = words("ủy uỷ sở cục huyện xã phường quận")

# Two-word phrases whose second word is in NOT_PERSON_BEFORE but which announce a person
# ("gia đình Lê Bá Chí Nhân": a family, not a communal house "đình").
PERSON_BEFORE_PHRASES = frozenset(
    {("gia", "đình"), ("quốc", "hội"), ("xã", "hội"), ("đối", "tượng")}
)  # "đại biểu Quốc hội A", "các đối tượng là A, B"

# Two words before a run that make it a school: "Trường trung học phổ thông Phan Châu Trinh",
# "trung học cơ sở Trần Phú".
SCHOOL_BEFORE_PHRASES = frozenset({("phổ", "thông"), ("cơ", "sở")})

ADMIN_UNITS = words("xã phường huyện quận tỉnh thị trấn tp thành phố")

# Lowercase words that end a role: they start the verb phrase ("cho biết", "đã ký", ...).
ROLE_STOP_WORDS = words(
    "cho khẳng nhấn nói đã sẽ đang vừa là được bị khi thì mà nhưng để trao gặp làm dự chủ chỉ "
    "đề thăm có cùng với yêu ký xác chia bày giữ trả nêu ghi tuyên trình nhận đến về từ đi ra "
    "này đó năm ngày hôm sáng chiều tối trưa lúc vào cũng không thôi lên cảm mong trú ngụ quê "
    "rằng gửi đọc từng sau"
)  # fmt: skip

# Words that may precede a role head ("nguyên Bí thư", "kiêm Chủ tịch").
ROLE_PREFIXES = ("nguyên", "kiêm", "đương")

# Words before ':' that announce a list of people ("gồm các đồng chí: A, B, C").
LIST_CUES = words("gồm đồng chí thành phần danh sách dự mặt ông bà")


def read_list(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


MAJOR_SURNAMES = 16  # surnames.txt is ordered by frequency: Nguyễn, Trần, Lê ... Dương


@dataclass(frozen=True)
class Lexicon:
    surnames: frozenset[str]  # every surname, the ambiguous ones included
    ambiguous_surnames: frozenset[str]  # need the full shape (people_shape.fits_ambiguous)
    announced_surnames: frozenset[str]  # ambiguous ones never taken by shape alone
    major_surnames: frozenset[str]  # the most frequent: one inside a run starts a new name
    places: frozenset[str]
    place_phrases: PhraseSet
    roles: PhraseSet
    address: PhraseSet
    credits: PhraseSet
    name_cuts: PhraseSet
    place_prefixes: PhraseSet
    person_places: PhraseSet  # PERSONS_NAMED_AS_PLACES
    first_words: frozenset[str]  # lowercase words that can start a credit, address or role
    credit_starts: frozenset[str]  # first words of a credit line, and "theo" ("Theo Vân Du")
    address_starts: frozenset[str]  # first words of a form of address
    role_starts: frozenset[str]  # first words of a role head, and "nguyên", "kiêm", "đương"


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load the lists once per process."""
    places = read_list("places.txt")
    roles = read_list("roles.txt")
    surnames = read_list("surnames.txt")
    ambiguous_rows = [line.split() for line in read_list("surnames_ambiguous.txt")]
    ambiguous = [row[0] for row in ambiguous_rows]
    role_set, address, credits = PhraseSet(roles), PhraseSet(ADDRESS_FORMS), PhraseSet(CREDIT_CUES)
    return Lexicon(
        surnames=frozenset(surnames + ambiguous),
        ambiguous_surnames=frozenset(ambiguous),
        announced_surnames=frozenset(row[0] for row in ambiguous_rows if "announced" in row),
        major_surnames=frozenset(surnames[:MAJOR_SURNAMES]),
        places=frozenset(places),
        place_phrases=PhraseSet(places),
        roles=role_set,
        address=address,
        credits=credits,
        name_cuts=PhraseSet(
            NAME_CUT_PHRASES
            + ORGANISATION_PHRASES
            + [phrase for phrase in roles + ADDRESS_FORMS if " " in phrase]
        ),
        place_prefixes=PhraseSet(PLACES_LIKE_NAMES + ORGANISATION_PHRASES),  # "Tập đoàn"
        person_places=PhraseSet(PERSONS_NAMED_AS_PLACES),
        first_words=role_set.first_words
        | address.first_words
        | credits.first_words
        | frozenset({":", "theo", *ROLE_PREFIXES}),
        credit_starts=credits.first_words | {"theo"},
        address_starts=address.first_words,
        role_starts=role_set.first_words | frozenset(ROLE_PREFIXES),
    )
