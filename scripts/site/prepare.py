"""What both editions are built from, made once per build: the validated packages, their data downloads, releases
and source coverage."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.checks.validate import PackageReport, summary, validate_all
from scripts.data.coverage import CITING_TABLES, Found, survey
from scripts.data.model import Package, load_package
from scripts.data.problems import Problem
from scripts.data.sources import archived_text
from scripts.site.outputs.downloads import Download, current_files, package_files, package_root, table_downloads
from scripts.site.outputs.versions import Release, Version, releases, unreleased, versions


class InvalidData(Exception):
    """The packages did not validate; the message is validation's report."""


@dataclass(frozen=True)
class Prepared:
    reports: list[PackageReport]
    packages: list[Package]
    table_files: dict[tuple[str, str], list[Download]]  # (package, table) → its CSV, XLSX and JSON
    package_files: dict[str, list[Download]]  # package → its descriptor and zip
    releases: dict[str, list[Release]]  # package → its releases, newest first
    versions: dict[str, list[Version]]  # package → each version's files, served at its own address, newest first
    unreleased: dict[str, list[Problem]]  # package → why its files are not its version as released (publishing refuses)
    report_text: str
    coverage: dict[str, dict[str, list[Found] | None]]  # package → source → its numbers (None: no archived text)


def prepare(datasets: Path, sources: Path) -> Prepared:
    """Validate every package and make what both editions share; InvalidData if any package is invalid, or if a
    released version's frozen files are missing or no longer match their record."""
    reports, general = validate_all(datasets, sources)
    text, ok = summary(reports, general)
    if not ok:
        raise InvalidData(text)
    packages = [load_package(report.folder) for report in reports]
    served, frozen = {}, []
    for package in packages:
        served[package.name], found = versions(package)
        frozen += found
    if frozen:
        raise InvalidData("\n".join([text, *map(str, frozen)]))
    tables = {(p.name, name): table_downloads(p, table) for p in packages for name, table in p.tables.items()}
    whole = {}  # each package's descriptor and the zip of descriptor and CSVs
    for package in packages:
        files = package_files(package_root(package), package.name, package.version, current_files(package))
        whole[package.name] = [files[0], files[-1]]
    history = {package.name: releases(package) for package in packages}
    coverage = {package.name: source_coverage(package, sources) for package in packages}
    pending = {package.name: found for package in packages if (found := unreleased(package))}
    return Prepared(reports, packages, tables, whole, history, served, pending, text, coverage)


def source_coverage(package: Package, sources: Path) -> dict[str, list[Found] | None]:
    """Each source's numbers and the rows that hold them (the data-quality page shows them in both editions)."""
    if "sources" not in package.tables:
        return {}
    # each source's citing rows, table by table in their order: survey looks only at the rows of its source
    by_source: dict[Any, dict[str, list[dict[str, Any]]]] = {}
    for name in CITING_TABLES:
        for row in package.tables[name].records if name in package.tables else []:
            by_source.setdefault(row.get("source_id"), {}).setdefault(name, []).append(row)
    coverage: dict[str, list[Found] | None] = {}
    for source in package.table("sources").records:
        source_id = str(source["source_id"])
        text = archived_text(sources, source_id)
        coverage[source_id] = None if text is None else survey(text, source_id, by_source.get(source_id, {}))
    return coverage
