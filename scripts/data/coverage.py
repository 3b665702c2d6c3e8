"""Source coverage: each number of an archived source, by paragraph, and the rows of a package that hold it (the
draft offers the figures nobody holds yet; the data-quality page shows that nothing in a report was missed)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scripts.data.figures import DATE, Number, clause_around, excerpt_span, find_numbers
from scripts.data.sources import paragraphs

CITING_TABLES = ("observations", "statements", "milestones", "changes")  # a statement holds its report's figure


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
