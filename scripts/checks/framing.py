"""Checks that the data frame their figures as the report does: each excerpt has its translation, and each city-level
figure says which units it covers."""

from collections.abc import Iterator

from scripts.checks.provenance import numbered
from scripts.data.packages import RawPackage
from scripts.data.problems import Problem

CITY = "city"  # the unit type of the city as a whole: its figures rarely cover every department


def check_translations(package: RawPackage) -> Iterator[Problem]:
    """Every verbatim excerpt has an English translation, so that an English reader can see what the evidence says."""
    for file, rows in package.tables_with("excerpt"):
        if "excerpt_en" not in rows[0]:
            yield Problem(file, "no-translation-column", row=1)
            continue
        for row_number, row in numbered(rows):
            if (row.get("excerpt") or "").strip() and not (row.get("excerpt_en") or "").strip():
                excerpt = {"excerpt": row["excerpt"]}
                yield Problem(file, "excerpt-without-translation", excerpt, row_number, "excerpt_en")


def check_scope(package: RawPackage) -> Iterator[Problem]:
    """A city-level figure states its scope in both languages: “全市” figures often cover only some departments."""
    units = {row.get("unit_id"): row.get("unit_type") for row in package.tables.get("units", [])}
    for file, rows in package.tables_with("unit_id", "scope_zh", "scope_en"):
        for row_number, row in numbered(rows):
            zh, en = (row["scope_zh"] or "").strip(), (row["scope_en"] or "").strip()
            empty = "scope_en" if zh else "scope_zh"
            if units.get(row["unit_id"]) == CITY and not (zh and en):
                yield Problem(file, "city-figure-without-scope", row=row_number, field=empty)
            elif bool(zh) != bool(en):
                yield Problem(file, "scope-in-one-language", row=row_number, field=empty)
