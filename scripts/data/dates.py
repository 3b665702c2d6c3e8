"""Dates of a given precision (a day, a month, a half-year, a year), their span and how each language writes them."""

import calendar
import re
from datetime import date

PATTERNS = {
    "year": r"(\d{4})",
    "half-year": r"(\d{4})-H([12])",
    "month": r"(\d{4})-(\d{2})",
    "day": r"(\d{4})-(\d{2})-(\d{2})",
}


def date_span(text: str, precision: str) -> tuple[date, date, str] | None:
    """First and last day of a date of the given precision, and how the Chinese source writes it."""
    match = re.fullmatch(PATTERNS.get(precision, "$^"), text)
    if not match:
        return None
    year, *rest = map(int, match.groups())
    try:
        if precision == "year":
            return date(year, 1, 1), date(year, 12, 31), f"{year}年"
        if precision == "half-year":
            first = rest[0] == 1
            end = date(year, 6, 30) if first else date(year, 12, 31)
            return date(year, 1 if first else 7, 1), end, f"{year}年{'上' if first else '下'}半年"
        month = rest[0]
        if precision == "month":
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), f"{year}年{month}月"
        day = date(year, month, rest[1])
        return day, day, f"{year}年{month}月{day.day}日"
    except ValueError:
        return None


def label(text: str, precision: str, lang: str) -> str:
    """2023-02 as 2023年2月 or February 2023; 2024-H1 as 2024年上半年 or the first half of 2024."""
    span = date_span(text, precision)
    if span is None:
        raise ValueError(f"{text!r} is not a date of precision {precision!r}")
    start, _, chinese = span
    if lang == "zh":
        return chinese
    if precision == "half-year":
        return f"the {'first' if start.month == 1 else 'second'} half of {start.year}"
    if precision == "month":
        return f"{calendar.month_name[start.month]} {start.year}"
    return str(start.year) if precision == "year" else f"{start.day} {calendar.month_name[start.month]} {start.year}"
