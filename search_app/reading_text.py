"""The "understood as" line in Vietnamese: how each word of a query was read."""

from __future__ import annotations

from indexer.api import QueryReading, ReadUnit, SearchQuery
from indexer.places import unit_label

FIELD_LABELS = {
    "title": "tiêu đề",
    "person": "người",
    "source": "nguồn",
    "category": "chuyên mục",
    "place": "nơi",
}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def place_reading(unit: ReadUnit) -> str:
    """The units a typed place was read as: those it names, then (with history) the old or
    new units included, or that it names none."""
    named = [unit_label(r.ref) for r in unit.places if not r.via]
    history = [unit_label(r.ref) for r in unit.places if r.via]
    if not named:
        return "không có địa danh này trong kho"
    text = "; ".join(named)
    if history:
        text += " — gồm cả tên cũ/mới: " + "; ".join(history)
    return text


def unit_help(unit: ReadUnit) -> str:
    """The tooltip of one word: contiguity and diacritics, as the contract reads it."""
    if unit.field == "place":
        several = sum(1 for r in unit.places if not r.via)
        return (
            f"bài nhắc đến {several} đơn vị hành chính mang tên này"
            if several > 1
            else "bài nhắc đến đơn vị hành chính này"
        )
    together = "các tiếng đứng liền nhau" if unit.syllables > 1 else "một tiếng"
    accents = "đúng dấu đã gõ" if unit.exact else "mọi cách bỏ dấu"
    excluded = "; bài có từ này bị loại" if unit.excluded else ""
    return f"{together}, {accents}{excluded}"


def reading_summary(reading: QueryReading, query: SearchQuery) -> str:
    """One clause saying how the words were matched (and what was loosened). Places match
    by their units (the line lists them), not as words."""
    words = [u for u in reading.units if u.field != "place"]
    if not words:
        return "địa danh khớp theo các đơn vị hành chính đã nêu" + (
            "" if query.exact_accents else " (bỏ qua dấu)"
        )
    parts = []
    several = [u for u in words if u.syllables > 1]
    if several and query.group_words:
        parts.append("từ nhiều tiếng chỉ khớp khi các tiếng đứng liền nhau")
    elif not query.group_words:
        parts.append("các tiếng không cần đứng liền nhau")
    if not query.exact_accents:
        parts.append("bỏ qua dấu")
    elif any(u.exact for u in words) and not all(u.exact for u in words):
        parts.append("từ có dấu khớp đúng dấu, từ không dấu khớp mọi dấu")
    elif any(u.exact for u in words):
        parts.append("khớp đúng dấu đã gõ")
    else:
        parts.append("không dấu: khớp mọi cách bỏ dấu")
    return "; ".join(parts)
