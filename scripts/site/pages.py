"""The pages generated from the data packages: which exist, and the template and context of each."""

from dataclasses import dataclass, field
from typing import Any

from scripts.data.model import Package

PREVIEW_ROWS = 200  # a table page lists up to this many rows and summarises the rest
LIST_ROWS = 50  # a page that lists rows of many departments (figures, changes, milestones) shows this many at most


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def generated_pages(packages: list[Package], primary: Package) -> list[GeneratedPage]:
    pages = [
        GeneratedPage("departments/index.md", "departments.md.j2", {"package": primary, "preview_rows": PREVIEW_ROWS}),
        GeneratedPage("data/index.md", "catalogue.md.j2", {"packages": packages}),
        GeneratedPage("quality.md", "quality.md.j2", {"packages": packages}),
        GeneratedPage("glossary.md", "glossary.md.j2", {"package": primary}),
    ]
    for unit in primary.table("units").records():
        pages.append(
            GeneratedPage(f"departments/{unit['unit_id']}.md", "department.md.j2", {"package": primary, "unit": unit})
        )
    for package in packages:
        pages.append(GeneratedPage(f"data/{package.name}/index.md", "package.md.j2", {"package": package}))
        for table in package.tables.values():
            pages.append(
                GeneratedPage(
                    f"data/{package.name}/{table.name}.md",
                    "table.md.j2",
                    {"package": package, "table": table, "preview_rows": PREVIEW_ROWS},
                )
            )
    return pages
