"""Editorial rules, held on the data: the package frames its figures as the report does, and says no more.

Its English texts use the renderings of its glossary, and none of the renderings it rules out: where a Chinese text
(a cell, a title, a description) uses a term, its English counterpart contains the term's rendering; a longer term
hides the shorter ones inside it (内设机构限额: “quota of internal sections”). English is compared ignoring case,
quotation marks, dashes and hyphens (“Party-building” is “Party building”).
"""

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from scripts.checks.provenance import COMPUTED, as_number, numbered, qualifier_problems
from scripts.data.figures import WORDS, figures
from scripts.data.formulas import references
from scripts.data.packages import DESCRIPTOR, RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem

# our own texts; the excerpts are the report's words
OUR_TEXTS = ("note_zh", "note_en", "description_zh", "description_en", "rank_reason_zh", "rank_reason_en")
CAUSAL = WORDS["editorial"]["causal"]  # wording that makes one fact the cause of another
NAMES = ("name", "short_name", "section", "speaker")  # <stem>_zh and <stem>_en: a body's, section's or speaker's name
CITY = "city"  # the unit type of the city as a whole: its figures rarely cover every department
GLOSSARY = "glossary"
SEPARATOR = "|"
DASHES = re.compile(r"[\-\u2010-\u2015\u2212]+")
QUOTES = re.compile(r"[\"“”«»「」『』]")
SPACES = re.compile(r"\s+")


def check_translations(package: RawPackage) -> Iterator[Problem]:
    """Every verbatim excerpt has an English translation, so that an English reader can see what the evidence says."""
    for file, rows in package.tables_with("excerpt"):
        if "excerpt_en" not in rows[0]:
            yield Problem(file, "no-translation-column", row=1)
            continue
        for row_number, row in enumerate(rows, start=2):
            if (row.get("excerpt") or "").strip() and not (row.get("excerpt_en") or "").strip():
                excerpt = {"excerpt": row["excerpt"]}
                yield Problem(file, "excerpt-without-translation", excerpt, row_number, "excerpt_en")


def _scope(row: dict[str, str]) -> tuple[str, str]:
    return (row["scope_zh"] or "").strip(), (row["scope_en"] or "").strip()


def check_scope(package: RawPackage) -> Iterator[Problem]:
    """A city-level figure states its scope in both languages: “全市” figures often cover only some departments."""
    units = {row.get("unit_id"): row.get("unit_type") for row in package.tables.get("units", [])}
    for file, row_number, row in package.rows_with("unit_id", "scope_zh", "scope_en"):
        zh, en = _scope(row)
        empty = "scope_en" if zh else "scope_zh"
        if units.get(row["unit_id"]) == CITY and not (zh and en):
            yield Problem(file, "city-figure-without-scope", row=row_number, field=empty)
        elif bool(zh) != bool(en):
            yield Problem(file, "scope-in-one-language", row=row_number, field=empty)


def check_qualifiers(package: RawPackage) -> Iterator[Problem]:
    """A reported value is qualified as its excerpt words it: 约340 is approx, 30%以上 at-least, 29 exact; a bare whole
    percentage (达20%) may be exact or approx (possibly rounded)."""
    for file, row_number, row in package.rows_with("value", "qualifier", "basis", "excerpt"):
        value = as_number(row["value"])  # None if malformed: frictionless reports it
        if row["basis"] == "reported" and value is not None:
            stated = [n for n in figures(row["excerpt"]) if n.value is not None and math.isclose(n.value, value)]
            yield from qualifier_problems(file, row_number, row, value, stated)


def check_computed_scope(package: RawPackage) -> Iterator[Problem]:
    """A value computed from other figures covers the units they cover, and says so in the same words."""
    for file, rows in package.tables_with("basis", "formula", "scope_zh", "scope_en"):
        by_id = {next(iter(row.values())): row for row in rows}
        for row_number, row in enumerate(rows, start=2):
            inputs = [ref for ref in references(row["formula"] or "") if ref in by_id and _scope(by_id[ref])[0]]
            ref = next((ref for ref in inputs if _scope(by_id[ref]) != _scope(row)), None)
            if row["basis"] not in COMPUTED or ref is None:
                continue
            (zh, en), (own_zh, own_en) = _scope(by_id[ref]), _scope(row)
            params = {"ref": ref, "zh": zh, "en": en, "own_zh": own_zh, "own_en": own_en}
            field = "scope_zh" if own_zh != zh else "scope_en"
            yield Problem(file, "computed-scope-differs", params, row_number, field)


