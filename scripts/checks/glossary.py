"""The package's English texts use the renderings of its glossary, and none of the renderings it rules out.

Wherever a Chinese text of the package (a cell, a title or a description) uses a term of the glossary, its English
counterpart must contain the term's English rendering; no English text may contain an avoided rendering. A longer
term hides the shorter ones inside it (内设机构限额 asks for “quota of internal sections”, not also for “internal
section” on its own). English is compared ignoring case, quotation marks and the difference between dashes, hyphens
and spaces, so that “Party-building” matches “Party building”.
"""

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scripts.checks.provenance import numbered
from scripts.data.packages import DESCRIPTOR, RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem

GLOSSARY = "glossary"
SEPARATOR = "|"
DASHES = re.compile(r"[\-\u2010-\u2015\u2212]+")
QUOTES = re.compile(r"[\"“”«»「」『』]")
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Term:
    term_id: str
    forms_zh: tuple[str, ...]  # the term and its other Chinese forms
    term_en: str
    avoid_en: tuple[str, ...]


@functools.lru_cache(maxsize=16384)  # every text is compared with every term
def normalise_en(text: str) -> str:
    text = QUOTES.sub("", text.replace("’", "'").replace("‘", "'")).lower()
    return SPACES.sub(" ", DASHES.sub(" ", text)).strip()


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(SEPARATOR) if part.strip())


def terms_of(rows: list[dict[str, str]]) -> list[Term]:
    terms = []
    for row in rows:
        if row.get("term_zh") and row.get("term_en"):
            forms = (row["term_zh"], *_split(row.get("variants_zh")))
            terms.append(Term(row["term_id"], forms, row["term_en"], _split(row.get("avoid_en"))))
    return terms


def used_terms(chinese: str, terms: list[Term]) -> list[Term]:
    """The terms a Chinese text uses, longest form first; a longer term's occurrence hides the terms inside it."""
    forms = _longest_first(tuple(terms))
    used: dict[str, Term] = {}
    for form, term in forms:
        if form in chinese:
            used.setdefault(term.term_id, term)
            chinese = chinese.replace(form, "\0")
    return list(used.values())


@functools.lru_cache(maxsize=8)
def _longest_first(terms: tuple[Term, ...]) -> list[tuple[str, Term]]:
    return sorted(((form, term) for term in terms for form in term.forms_zh), key=lambda pair: -len(pair[0]))


def missing_renderings(chinese: str, english: str, terms: list[Term]) -> list[Term]:
    """The terms the Chinese text uses whose rendering the English text lacks."""
    found = normalise_en(english)
    return [term for term in used_terms(chinese, terms) if normalise_en(term.term_en) not in found]


def avoided_renderings(english: str, terms: list[Term]) -> list[tuple[Term, str]]:
    found = normalise_en(english)
    return [(term, avoid) for term in terms for avoid in term.avoid_en if normalise_en(avoid) in found]


def _descriptor_texts(descriptor: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(where, Chinese, English) of every titled or described part of the descriptor."""
    pairs = (("title", "title_en"), ("description", "description_en"))

    def texts(holder: dict[str, Any], where: str) -> Iterator[tuple[str, str, str]]:
        for zh, en in pairs:
            if isinstance(holder.get(zh), str) or isinstance(holder.get(en), str):
                yield f"{where}{en}", str(holder.get(zh) or ""), str(holder.get(en) or "")

    yield from texts(descriptor, "")
    for resource in descriptor.get("resources") or []:
        name = resource.get("name", "?")
        yield from texts(resource, f"resources[{name}].")
        for field in (resource.get("schema") or {}).get("fields") or []:
            yield from texts(field, f"resources[{name}].fields[{field.get('name', '?')}].")


def _row_texts(row: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    """(English field, Chinese, English) of each pair of cells in a row: x_zh and x_en, excerpt and excerpt_en."""
    for field, chinese in row.items():
        if not isinstance(field, str):
            continue
        english_field = f"{field[:-3]}_en" if field.endswith("_zh") else "excerpt_en" if field == "excerpt" else None
        if english_field and english_field in row:
            yield english_field, chinese or "", row[english_field] or ""


def check_glossary(package: RawPackage) -> Iterator[Problem]:
    rows = package.tables.get(GLOSSARY)
    if not rows:
        return
    terms = terms_of(rows)
    where = display(package.folder / DESCRIPTOR)
    for field, chinese, english in _descriptor_texts(package.descriptor):
        yield from (_missing(where, None, field, term) for term in missing_renderings(chinese, english, terms))
        yield from (_avoided(where, None, field, term, avoid) for term, avoid in avoided_renderings(english, terms))
    for file, table in package.tables_with():
        if table is rows:
            continue
        for row_number, row in numbered(table):
            for field, chinese, english in _row_texts(row):
                for term in missing_renderings(chinese, english, terms):
                    yield _missing(file, row_number, field, term)
            for field, english in row.items():
                if not (isinstance(field, str) and field.endswith("_en") and english):
                    continue
                for term, avoid in avoided_renderings(english, terms):
                    yield _avoided(file, row_number, field, term, avoid)


def _missing(file: str, row: int | None, field: str, term: Term) -> Problem:
    missing = {"term": term.forms_zh[0], "rendering": term.term_en, "term_id": term.term_id}
    return Problem(file, "glossary-rendering-missing", missing, row, field)


def _avoided(file: str, row: int | None, field: str, term: Term, avoid: str) -> Problem:
    avoided = {"avoided": avoid, "term": term.forms_zh[0], "rendering": term.term_en}
    return Problem(file, "glossary-rendering-avoided", avoided, row, field)
