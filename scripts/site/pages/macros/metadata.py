"""Macros for what pages state about a package: its size, citations, JSON-LD and what its validation found."""

import hashlib
from pathlib import Path
from typing import Any

from markupsafe import Markup

from scripts.checks.validate import CHECKS
from scripts.data.coverage import Found
from scripts.data.figures import REASONS
from scripts.data.model import Package
from scripts.data.packages import DESCRIPTOR
from scripts.site.outputs.citation import citations
from scripts.site.outputs.metadata import dataset_jsonld, script_json
from scripts.site.outputs.versions import Version
from scripts.site.pages.generated import version_page
from scripts.site.pages.macros.base import MacroBase
from scripts.site.pages.render import page_url

COVERAGE_SOURCES = 20  # sources listed in detail on the quality page; the rest are summed up, so the page stays light


def _digest(path: Path) -> dict[str, Any]:
    content = path.read_bytes()
    return {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}


class MetadataMacros(MacroBase):
    def rows(self, package: Package) -> int:
        return sum(len(table.frame) for table in package.tables.values())

    def citations(self, package: Package) -> list[tuple[str, str]]:
        return citations(package, self.site.site_url, self.lang)

    def versions(self, package: Package) -> dict[str, Version]:
        return {v.version: v for v in self.site.shared.versions[package.name]}

    def version_page(self, package: Package, version: str) -> tuple[str, str]:
        """A version's page in this edition: the link to it from this page, and its full address."""
        page = version_page(package.name, version)
        return self.url(page), f"{self.site.site_url.rstrip('/')}/{page_url(page, self.lang)}"

    def jsonld(self, package: Package) -> Markup:
        """schema.org Dataset of a package, safe to place inside <script>."""
        history = self.site.shared.releases[package.name]
        data = dataset_jsonld(package, self.site.site_url, self.lang, self.site.package_downloads(package), history)
        return Markup(script_json(data))

    def report(self, package: Package) -> dict[str, Any]:
        """What the validation of this build found for a package: warnings, rows checked, each file's hash."""
        report = next(r for r in self.site.shared.reports if r.folder == package.folder)
        files = [(DESCRIPTOR, None, package.folder / DESCRIPTOR)]
        files += [(table.resource["path"], len(table.frame), table.path) for table in package.tables.values()]
        listed = [{"path": f"{package.name}/{path}", "rows": rows, **_digest(file)} for path, rows, file in files]
        return {"warnings": [p.text(self.lang) for p in report.problems], "rows": report.rows, "files": listed}

    def checks(self) -> list[str]:
        return [zh if self.lang == "zh" else en for zh, en in CHECKS]

    def coverage(self, package: Package) -> dict[str, Any]:
        """Per archived source (the first COVERAGE_SOURCES in detail, the others summed up): the figures its text
        states, as the maintainers' draft finds them, those the data holds, and why the rest are left out."""
        surveys = self.site.shared.coverage.get(package.name, {})
        listed, totals = [], {"figures": 0, "held": 0, "sources": 0}
        for source_id, numbers in surveys.items():
            if len(listed) < COVERAGE_SOURCES:
                listed.append(_source_coverage(source_id, numbers, self.lang))
            if numbers is not None:  # a source beyond the listed ones counts in the totals only
                figures = [f for f in numbers if f.number.is_figure]
                totals["sources"] += 1
                totals["figures"] += len(figures)
                totals["held"] += sum(1 for f in figures if f.held_by)
        return {"sources": listed, "more": len(surveys) - len(listed), "totals": totals}


def _source_coverage(source_id: str, numbers: list[Found] | None, lang: str) -> dict[str, Any]:
    if numbers is None:
        return {"source_id": source_id, "available": False}
    figures = [f for f in numbers if f.number.is_figure]
    missing = [
        {"paragraph": f.paragraph, "text": f.number.text, "quoted_in": list(f.quoted_by)}
        for f in figures
        if not f.held_by
    ]
    others = [f for f in numbers if not f.number.is_figure]
    reasons: dict[str, list[dict[str, Any]]] = {}
    for f in others:
        reasons.setdefault(f.number.kind, []).append({"paragraph": f.paragraph, "text": f.number.text})
    return {
        "source_id": source_id,
        "available": True,
        "figures": len(figures),
        "held": len(figures) - len(missing),
        "missing": missing,
        "others": len(others),
        "reasons": [
            {"reason": REASONS[kind][0 if lang == "zh" else 1], "numbers": items} for kind, items in reasons.items()
        ],
    }
