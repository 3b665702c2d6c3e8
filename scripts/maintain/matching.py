"""Which held observation (reported, of another source) a figure of a new report restates. First the one whose excerpt
has a clause in the same words up to the numbers (市水务局内设机构由12个精简至9个 and …由12个精简至8个), at the same
position in it; failing that, the one observation whose unit (its name or short name) and indicator wording (its
Chinese name, or the longest run of two or more characters that name shares with the held excerpt) the clause names,
stated with the same measure word (市水务局的内设机构数量从12个压减到9个: 个), each of the clause's figures that fit the
same observations pairing with one of them in order (12 and 9 above); anything else is new."""

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from scripts.data.coverage import Found
from scripts.data.figures import MEASURE, Number, figures
from scripts.data.sources import normalise

SAME, DIFFERS, NEW = "same", "differs", "new"
PIECE = re.compile(r"[^,，;；。：:！？]+")  # a clause's parts between punctuation
DIGITS = re.compile(r"\d+(?:\.\d+)?")
Rows = list[dict[str, str]]


@dataclass(frozen=True)
class Match:
    match: str  # SAME, DIFFERS or NEW
    observation_id: str = ""
    held_value: float | None = None


@dataclass(frozen=True)
class Named:  # a held observation, by the words that name its unit and indicator and its figure's measure word
    row: dict[str, str]
    units: tuple[str, ...]
    wordings: tuple[str, ...]
    measure: str
    position: tuple[str, int]  # its excerpt, and where its figure stands in it


def _pieces(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words up to the numbers) of each part of a text between punctuation that holds a digit."""
    found = ((m, DIGITS.sub("#", m.group())) for m in PIECE.finditer(text))
    return [(m.start(), m.end(), DIGITS.sub("#", normalise(m.group()))) for m, words in found if "#" in words]


def _measure(text: str, number: Number) -> str:
    return "%" if number.text.endswith(("%", "％")) else MEASURE.match(text, number.end)[1] or ""


def _same(value: str, number: float | None) -> bool:
    """Whether a held row's value is the number (a value that is no number, in data not validated yet, is not)."""
    try:
        return math.isclose(float(value), number or 0, rel_tol=1e-12)
    except ValueError:
        return False


def _named(row: dict[str, str], units: dict[str, tuple[str, ...]], indicators: dict[str, str]) -> Named | None:
    number = next((n for n in figures(row["excerpt"]) if _same(row["value"], n.value)), None)
    name = indicators.get(row["indicator_id"], "")
    common = SequenceMatcher(None, name, row["excerpt"], autojunk=False).find_longest_match()
    wordings = tuple(w for w in (name, name[common.a : common.a + common.size]) if len(w) >= 2)
    if number is None or not wordings:
        return None
    measure, position = _measure(row["excerpt"], number), (row["excerpt"], number.start)
    return Named(row, units.get(row["unit_id"], ()), wordings, measure, position)


class Matcher:
    def __init__(self, tables: dict[str, Rows], source_id: str) -> None:
        held = [r for r in tables.get("observations", []) if r["basis"] == "reported" and r["source_id"] != source_id]
        self.clauses: dict[str, list[tuple[list[float], Rows]]] = {}  # words up to the numbers → (figures, rows)
        by_excerpt: dict[str, Rows] = {}
        for row in held:
            by_excerpt.setdefault(row["excerpt"], []).append(row)
        for excerpt, rows in by_excerpt.items():
            numbers = figures(excerpt)
            for start, end, words in _pieces(excerpt):
                stated = [n.value or 0 for n in numbers if start <= n.start < end]
                self.clauses.setdefault(words, []).append((stated, rows))
        units = {
            u["unit_id"]: tuple(filter(None, (u["name_zh"], u.get("short_name_zh")))) for u in tables.get("units", [])
        }
        indicators = {i["indicator_id"]: i["name_zh"] for i in tables.get("indicators", [])}
        self.named = [n for n in (_named(row, units, indicators) for row in held) if n]

    def match(self, found: Found, paragraph: str) -> Match:
        offset = found.number.start - max(paragraph.find(found.clause), 0)
        row = self._by_clause(found.clause, offset) or self._by_wording(found.clause, offset)
        if row is None:
            return Match(NEW)
        same = _same(row["value"], found.number.value) and row["qualifier"] == found.number.qualifier
        return Match(SAME if same else DIFFERS, row["observation_id"], float(row["value"]))

    def _by_clause(self, clause: str, offset: int) -> dict[str, str] | None:
        for start, _, words in (p for p in _pieces(clause) if p[0] <= offset < p[1]):
            position = sum(1 for n in figures(clause) if start <= n.start < offset)
            for held, rows in self.clauses.get(words, []):
                row = next((r for r in rows if position < len(held) and _same(r["value"], held[position])), None)
                if row is not None:
                    return row
        return None

    def _by_wording(self, clause: str, offset: int) -> dict[str, str] | None:
        numbers = figures(clause)
        fitting = {n.start: self._fits(clause, n) for n in numbers}
        mine = fitting.get(offset, [])
        alike = [start for start, fits in fitting.items() if fits == mine]
        if not mine or len(alike) != len(mine) or len({n.position[0] for n in mine}) != 1:
            return None
        return sorted(mine, key=lambda n: n.position)[alike.index(offset)].row

    def _fits(self, clause: str, number: Number) -> list[Named]:
        measure = _measure(clause, number)
        named = [n for n in self.named if n.measure == measure and any(unit in clause for unit in n.units)]
        return [n for n in named if any(wording in clause for wording in n.wordings)]
