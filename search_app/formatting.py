"""Vietnamese presentation of dates and numbers."""

from __future__ import annotations

from datetime import datetime

from crawler.article import VN_TZ

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def vn_date(value: datetime | None, *, weekday: bool = True) -> str:
    """'Thứ Tư, 28/02/2024' (+ ' 08:15' when the time is known), in Vietnam time."""
    if value is None:
        return "không rõ ngày"
    local = value.astimezone(VN_TZ)
    text = local.strftime("%d/%m/%Y")
    if weekday:
        text = f"{WEEKDAYS[local.weekday()]}, {text}"
    if (local.hour, local.minute) != (0, 0):
        text += local.strftime(" %H:%M")
    return text


def vn_number(value: int) -> str:
    """12345 → '12.345' (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")
