"""Which held observation a figure of a new report restates: the one whose excerpt has a clause in the same words up
to the numbers (市水务局内设机构由12个精简至9个 matches 市水务局内设机构由12个精简至9个 and …由12个精简至8个), the
figure taking the place of the held figure at the same position in that clause."""

import math
import re
from dataclasses import dataclass

from scripts.data.coverage import Found
from scripts.data.figures import figures
from scripts.data.sources import normalise

SAME, DIFFERS, NEW = "same", "differs", "new"
PIECE = re.compile(r"[^,，;；。：:！？]+")  # a clause's parts between punctuation
DIGITS = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Match:
    match: str  # SAME, DIFFERS or NEW
    observation_id: str = ""
    held_value: float | None = None
    held_qualifier: str = ""


def _pieces(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words up to the numbers) of each part of a text between punctuation that holds a digit."""
    return [
        (m.start(), m.end(), DIGITS.sub("#", normalise(m.group())))
        for m in PIECE.finditer(text)
        if "#" in DIGITS.sub("#", m.group())
    ]


def _stated(text: str, start: int, end: int) -> list[float]:
    return [n.value for n in figures(text) if n.is_figure and n.value is not None and start <= n.start < end]


def held_clauses(
    observations: list[dict[str, str]], source_id: str
) -> dict[str, list[tuple[list[float], list[dict[str, str]]]]]:
    """Words up to the numbers → (the clause's figures, the reported observations of its excerpt) of other sources."""
    index: dict[str, list[tuple[list[float], list[dict[str, str]]]]] = {}
    by_excerpt: dict[str, list[dict[str, str]]] = {}
    for row in observations:
        if row.get("basis") == "reported" and row.get("source_id") != source_id:
            by_excerpt.setdefault(row["excerpt"], []).append(row)
    for excerpt, rows in by_excerpt.items():
        for start, end, words in _pieces(excerpt):
            index.setdefault(words, []).append((_stated(excerpt, start, end), rows))
    return index


def match_figure(
    found: Found, paragraph: str, index: dict[str, list[tuple[list[float], list[dict[str, str]]]]]
) -> Match:
    offset = found.number.start - max(paragraph.find(found.clause), 0)
    for start, end, words in _pieces(found.clause):
        if not start <= offset < end:
            continue
        position = sum(1 for n in figures(found.clause) if n.is_figure and start <= n.start < offset)
        for held_numbers, rows in index.get(words, []):
            if position >= len(held_numbers):
                continue
            wanted = held_numbers[position]
            row = next((r for r in rows if math.isclose(float(r["value"]), wanted, rel_tol=1e-12)), None)
            if row is None:
                continue
            same = (
                math.isclose(wanted, found.number.value or 0, rel_tol=1e-12)
                and row["qualifier"] == found.number.qualifier
            )
            return Match(SAME if same else DIFFERS, row["observation_id"], float(row["value"]), row["qualifier"])
    return Match(NEW)