def check_estimates_labelled(package: RawPackage) -> Iterator[Problem]:
    """A value computed from a rounded figure or a lower bound is an estimate, and an estimate is never exact."""
    for file, rows in package.tables_with("basis", "formula", "qualifier"):
        qualifiers = {next(iter(row.values())): row["qualifier"] for row in rows}
        for row_number, row in enumerate(rows, start=2):
            inexact = [ref for ref in references(row["formula"] or "") if qualifiers.get(ref, "exact") != "exact"]
            if row["basis"] == "derived" and inexact:
                params = {"ref": inexact[0], "qualifier": qualifiers[inexact[0]]}
                yield Problem(file, "computed-from-inexact", params, row_number, "basis")
            elif row["basis"] == "estimated" and row["qualifier"] == "exact":
                yield Problem(file, "estimate-exact", {}, row_number, "qualifier")


def check_estimate_notes(package: RawPackage) -> Iterator[Problem]:
    """An estimate says, in both languages, what it assumes and where its range comes from."""
    for file, row_number, row in package.rows_with("basis", "note_zh", "note_en"):
        missing = [field for field in ("note_zh", "note_en") if not (row[field] or "").strip()]
        if row["basis"] == "estimated" and missing:
            yield Problem(file, "estimate-without-note", {}, row_number, missing[0])


def check_causal_wording(package: RawPackage) -> Iterator[Problem]:
    """Our own texts never make one fact the cause of another: the report gives them side by side and says no more."""
    for file, row_number, row in package.rows_with():
        for field in OUR_TEXTS:
            words = [w for w in CAUSAL if w in (row.get(field) or "").lower()]
            if words:
                yield Problem(file, "causal-wording", {"words": words[0]}, row_number, field)


def check_english_names(package: RawPackage) -> Iterator[Problem]:
    """One English name per body or section, and one body or section per English name, in each table."""
    for stem in NAMES:
        zh_field, en_field = f"{stem}_zh", f"{stem}_en"
        for file, rows in package.tables_with(zh_field, en_field):
            by_zh: dict[str, tuple[int, str]] = {}
            by_en: dict[str, tuple[int, str]] = {}
            for row_number, row in enumerate(rows, start=2):
                zh, en = row[zh_field], row[en_field]
                first, first_zh = by_zh.setdefault(zh, (row_number, en)), by_en.setdefault(en, (row_number, zh))
                if first[1] != en:
                    code, params = "english-name-differs", {"first_row": first[0], "first_en": first[1]}
                elif first_zh[1] != zh:
                    code, params = "english-name-taken", {"first_row": first_zh[0], "first_zh": first_zh[1]}
                else:
                    continue
                yield Problem(file, code, {**params, "zh": zh, "en": en}, row_number, en_field)


def check_unit_names_in_translations(package: RawPackage) -> Iterator[Problem]:
    """Where an excerpt names a municipal body (its short name, 市…, or its full name), the translation calls it by
    the unit's short English name."""
    units = package.rows_with("unit_id", "name_zh", "short_name_zh", "short_name_en")
    bodies = [unit for _, _, unit in units if unit["short_name_zh"].startswith("市")]
    for file, row_number, row in package.rows_with("excerpt", "excerpt_en"):
        for unit in bodies:
            named = any(name and name in row["excerpt"] for name in (unit["short_name_zh"], unit["name_zh"]))
            if named and unit["short_name_en"].lower() not in (row["excerpt_en"] or "").lower():
                params = {"zh": unit["short_name_zh"], "en": unit["short_name_en"]}
                yield Problem(file, "unit-name-not-in-translation", params, row_number, "excerpt_en")


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


EDITORIAL_CHECKS = (
    check_translations,
    check_scope,
    check_glossary,
    check_qualifiers,
    check_computed_scope,
    check_estimates_labelled,
    check_estimate_notes,
    check_causal_wording,
    check_english_names,
    check_unit_names_in_translations,
)
