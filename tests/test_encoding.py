import unicodedata

import pytest
from golden.legacy_encoders import encode_cp1258, encode_tcvn3, encode_vni

from crawler.encoding import TONE_MARKS, VOWELS, decode_html, legacy_to_unicode

LOWER_LETTERS = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONE_MARKS] + ["đ"]
UPPER_LETTERS = [ch.upper() for ch in LOWER_LETTERS]
ALL_LETTERS = LOWER_LETTERS + UPPER_LETTERS
SENTENCE = "Ủy ban nhân dân tỉnh Hà Tĩnh: “Người dân được hưởng lợi” — ĐẢNG BỘ, Ở, Ứng, Ỵ…"


def page(body: bytes, head: bytes = b"") -> bytes:
    return b"<html><head>" + head + b"</head><body><p>" + body + b"</p></body></html>"


def body_of(html: str) -> str:
    return html.split("<p>", 1)[1].rsplit("</p>", 1)[0]


def test_alphabet_has_every_vietnamese_letter():
    assert len(set(LOWER_LETTERS)) == 73 and len(set(UPPER_LETTERS)) == 73


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_tcvn3_round_trips_every_letter_through_a_vntime_page(letter):
    raw = page(encode_tcvn3(f"x{letter}y"), b'<style>p{font-family:".VnTime"}</style>')
    assert (
        body_of(decode_html(raw, "text/html; charset=iso-8859-1"))
        .replace('<font face=".VnTimeH">', "")
        .replace("</font>", "")
        == f"x{letter}y"
    )


@pytest.mark.parametrize("letter", LOWER_LETTERS + ["Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"])
def test_tcvn3_table_decodes_each_letter_it_has(letter):
    text = encode_tcvn3(letter, upper_font=False).decode("latin-1")
    assert len(text) == 1
    assert legacy_to_unicode(text, "tcvn3") == letter


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_vni_round_trips_every_letter(letter):
    assert legacy_to_unicode(encode_vni(f"x{letter}y").decode("latin-1"), "vni") == f"x{letter}y"


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_windows_1258_round_trips_every_letter_to_nfc(letter):
    raw = page(encode_cp1258(letter), b'<meta charset="windows-1258">')
    assert body_of(decode_html(raw)) == letter


def test_tcvn3_u_horn_is_the_soft_hyphen_byte():
    assert legacy_to_unicode("ng\xadêi", "tcvn3") == "người"
    assert encode_tcvn3("ư") == b"\xad"


def test_tcvn3_page_keeps_windows_1252_curly_quotes():
    raw = page(
        b"\x93" + encode_tcvn3("Người dân") + b"\x94",
        b'<meta charset="windows-1252"><font face=".VnTime">',
    )
    assert "“Người dân”" in decode_html(raw)


def test_tcvn3_upper_case_font_span_becomes_upper_case():
    raw = page(
        b'<font face=".VnTimeH">' + encode_tcvn3("hà tĩnh") + b"</font>", b'<font face=".VnTime">'
    )
    assert "HÀ TĨNH" in decode_html(raw)


def test_tcvn3_page_without_font_names_is_detected_from_bytes():
    raw = page(encode_tcvn3(SENTENCE * 3, upper_font=False))
    decoded = decode_html(raw)
    assert "Người dân được hưởng lợi" in decoded and "Ủy" not in decoded  # Ủ has no code


def test_vni_page_is_detected_by_font_name():
    raw = page(encode_vni(SENTENCE), b'<font face="VNI-Times">')
    assert SENTENCE in decode_html(raw, "text/html; charset=windows-1252")


def test_vni_page_without_font_names_is_detected_from_bytes():
    assert SENTENCE in decode_html(page(encode_vni(SENTENCE * 3)))


def test_windows_1258_without_declaration_is_detected():
    decoded = decode_html(page(encode_cp1258(SENTENCE * 3)))
    assert SENTENCE in decoded
    assert decoded == unicodedata.normalize("NFC", decoded)


def test_header_charset_is_used():
    assert SENTENCE in decode_html(page(encode_cp1258(SENTENCE)), "text/html; charset=windows-1258")


def test_utf8_bytes_win_over_a_wrong_header():
    raw = page(SENTENCE.encode("utf-8"))
    assert SENTENCE in decode_html(raw, "text/html; charset=ISO-8859-1")
    assert SENTENCE in decode_html(page(SENTENCE.encode(), b'<meta charset="windows-1252">'))


def test_byte_order_mark_wins():
    assert decode_html(b"\xef\xbb\xbf" + page("Hà Tĩnh".encode())).startswith("<html>")
    assert "Hà Tĩnh" in decode_html(
        "\ufeff<p>Hà Tĩnh</p>".encode("utf-16-le"), "text/html; charset=utf-8"
    )


def test_decomposed_utf8_is_normalized_to_nfc():
    nfd = unicodedata.normalize("NFD", SENTENCE)
    assert SENTENCE in decode_html(page(nfd.encode()))


def test_plain_latin1_english_stays_latin1():
    assert "café résumé" in decode_html(
        page("café résumé".encode("latin-1")), "text/html; charset=iso-8859-1"
    )


def test_unknown_legacy_encoding_is_refused():
    with pytest.raises(ValueError):
        legacy_to_unicode("abc", "viqr")


@pytest.mark.parametrize(
    ("legacy", "encoding", "unicode"),
    [  # spellings as the published xvnkb/Unikey tables give them
        ("ViÖt Nam", "tcvn3", "Việt Nam"),
        ("Hµ TÜnh", "tcvn3", "Hà Tĩnh"),
        ("§µ N½ng", "tcvn3", "Đà Nẵng"),
        ("Ch\xada", "tcvn3", "Chưa"),
        ("Vieät Nam", "vni", "Việt Nam"),
        ("tröôøng ñoàng", "vni", "trường đồng"),
        ("Ñaø Naüng", "vni", "Đà Nẵng"),
        ("TRÖÔØNG", "vni", "TRƯỜNG"),
    ],
)
def test_known_legacy_spellings(legacy, encoding, unicode):
    assert legacy_to_unicode(legacy, encoding) == unicode
