"""Bytes to NFC text for Vietnamese web pages, including the pre-Unicode font encodings.

Order of evidence: byte-order mark, then the letters themselves. Declarations are often wrong
on old portals: pages typed in the TCVN3 (ABC) or VNI fonts are declared windows-1252,
iso-8859-1, windows-1258 or even UTF-8 (a CMS that re-saved the font's glyphs as UTF-8), or
not declared at all. So every plausible reading (UTF-8, windows-1258, windows-1252, TCVN3,
VNI) is scored by how many of its words are well-formed Vietnamese syllables, and the best one
wins; the declared charset and the font face (``.VnTime``, ``VNI-Times``) only break near-ties.
UTF-8 text is re-read as a legacy font only when it holds the glyphs those fonts show
(``ñ``, ``ö``, ``¸``, ``µ``…), which Vietnamese never uses, so clean UTF-8 costs one count.

Tables: TCVN3 (ABC) and VNI-Windows as published in xvnkb's ``tcvn.h`` and ``vni.h`` (Dao Hai
Lam, GPL-2, github.com/lamdao/xvnkb), the same layout as Unikey and VBKey. In TCVN3, ``ư`` is
0xAD (the Latin-1 soft hyphen). glibc's "TCVN" codec is TCVN 5712 VN1 and gets these pages
wrong, so it is never used. TCVN3 has no upper-case letters with tone marks: pages use an
upper-case font (``.VnTimeH``) over the lower-case codes, so text in such a font is upper-cased.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Literal

# Vowels in table order, each with its six tones: none, sắc, huyền, hỏi, ngã, nặng.
VOWELS = ("a", "â", "ă", "e", "ê", "o", "ô", "ơ", "u", "ư", "i", "y")
TONE_MARKS = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")

# TCVN3 lower-case codes in VOWELS x TONE_MARKS order (xvnkb tcvn.h).
_TCVN3_CODES = (
    "61 B8 B5 B6 B7 B9  A9 CA C7 C8 C9 CB  A8 BE BB BC BD C6  65 D0 CC CE CF D1"
    "  AA D5 D2 D3 D4 D6  6F E3 DF E1 E2 E4  AB E8 E5 E6 E7 E9  AC ED EA EB EC EE"
    "  75 F3 EF F1 F2 F4  AD F8 F5 F6 F7 F9  69 DD D7 D8 DC DE  79 FD FA FB FC FE"
)
# Upper-case letters that TCVN3 does have, plus đ.
_TCVN3_EXTRA = {
    0xA1: "Ă",
    0xA2: "Â",
    0xA3: "Ê",
    0xA4: "Ô",
    0xA5: "Ơ",
    0xA6: "Ư",
    0xA7: "Đ",
    0xAE: "đ",
}

# VNI-Windows: a base letter followed by a mark byte (xvnkb vni.h), shown as Latin-1 characters.
_VNI_TONES_PLAIN = ("", "ù", "ø", "û", "õ", "ï")  # after a, e, o, u, y, ơ, ư
_VNI_TONES_HAT = ("â", "á", "à", "å", "ã", "ä")  # â, ê, ô and their tones
_VNI_TONES_BREVE = ("ê", "é", "è", "ú", "ü", "ë")  # ă and its tones
_VNI_SPELLING = {
    "a": ("a", _VNI_TONES_PLAIN),
    "â": ("a", _VNI_TONES_HAT),
    "ă": ("a", _VNI_TONES_BREVE),
    "e": ("e", _VNI_TONES_PLAIN),
    "ê": ("e", _VNI_TONES_HAT),
    "o": ("o", _VNI_TONES_PLAIN),
    "ô": ("o", _VNI_TONES_HAT),
    "ơ": ("ô", _VNI_TONES_PLAIN),
    "u": ("u", _VNI_TONES_PLAIN),
    "ư": ("ö", _VNI_TONES_PLAIN),
    "i": ("", ("i", "í", "ì", "æ", "ó", "ò")),  # i takes one-byte letters
    "y": ("y", ("", "ù", "ø", "û", "õ", "î")),  # ỵ is the single byte î
}

_LATIN_DECLARED = {"windows-1252", "cp1252", "iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii"}
_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_TCVN3_FONT_RE = re.compile(r"""(?:face|font-family)\s*[=:]\s*["']?[^"'>;]*?\.vn[a-z]""", re.I)
_VNI_FONT_RE = re.compile(r"""(?:face|font-family)\s*[=:]\s*["']?[^"'>;]*?\bvni[- ]""", re.I)
_UPPER_FONT_SPAN_RE = re.compile(
    r"""(<(font|span|p|div|td|h[1-6]|b|strong)\b[^>]*?(?:face|font-family)\s*[=:]\s*["']?"""
    r"""\s*\.vn[a-z]*h\b[^>]*>)(.*?)(</\2\s*>)""",
    re.I | re.S,
)


def _compose(vowel: str, tone: str) -> str:
    return unicodedata.normalize("NFC", vowel + tone)


def _tcvn3_table() -> dict[str, str]:
    codes = [int(c, 16) for c in _TCVN3_CODES.split()]
    letters = [_compose(v, t) for v in VOWELS for t in TONE_MARKS]
    table = {chr(code): letter for code, letter in zip(codes, letters, strict=True) if code > 0x7F}
    table.update({chr(code): letter for code, letter in _TCVN3_EXTRA.items()})
    return table


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {"ñ": "đ", "Ñ": "Đ"}
    for vowel, (base, tones) in _VNI_SPELLING.items():
        for tone, mark in zip(TONE_MARKS, tones, strict=True):
            spelled = base + mark
            if spelled and spelled != vowel:
                table[spelled] = _compose(vowel, tone)
                table[spelled.upper()] = _compose(vowel, tone).upper()
    # ỵ is the one y that takes no base letter.
    table["î"], table["Î"] = "ỵ", "Ỵ"
    return table


TCVN3_TO_UNICODE = _tcvn3_table()
VNI_TO_UNICODE = _vni_table()
_TCVN3_RE = re.compile("[" + re.escape("".join(TCVN3_TO_UNICODE)) + "]")
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True)))


