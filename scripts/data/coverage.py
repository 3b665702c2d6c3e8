"""What an archived source offers: each number, by paragraph, with the rows of a package that hold it (the draft
offers the figures nobody holds yet; the data-quality page shows that nothing in a report was missed), and the clauses
that use a word of outcome or effect (提升, 显著 …: words.toml), which the draft offers as candidate claims."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scripts.data.figures import DATE, WORDS, Number, clause_around, excerpt_span, find_numbers
from scripts.data.sources import normalise, paragraphs

CITING_TABLES = ("observations", "statements", "milestones", "changes")  # a statement holds its report's figure
EFFECT = re.compile("|".join(WORDS["editorial"]["effect"]))
OPENING, CLOSING = "“‘「『", "”’」』"


@dataclass(frozen=True)
class Found:
    """A number of the source, at its paragraph, with the clause around it and the ids of rows that hold it."""

    paragraph: int
    number: Number
    clause: str
    held_by: tuple[str, ...] = ()
    quoted_by: tuple[str, ...] = ()  # rows whose excerpt quotes the number without holding it


def survey(
    text: str, source_id: str, tables: Mapping[str, Sequence[Mapping[str, Any]]], limit: int = 80
) -> list[Found]:
    """Every number of a source text by paragraph, with the rows whose excerpt covers it: a figure is held by a
    reported observation or a statement of its value, a date by a milestone of that date."""
    by_paragraph: dict[int | None, list[tuple[str, Mapping[str, Any]]]] = {}
    for table in CITING_TABLES:
        for row in tables.get(table, []):
            if row.get("source_id") == source_id:
                by_paragraph.setdefault(_integer(row.get("locator")), []).append((table, row))
    found = []
    for number, paragraph in enumerate(paragraphs(text), start=1):
        citing = by_paragraph.get(number, [])
        for item in find_numbers(paragraph):
            covering = [
                (table, row) for table, row in citing if _covers(str(row.get("excerpt") or ""), paragraph, item)
            ]
            held = tuple(_id(row) for table, row in covering if _states(table, row, item))
            quoted = tuple(_id(row) for _, row in covering if _id(row) not in held)
            found.append(Found(number, item, clause_around(paragraph, item.start, item.end, limit), held, quoted))
    return found


def _id(row: Mapping[str, Any]) -> str:
    return str(next(iter(row.values())))


def _integer(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _covers(excerpt: str, paragraph: str, item: Number) -> bool:
    span = excerpt_span(excerpt, paragraph)
    return span is not None and span[0] <= item.start and item.end <= span[1]


def _states(table: str, row: Mapping[str, Any], item: Number) -> bool:
    if item.is_figure and table in ("observations", "statements"):
        try:
            reported = table == "statements" or row.get("basis") == "reported"
            return reported and float(str(row.get("value"))) == item.value
        except ValueError:
            return False
    return item.kind == DATE and table == "milestones" and row.get("date") == item.label


@dataclass(frozen=True)
class Candidate:
    paragraph: int
    clause: str  # verbatim, as validation compares excerpts


def candidate_claims(paras: list[str], skip: set[int], held: list[tuple[int, str]], limit: int) -> list[Candidate]:
    """Each clause of the paragraphs (from 1, those in skip aside: the title, headings) that uses an effect word, once,
    in order, unless a claim the package holds (paragraph, excerpt) already quotes it or is quoted by it."""
    found: list[Candidate] = []
    for number, para in enumerate(paras, start=1):
        if number in skip:
            continue
        for match in EFFECT.finditer(para):
            clause = _unquoted(clause_around(para, match.start(), match.end(), limit))
            flat = normalise(clause)
            taken = any(n == number and e and (flat in normalise(e) or normalise(e) in flat) for n, e in held)
            if flat and not taken and Candidate(number, clause) not in found:
                found.append(Candidate(number, clause))
    return found


def _unquoted(clause: str) -> str:
    """The clause without a quotation mark left open or closed by the clause next to it (“我们…, …效益。” → 我们…)."""
    clause = clause.strip()
    if clause[:1] in OPENING and not any(c in clause for c in CLOSING):
        clause = clause[1:]
    if clause[-1:] in CLOSING and not any(c in clause for c in OPENING):
        clause = clause[:-1]
    return clause.strip()
