"""How a value is stated wherever it is shown, in both languages: every page, template and chart calls `figure_text`,
so that a value travels with its unit and qualifier (约340个), its rounding mark (49.9万件（取整数）), an estimate's
range (估算值，范围332–349) and a percentage's base (150%（基数：2人）)."""

import math
import re
from typing import Any

from scripts.data.dates import label
from scripts.data.figures import WORDS, figures
from scripts.data.model import Package
from scripts.data.numbers import Lang, plain, with_unit

BASES = ("reported", "derived", "estimated")
PERCENT_OF = re.compile(r"/\s*\{([a-z0-9]+(?:-[a-z0-9]+)*)\}\s*\*\s*100\s*$")  # … / {base-id} * 100
PERIODS = {code: tuple(texts) for code, texts in WORDS["periods"].items()}  # (Chinese, English)
ROUNDED, POSSIBLY_ROUNDED = "rounded", "possibly-rounded"
ROUNDING_MARKS = {kind: tuple(marks) for kind, marks in WORDS["rounding-marks"].items()}  # (Chinese, English)


def rounding(row: dict[str, Any]) -> str:
    """Why a reported value is approximate though the report says no 约 or 左右: ROUNDED if it gives it rounded
    (49.9万), POSSIBLY_ROUNDED if it is a bare whole percentage (达20%); else ""."""
    if row["basis"] != "reported" or row["qualifier"] != "approx":
        return ""
    stated = [n for n in figures(row.get("excerpt") or "") if math.isclose(n.value or 0, row["value"])]
    if stated and all(n.rounded for n in stated):
        return ROUNDED
    return POSSIBLY_ROUNDED if stated and all(n.whole_percent for n in stated) else ""


def rounding_mark(row: dict[str, Any], lang: Lang) -> str:
    """What follows a value the report gives rounded, or may, without 约: （取整数）, (possibly rounded); else ""."""
    kind = rounding(row)
    return ROUNDING_MARKS[kind][lang != "zh"] if kind else ""


def figure_text(package: Package, row: dict[str, Any], lang: Lang, marked: bool = True) -> str:
    """The value of an observation as every page states it (marked: with its rounding mark, if it has one)."""
    indicators = package.table("indicators").by_key
    basis = row["basis"]
    if basis not in BASES:
        raise ValueError(f"observation {row['observation_id']!r} has the unknown basis {basis!r}")
    if mark := rounding_mark(row, lang):  # no 约 the report does not write
        text = with_unit(row["value"], indicators[row["indicator_id"]], "exact", lang)
        return text + mark if marked else text
    text = with_unit(row["value"], indicators[row["indicator_id"]], row["qualifier"], lang)
    if basis == "estimated":
        low, high = plain(row["lower"], lang), plain(row["upper"], lang)
        text += f"（估算值，范围{low}–{high}）" if lang == "zh" else f" (estimate, range {low}–{high})"
    match = PERCENT_OF.search(row.get("formula") or "")  # a percentage computed as a share of another observation
    base = package.observations.get(match.group(1)) if match and basis != "reported" else None
    if base is not None:
        base_text = with_unit(base["value"], indicators[base["indicator_id"]], base["qualifier"], lang)
        text += f"（基数：{base_text}）" if lang == "zh" else f" (base: {base_text})"
    return text


def period_text(period: str, lang: Lang) -> str:
    """A period code as a reader reads it; an unknown code stops the build rather than print as it is."""
    if period in PERIODS:
        return PERIODS[period][lang != "zh"]
    if re.fullmatch(r"\d{4}(-\d{2})?", period):
        return label(period, "year" if len(period) == 4 else "month", lang)
    raise KeyError(f"unknown period {period!r}; known: a year, a year-month, {', '.join(PERIODS)}")
