"""Validate every data package: descriptor, encoding, frictionless schema checks and provenance checks."""

import functools
from dataclasses import dataclass, field
from pathlib import Path

from scripts.checks.characters import check_cells, check_formula_prefixes
from scripts.checks.descriptor import check_descriptor
from scripts.checks.editorial import EDITORIAL_CHECKS
from scripts.checks.provenance import FRAMING_CHECKS, check_provenance, check_source_texts
from scripts.checks.schema import check_plain_digits, check_with_frictionless
from scripts.data.changelog import check_changelog
from scripts.data.messages import Text, texts
from scripts.data.packages import RawPackage, discover, load_raw
from scripts.data.paths import DATASETS, display, sources_dir
from scripts.data.problems import Problem, errors, one_per_cell

# in this order: an invisible character (check_cells) explains the errors it causes
DATA_CHECKS = (check_cells, check_formula_prefixes, check_with_frictionless, check_plain_digits)
CHECKS = tuple(zip(texts("check", {}, "zh"), texts("check", {}, "en"), strict=True))  # shown on the methods page


@dataclass
class PackageReport:
    package: RawPackage | None
    folder: Path
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(len(rows) for rows in self.package.tables.values()) if self.package else 0


def validate_package(folder: Path, sources_folder: Path) -> PackageReport:
    package, problems = load_raw(folder)
    report = PackageReport(package, folder, problems)
    if package is None:
        return report
    report.problems += check_descriptor(package)
    if errors(report.problems):
        report.problems.append(Problem(display(folder), "data-checks-skipped", severity="warning"))
        return report
    text_checks = [
        functools.partial(check, sources_folder=sources_folder) for check in (check_source_texts, check_provenance)
    ]
    for check in (*DATA_CHECKS, *text_checks, *FRAMING_CHECKS, *EDITORIAL_CHECKS):
        report.problems += check(package)
    report.problems += check_changelog(folder, str(package.descriptor.get("version")))
    report.problems = one_per_cell(report.problems)
    return report


def validate_all(
    datasets: Path = DATASETS, sources_folder: Path | None = None
) -> tuple[list[PackageReport], list[Problem]]:
    folders, problems = discover(datasets)
    folder = sources_folder or sources_dir()
    return [validate_package(f, folder) for f in folders], problems


def summary(reports: list[PackageReport], general: list[Problem]) -> tuple[str, bool]:
    """The text `make validate` prints, and whether everything is valid."""
    lines = [str(p) for p in general]
    ok = not errors(general)
    for report in reports:
        lines += [str(p) for p in report.problems]
        name = report.package.name if report.package else report.folder.name
        failed = errors(report.problems)
        ok = ok and not failed
        if failed or not report.package:
            outcome = Text("report.package-failed", {"name": name, "count": len(failed)})
        else:
            counts = {"tables": len(report.package.tables), "rows": report.rows, "checks": len(CHECKS)}
            version = report.package.descriptor.get("version")
            outcome = Text("report.package-passed", {"name": name, "version": version, **counts})
        lines += outcome.lines()
    return "\n".join(lines), ok
