"""A tiny valid PDF for the portal's "Văn bản mới" link, built without a PDF library.

Crawlers must recognise a linked document by its Content-Type and not feed it to the HTML
extractor; the file only has to be a real, well-formed PDF. Its text is ASCII because the
standard Helvetica font has no Vietnamese glyphs.
"""

from __future__ import annotations

PLAN_LINES = (
    "UBND TINH MAU",
    "KE HOACH PHAT TRIEN KINH TE - XA HOI NAM 2020",
    "Van ban mau phuc vu kiem thu trinh thu thap du lieu.",
)


def pdf_text_stream(lines: tuple[str, ...]) -> bytes:
    commands = ["BT", "/F1 14 Tf", "72 760 Td", "18 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        commands.append(f"({escaped}) Tj T*")
    commands.append("ET")
    return "\n".join(commands).encode("ascii")


def build_pdf(lines: tuple[str, ...] = PLAN_LINES) -> bytes:
    """One A4 page showing ``lines``; the xref table carries exact byte offsets."""
    stream = pdf_text_stream(lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)


PLAN_PDF = build_pdf()
