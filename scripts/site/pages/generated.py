"""The pages generated from the data packages, with the template and context of each. A long list is paginated,
never cut: pages of PAGE_ROWS, the first at the table's own address, the others after it (…/<table>/2/)."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scripts.data.model import Package, Table
from scripts.site.charts import CHARTS
from scripts.site.charts.files import EMBED
from scripts.site.outputs.versions import Version, version_root

PAGE_ROWS = 200  # rows of a table, or departments of the index, on one page
LIST_ROWS = 50  # a page that lists rows of many departments (figures, changes, milestones) shows this many at most


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def table_page(package: str, table: str, number: int = 1) -> str:
    return f"data/{package}/{table}.md" if number == 1 else f"data/{package}/{table}/{number}.md"


RECORD_PAGES = {"observations": ("figures", "observation_id"), "changes": ("changes", "change_id")}
RECORD_PAGES["milestones"] = ("milestones", "milestone_id")  # each row of these tables has a page of its own


def record_page(table: str, key: str) -> str:
    return f"{RECORD_PAGES[table][0]}/{key}.md"


def record_key(table: str, row: dict[str, Any]) -> str:
    return row[RECORD_PAGES[table][1]]


def record_table(row: dict[str, Any]) -> str:
    return next(table for table, (_, key) in RECORD_PAGES.items() if key in row)


def department_index_page(number: int = 1) -> str:
    # not departments/<n>.md: that is the page of a unit whose code is <n>
    return "departments/index.md" if number == 1 else f"departments/page/{number}.md"


def unit_records(package: Package, unit_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Every figure, change (its own, then those whose duties it gave) and milestone of a unit, with its table."""
    found = [(table, row) for table in RECORD_PAGES for row in package.table(table).where("unit_id", unit_id)]
    return found + [("changes", r) for r in package.table("changes").where("counterpart_unit_id", unit_id)]


def has_page(package: Package, unit_id: str) -> bool:
    """A unit with a single record has no page of its own: it would be a page of one sentence."""
    return len(unit_records(package, unit_id)) > 1


def unit_page(package: Package, unit_id: str) -> str:
    """Where a unit is shown: its own page, or its row on the departments' index, which gives its one record."""
    if has_page(package, unit_id):
        return f"departments/{unit_id}.md"
    return f"{department_index_page(row_page(package.table('units'), unit_id))}#unit-{unit_id}"


def row_page(table: Table, key: Any) -> int:
    """Which page of its table lists the row with this primary key (the first field of a composite key)."""
    return table.position(key) // PAGE_ROWS + 1


def _pages(uri: Callable[[int], str], rows: int, template: str, context: dict[str, Any]) -> list[GeneratedPage]:
    uris = [uri(number) for number in range(1, max(1, -(-rows // PAGE_ROWS)) + 1)]  # an empty table has a page too
    pages = []
    for number, page_uri in enumerate(uris, 1):
        start, end = (number - 1) * PAGE_ROWS, min(number * PAGE_ROWS, rows)
        span = {"page": number, "pages": len(uris), "start": start, "end": end, "page_uris": uris}
        pages.append(GeneratedPage(page_uri, template, context | span))
    return pages


def version_page(package: str, version: str) -> str:
    return f"{version_root(package, version)}/index.md"


def generated_pages(
    packages: list[Package], primary: Package, versions: dict[str, list[Version]] | None = None
) -> list[GeneratedPage]:
    units = len(primary.table("units").frame)
    pages = [
        *_pages(department_index_page, units, "departments.md.j2", {"package": primary}),
        GeneratedPage("data/index.md", "catalogue.md.j2", {"packages": packages}),
        GeneratedPage("quality.md", "quality.md.j2", {"packages": packages}),
        GeneratedPage("glossary.md", "glossary.md.j2", {"package": primary}),
    ]
    for name in CHARTS:  # each chart alone, to embed in other sites (no site navigation; search leaves it out)
        pages.append(GeneratedPage(f"{EMBED}{name}.md", "embed.md.j2", {"name": name}))
    for unit in primary.table("units").records:
        if has_page(primary, unit["unit_id"]):
            context = {"package": primary, "unit": unit}
            pages.append(GeneratedPage(f"departments/{unit['unit_id']}.md", "department.md.j2", context))
    for package in packages:
        for table, (_, key) in RECORD_PAGES.items():
            for row in package.table(table).records:
                context = {"package": package, "table": table, "row": row}
                pages.append(GeneratedPage(record_page(table, row[key]), "record.md.j2", context))
        pages.append(GeneratedPage(f"data/{package.name}/index.md", "package.md.j2", {"package": package}))
        for version in (versions or {}).get(package.name, []):
            context = {"package": package, "version": version}
            pages.append(GeneratedPage(version_page(package.name, version.version), "version.md.j2", context))
        for table in package.tables.values():
            context = {"package": package, "table": table}
            uri = functools.partial(table_page, package.name, table.name)
            pages += _pages(uri, len(table.frame), "table.md.j2", context)
    return pages
