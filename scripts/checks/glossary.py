"""The package's English texts use the renderings of its glossary, and none of the renderings it rules out.

Where a Chinese text (a cell, a title, a description) uses a term, its English counterpart contains the term's
rendering; a longer term hides the shorter ones inside it (内设机构限额: “quota of internal sections”). English is
compared ignoring case, quotation marks, dashes and hyphens (“Party-building” is “Party building”).
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
    used: dict[str, Term] = {}
    for form, term in _longest_first(tuple(terms)):
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


def _descriptor_texts(descriptor: dict[str, Any]) -> Iterator[list[tuple[str, str, str]]]:
    """[(where, Chinese, English)] of each title and description of the descriptor, one pair at a time."""
    holders = [("", descriptor)]
    for resource in descriptor.get("resources") or []:
        name = resource.get("name", "?")
        holders.append((f"resources[{name}].", resource))
        fields = (resource.get("schema") or {}).get("fields") or []
        holders += [(f"resources[{name}].fields[{field.get('name', '?')}].", field) for field in fields]
    for where, holder in holders:
        for zh, en in (("title", "title_en"), ("description", "description_en")):
            if isinstance(holder.get(zh), str) or isinstance(holder.get(en), str):
                yield [(f"{where}{en}", str(holder.get(zh) or ""), str(holder.get(en) or ""))]


def _row_texts(row: dict[str, str]) -> list[tuple[str, str, str]]:
    """(English field, Chinese, English) of each English cell of a row, with its Chinese cell (x_zh, excerpt)."""
    chinese = {
        f: "excerpt" if f == "excerpt_en" else f"{f[:-3]}_zh" for f in row if isinstance(f, str) and f.endswith("_en")
    }
    return [(field, row.get(chinese[field]) or "", english or "") for field, english in row.items() if field in chinese]


def check_glossary(package: RawPackage) -> Iterator[Problem]:
    rows = package.tables.get(GLOSSARY)
    if not rows:
        return
    terms = terms_of(rows)
    where = display(package.folder / DESCRIPTOR)
    texts = [(where, None, pair) for pair in _descriptor_texts(package.descriptor)]
    for file, table in package.tables_with():
        texts += [(file, number, _row_texts(row)) for number, row in numbered(table) if table is not rows]
    for file, row, pairs in texts:  # a row's missing renderings first, then its avoided ones
        for field, chinese, english in pairs:
            for term in missing_renderings(chinese, english, terms):
                missing = {"term": term.forms_zh[0], "rendering": term.term_en, "term_id": term.term_id}
                yield Problem(file, "glossary-rendering-missing", missing, row, field)
        for field, _, english in pairs:
            for term, avoid in avoided_renderings(english, terms):
                avoided = {"avoided": avoid, "term": term.forms_zh[0], "rendering": term.term_en}
                yield Problem(file, "glossary-rendering-avoided", avoided, row, field)
