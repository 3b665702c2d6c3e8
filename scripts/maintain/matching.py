"""Which held observation (reported, of another source) a figure of a new report restates. First the one whose excerpt
has a clause in the same words up to the numbers (市水务局内设机构由12个精简至9个 and …由12个精简至8个), at the same
position in it; failing that, the one observation whose unit (its name or short name) and indicator wording (its
Chinese name, or the longest run of two or more characters that name shares with the held excerpt) the clause names,
stated with the same measure word (市水务局的内设机构数量从12个压减到9个: 个). Where several fit, the clause's figures
that fit the same ones pair with them in order; anything else is new."""

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


@dataclass(frozen=True)
class Match:
    match: str  # SAME, DIFFERS or NEW
    observation_id: str = ""
    held_value: float | None = None


@dataclass(frozen=True)
class Named:
    """A held observation as its unit and indicator are named: the words that name them, its measure word, and where
    its figure stands in its excerpt."""

    row: dict[str, str]
    units: tuple[str, ...]
    wordings: tuple[str, ...]
    measure: str
    position: tuple[str, int]


def _pieces(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words up to the numbers) of each part of a text between punctuation that holds a digit."""
    return [
        (m.start(), m.end(), DIGITS.sub("#", normalise(m.group())))
        for m in PIECE.finditer(text)
        if "#" in DIGITS.sub("#", m.group())
    ]


def _measure(text: str, number: Number) -> str:
    if number.text.endswith(("%", "％")):
        return "%"
    return MEASURE.match(text, number.end)[1] or ""


def _same(value: str, number: float | None) -> bool:
    return math.isclose(float(value), number or 0, rel_tol=1e-12)


def _clauses(held: list[dict[str, str]]) -> dict[str, list[tuple[list[float], list[dict[str, str]]]]]:
    """Words up to the numbers → (the clause's figures, the observations of its excerpt)."""
    by_excerpt: dict[str, list[dict[str, str]]] = {}
    for row in held:
        by_excerpt.setdefault(row["excerpt"], []).append(row)
    index: dict[str, list[tuple[list[float], list[dict[str, str]]]]] = {}
    for excerpt, rows in by_excerpt.items():
        for start, end, words in _pieces(excerpt):
            stated = [n.value or 0 for n in figures(excerpt) if start <= n.start < end]
            index.setdefault(words, []).append((stated, rows))
    return index


def _named(held: list[dict[str, str]], tables: dict[str, list[dict[str, str]]]) -> list[Named]:
    units = {u["unit_id"]: (u.get("name_zh"), u.get("short_name_zh")) for u in tables.get("units", [])}
    names = {i["indicator_id"]: i.get("name_zh") or "" for i in tables.get("indicators", [])}
    found = []
    for row in held:
        number = next((n for n in figures(row["excerpt"]) if _same(row["value"], n.value)), None)
        name = names.get(row["indicator_id"], "")
        common = SequenceMatcher(None, name, row["excerpt"], autojunk=False).find_longest_match()
        wordings = tuple(w for w in (name, name[common.a : common.a + common.size]) if len(w) >= 2)
        if number is not None and wordings:
            named = tuple(filter(None, units.get(row["unit_id"], ())))
            measure, position = _measure(row["excerpt"], number), (row["excerpt"], number.start)
            found.append(Named(row, named, wordings, measure, position))
    return found


class Matcher:
    def __init__(self, tables: dict[str, list[dict[str, str]]], source_id: str) -> None:
        held = [r for r in tables.get("observations", []) if r.get("basis") == "reported"]
        held = [r for r in held if r.get("source_id") != source_id]
        self.clauses = _clauses(held)
        self.named = _named(held, tables)

    def match(self, found: Found, paragraph: str) -> Match:
        offset = found.number.start - max(paragraph.find(found.clause), 0)
        row = self._by_clause(found.clause, offset) or self._by_wording(found.clause, offset)
        if row is None:
            return Match(NEW)
        same = _same(row["value"], found.number.value) and row["qualifier"] == found.number.qualifier
        return Match(SAME if same else DIFFERS, row["observation_id"], float(row["value"]))

    def _by_clause(self, clause: str, offset: int) -> dict[str, str] | None:
        for start, end, words in _pieces(clause):
            if not start <= offset < end:
                continue
            position = sum(1 for n in figures(clause) if start <= n.start < offset)
            for held_numbers, rows in self.clauses.get(words, []):
                if position < len(held_numbers):
                    row = next((r for r in rows if _same(r["value"], held_numbers[position])), None)
                    if row is not None:
                        return row
        return None

    def _by_wording(self, clause: str, offset: int) -> dict[str, str] | None:
        numbers = figures(clause)
        fitting = [self._fits(clause, n) for n in numbers]
        mine = next((f for n, f in zip(numbers, fitting, strict=True) if n.start == offset), [])
        if len(mine) == 1:
            return mine[0].row
        alike = [n for n, f in zip(numbers, fitting, strict=True) if f == mine]
        if not mine or len(alike) != len(mine) or len({n.position[0] for n in mine}) != 1:
            return None
        mine = sorted(mine, key=lambda n: n.position)
        return mine[[n.start for n in alike].index(offset)].row

    def _fits(self, clause: str, number: Number) -> list[Named]:
        measure = _measure(clause, number)
        return [
            n
            for n in self.named
            if n.measure == measure
            and any(unit in clause for unit in n.units)
            and any(wording in clause for wording in n.wordings)
        ]
