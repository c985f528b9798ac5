"""Unicode -> legacy Vietnamese encoders, for tests and for building golden pages only.

The product only ever decodes; these encoders are written independently of crawler.encoding's
decoding code path (they invert its published tables) so round trips test the tables.
"""

from __future__ import annotations

import re
import unicodedata

from crawler.encoding import TCVN3_TO_UNICODE, VNI_TO_UNICODE

_TONES = re.compile("[\u0300\u0301\u0303\u0309\u0323]")
_TCVN3_FROM_UNICODE = {letter: code for code, letter in TCVN3_TO_UNICODE.items()}
_VNI_FROM_UNICODE = {
    letter: spelled
    for spelled, letter in VNI_TO_UNICODE.items()
    if spelled not in ("î", "Î") or letter in "ỵỴ"
}
_UPPER_FONT = '<font face=".VnTimeH">{}</font>'


def encode_tcvn3(text: str, upper_font: bool = True) -> bytes:
    """TCVN3 bytes; upper-case toned letters (absent from TCVN3) use the .VnTimeH font."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3_FROM_UNICODE:
            out.append(_TCVN3_FROM_UNICODE[ch])
        elif ch.lower() in _TCVN3_FROM_UNICODE and ch.isupper():
            code = _TCVN3_FROM_UNICODE[ch.lower()]
            out.append(_UPPER_FONT.format(code) if upper_font else code)
        else:
            out.append(ch)
    return "".join(out).encode("cp1252")


def encode_vni(text: str) -> bytes:
    out = [_VNI_FROM_UNICODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text)]
    return "".join(out).encode("cp1252")


def encode_cp1258(text: str) -> bytes:
    """windows-1258: precomposed where the code page has the letter, else base + tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = _TONES.findall(parts)[0]
            base = unicodedata.normalize("NFC", _TONES.sub("", parts))
            out += (base + tone).encode("cp1258")
    return bytes(out)