def legacy_to_unicode(text: str, encoding: Literal["tcvn3", "vni"]) -> str:
    """Convert text whose bytes were read as Latin-1/windows-1252 from a legacy font to NFC."""
    if encoding == "tcvn3":
        converted = _TCVN3_RE.sub(lambda m: TCVN3_TO_UNICODE[m.group()], text)
    elif encoding == "vni":
        converted = _VNI_RE.sub(lambda m: VNI_TO_UNICODE[m.group()], text)
    else:
        raise ValueError(f"unknown legacy encoding: {encoding!r}")
    return unicodedata.normalize("NFC", converted)


def decode_html(raw: bytes, content_type: str | None = None) -> str:
    """Decode a fetched page to NFC text, repairing wrong declarations and legacy fonts."""
    return decode_html_explained(raw, content_type)[0]


def decode_html_explained(raw: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``decode_html`` and which reading it chose, with the evidence, for ``--explain``."""
    text, why = _decode(raw, content_type)
    return unicodedata.normalize("NFC", text), why


def _decode(raw: bytes, content_type: str | None) -> tuple[str, str]:
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace"), f"{codec} byte-order mark"
    declared = _codec(_header_charset(content_type) or _meta_charset(raw) or "")
    if _is_utf8(raw):
        text = raw.decode("utf-8")
        if len(_LEGACY_GLYPHS.findall(text, 0, 200_000)) < MIN_LEGACY_GLYPHS:
            return text, "valid UTF-8 without legacy-font glyphs"
        readings = {"utf-8": text, "tcvn3": _convert_legacy(text, "tcvn3")}
        readings["vni"] = legacy_to_unicode(text, "vni")
        return _best_reading(readings, _legacy_font(text) or "utf-8", baseline="utf-8")
    latin = _latin1_text(raw)
    readings = {
        "cp1252": latin,
        "cp1258": raw.decode("cp1258", errors="replace"),
        "tcvn3": _convert_legacy(latin, "tcvn3"),
        "vni": legacy_to_unicode(latin, "vni"),
    }
    if declared and declared not in readings and declared != "utf-8":
        readings[declared] = raw.decode(declared, errors="replace")
    preferred = _legacy_font(latin) or (declared if declared in readings else "cp1252")
    return _best_reading(readings, preferred, baseline="cp1252")


MIN_LEGACY_GLYPHS = 10
NEAR_MARGIN = 0.1  # the declared or font-named reading wins within this share of the best score
# Latin-1 glyphs that TCVN3/VNI text shows and Vietnamese Unicode text never holds.
_LEGACY_GLYPHS = re.compile("[ñöøûïåäëæîÑÖØÛÏÅÄËÆÎ¸µ¶¹¨ªÞþß]")
_TAG = re.compile(r"<[^>]*>")


def _best_reading(readings: dict[str, str], preferred: str, baseline: str) -> tuple[str, str]:
    """The reading with the most well-formed Vietnamese syllables in its visible text."""
    scores = {
        name: syllable_score(_TAG.sub(" ", text[:400_000])) for name, text in readings.items()
    }
    best = max(scores, key=lambda name: scores[name])
    if scores[best] <= scores[baseline]:
        best = baseline
    # On a near tie (a short page says little), the font face or declared charset decides.
    if preferred in scores and scores[preferred] >= scores[best] - max(
        2, NEAR_MARGIN * abs(scores[best])
    ):
        best = preferred
    table = ", ".join(f"{name} {score}" for name, score in scores.items())
    return readings[best], f"{best}: most well-formed syllables ({table}; preferred {preferred})"


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _CHARSET_RE.search(content_type.encode("ascii", "ignore"))
    return match.group(1).decode("ascii").lower() if match else None


def _meta_charset(raw: bytes) -> str | None:
    match = _META_CHARSET_RE.search(raw[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _is_latin(name: str) -> bool:
    return name in _LATIN_DECLARED or _codec(name) in {"cp1252", "iso8859-1", "ascii"}


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# windows-1252 for its punctuation (curly quotes); Latin-1 for the five bytes it leaves undefined.
_CP1252_C1 = {
    b: bytes([b]).decode("cp1252")
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_LATIN1_TO_CP1252 = str.maketrans({chr(b): ch for b, ch in _CP1252_C1.items()})


def _latin1_text(raw: bytes) -> str:
    return raw.decode("latin-1").translate(_LATIN1_TO_CP1252)


def _legacy_font(latin: str) -> Literal["tcvn3", "vni"] | None:
    if _VNI_FONT_RE.search(latin):
        return "vni"
    if _TCVN3_FONT_RE.search(latin):
        return "tcvn3"
    return None


def _convert_legacy(latin: str, encoding: Literal["tcvn3", "vni"]) -> str:
    converted = legacy_to_unicode(latin, encoding)
    if encoding == "tcvn3":
        converted = _UPPER_FONT_SPAN_RE.sub(_uppercase_span, converted)
        converted = _TEXT_BETWEEN_TAGS.sub(_uppercase_capitals_run, converted)
    return converted


_TEXT_BETWEEN_TAGS = re.compile(r"(?<=>)[^<]+")
_WORD = re.compile(r"[^\W\d_]+")
_ENTITY = re.compile(r"&#?\w+;")


def _uppercase_capitals_run(match: re.Match[str]) -> str:
    """TCVN3 has no capital toned vowels: a capitals font shows the lower-case codes as capitals,
    and the font may be named only in a stylesheet we never see. Text typed in capitals (its
    plain ASCII letters all upper case) is therefore upper-cased whole: "TØNH" -> "TỈNH"."""
    text = match.group()
    ascii_letters = [c for c in _ENTITY.sub("", text) if c.isascii() and c.isalpha()]
    if len(ascii_letters) >= 4 and sum(c.isupper() for c in ascii_letters) >= 0.9 * len(
        ascii_letters
    ):
        return text.upper()
    return _WORD.sub(_uppercase_capitals_word, text)


def _uppercase_capitals_word(match: re.Match[str]) -> str:
    word = match.group()
    plain = [c for c in word if c.isascii()]
    capitals = sum(c.isupper() for c in word)
    if capitals >= 2 and all(c.isupper() for c in plain) and not word.isupper():
        return word.upper()
    return word


def _uppercase_span(match: re.Match[str]) -> str:
    # Only text between tags is upper-cased; attribute values and tag names stay as they are.
    inner = re.sub(r"(^|>)([^<]+)", lambda m: m.group(1) + m.group(2).upper(), match.group(3))
    return match.group(1) + inner + match.group(4)


# --- Vietnamese syllable shape, used only to choose between readings -------------------

_TONE_RE = re.compile("[\u0300\u0301\u0303\u0309\u0323]")
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
_NUCLEUS = (
    r"(?:iêu|yêu|oai|oay|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe"
    r"|oi|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ưu|ươ|yê|[aăâeêioôơuưy])"
)
_SYLLABLE_RE = re.compile(rf"{_ONSET}{_NUCLEUS}(?:ch|ng|nh|[cmnpt])?")
_WORD_RE = re.compile(r"[^\W\d_]+")


def syllable_score(text: str) -> int:
    """Well-formed minus malformed syllables, counting only words with non-ASCII letters."""
    score = 0
    for word in _WORD_RE.findall(text[:200_000]):
        if word.isascii():
            continue
        bare = unicodedata.normalize("NFD", word.lower())
        tones = len(_TONE_RE.findall(bare))
        bare = unicodedata.normalize("NFC", _TONE_RE.sub("", bare))
        score += 1 if tones <= 1 and _SYLLABLE_RE.fullmatch(bare) else -1
    return score
