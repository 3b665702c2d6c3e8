"""Macros for what pages state about a package: its size, citations, JSON-LD and what its validation found."""

import hashlib
from pathlib import Path
from typing import Any

from markupsafe import Markup

from scripts.checks.validate import CHECKS
from scripts.data.model import Package
from scripts.site.citation import citations
from scripts.site.macros.base import MacroBase
from scripts.site.metadata import dataset_jsonld, script_json


def _digest(path: Path) -> dict[str, Any]:
    content = path.read_bytes()
    return {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}


class MetadataMacros(MacroBase):
    def rows(self, package: Package) -> int:
        return sum(len(table.frame) for table in package.tables.values())

    def citations(self, package: Package) -> list[tuple[str, str]]:
        return citations(package, self.site.site_url)

    def jsonld(self, package: Package) -> Markup:
        """schema.org Dataset of a package, safe to place inside <script>."""
        downloads = self.site.package_downloads(package)
        data = dataset_jsonld(package, self.site.site_url, self.lang, downloads, self.site.releases[package.name])
        return Markup(script_json(data))

    def report(self, package: Package) -> dict[str, Any]:
        """What the validation of this build found for a package: warnings, rows checked, each file's hash."""
        report = next(r for r in self.site.validation["reports"] if r.folder == package.folder)
        files = [
            {"path": f"{package.name}/datapackage.json", "rows": None, **_digest(package.folder / "datapackage.json")}
        ]
        for table in package.tables.values():
            files.append(
                {"path": f"{package.name}/{table.resource['path']}", "rows": len(table.frame), **_digest(table.path)}
            )
        return {"warnings": [p.text(self.lang) for p in report.problems], "rows": report.rows, "files": files}

    def checks(self) -> list[str]:
        return [zh if self.lang == "zh" else en for zh, en in CHECKS]
