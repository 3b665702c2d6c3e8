"""What both editions are built from, made once per process for the same inputs: the validated packages, their
data downloads and their releases.

A build of both editions validates once; `make serve` keeps this between rebuilds and makes it again only when a
file it was made from changes (a data file, a source text, or the git commit that the releases are read from).
"""

import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scripts.checks.validate import PackageReport, summary, validate_all
from scripts.data.coverage import CITING_TABLES, Found, survey
from scripts.data.model import Package, load_package
from scripts.data.packages import discover
from scripts.data.paths import DATASETS, ROOT, sources_dir
from scripts.data.problems import Problem
from scripts.data.sources import archived_text
from scripts.site.downloads import Download
from scripts.site.publish import data_downloads
from scripts.site.releases import Release, releases

Fingerprint = tuple[tuple[str, int, int], ...]


class InvalidData(Exception):
    """The packages did not validate; the message is validation's report."""


@dataclass(frozen=True)
class Prepared:
    reports: list[PackageReport]
    packages: list[Package]
    data_files: tuple[dict[tuple[str, str], list[Download]], dict[str, list[Download]]]
    history: dict[str, list[Release]]
    report_text: str
    coverage: dict[str, dict[str, list[Found] | None]]  # package → source → its numbers (None: no archived text)


def fingerprint(datasets: Path, sources: Path) -> Fingerprint:
    """Every input file's path, size and modification time, and the commit the releases are read from."""
    entries = []
    for folder in (datasets, sources):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return (*entries, (head, 0, 0))


def prepare(datasets: Path, sources: Path) -> Prepared:
    """Validate every package and make what both editions share; InvalidData if any package is invalid."""
    reports, general = validate_all(datasets, sources)
    text, ok = summary(reports, general)
    if not ok:
        raise InvalidData(text)
    return _assemble([report.folder for report in reports], sources, reports, text)


def _assemble(folders: list[Path], sources: Path, reports: list[PackageReport], text: str) -> Prepared:
    packages = [load_package(folder) for folder in folders]
    history = {package.name: releases(package) for package in packages}
    coverage = {package.name: source_coverage(package, sources) for package in packages}
    return Prepared(reports, packages, data_downloads(packages), history, text, coverage)


Validation = tuple[Fingerprint, list[PackageReport], list[Problem]]


def validation(datasets: Path, sources: Path) -> Validation:
    """validate_all() and the inputs' fingerprint as it was before and is after: what `make serve` runs in a process of
    its own while it builds from the same files (scripts/site/serve.py)."""
    stamp = fingerprint(datasets, sources)
    reports, general = validate_all(datasets, sources)
    return (stamp if fingerprint(datasets, sources) == stamp else ()), reports, general


def prepare_alongside(datasets: Path, sources: Path) -> tuple[Fingerprint, Prepared]:
    """What prepare() makes, made before validation has said whether the packages are valid (its report empty), and
    the fingerprint of the inputs it was made from. Only accept() makes it a prepared result."""
    stamp = fingerprint(datasets, sources)
    return stamp, _assemble(discover(datasets)[0], sources, [], "")


def refuse_invalid(checked: Validation) -> str:
    """Validation's report; InvalidData if it found an error."""
    _, reports, general = checked
    text, ok = summary(reports, general)
    if not ok:
        raise InvalidData(text)
    return text


def accept(stamp: Fingerprint, unchecked: Prepared, checked: Validation) -> Prepared:
    """The result of prepare_alongside(), once the validation of the same inputs found them valid (InvalidData if not;
    ValueError if the two saw different files: a file changed meanwhile)."""
    text = refuse_invalid(checked)
    seen, reports, _ = checked
    if seen != stamp:
        raise ValueError("the data changed while it was validated")
    result = replace(unchecked, reports=reports, report_text=text)
    _latest.clear()
    _latest.update(stamp=stamp, result=result)
    return result


def source_coverage(package: Package, sources: Path) -> dict[str, list[Found] | None]:
    """Each source's numbers and the rows that hold them (the data-quality page shows them in both editions)."""
    if "sources" not in package.tables:
        return {}
    # each source's citing rows, table by table in their order: survey looks only at the rows of its source, and
    # giving it every row made the cost the number of sources times the number of rows
    by_source: dict[Any, dict[str, list[dict[str, Any]]]] = {}
    for name in CITING_TABLES:
        for row in package.tables[name].records() if name in package.tables else []:
            by_source.setdefault(row.get("source_id"), {}).setdefault(name, []).append(row)
    coverage: dict[str, list[Found] | None] = {}
    for source in package.table("sources").records():
        source_id = str(source["source_id"])
        text = archived_text(sources, source_id)
        coverage[source_id] = None if text is None else survey(text, source_id, by_source.get(source_id, {}))
    return coverage


_latest: dict[str, Any] = {}


def prepared(datasets: Path = DATASETS, sources: Path | None = None) -> Prepared:
    """prepare(), reused within this process while no input has changed since it was made."""
    folder = sources or sources_dir()
    stamp = fingerprint(datasets, folder)
    if _latest.get("stamp") != stamp:
        _latest.clear()
        _latest.update(stamp=stamp, result=prepare(datasets, folder))
    return _latest["result"]
