"""Find a problem among those validation reports by its code, where it is, and the parameters it names (what a
maintainer reads is rendered from them: tests/test_messages.py)."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scripts.checks.validate import summary, validate_all
from scripts.data.paths import sources_dir
from scripts.data.problems import Problem

ANY: Any = object()  # a row or field that is not checked


def validation_problems(datasets: Path, sources: Path | None = None) -> list[Problem]:
    """Every problem `python -m scripts validate` prints for these packages, in its order."""
    return validated(datasets, sources)[0]


def validated(datasets: Path, sources: Path | None = None) -> tuple[list[Problem], str, bool]:
    """One run of the checks: their problems, the text `python -m scripts validate` prints, and whether it passes."""
    reports, general = validate_all(datasets, sources or sources_dir())
    return general + [p for report in reports for p in report.problems], *summary(reports, general)


def find_problem(
    problems: Iterable[Problem],
    code: str,
    file: str = "",
    row: int | None = ANY,
    field: str | None = ANY,
    severity: str = "error",
    **params: Any,
) -> Problem:
    """The first problem with this code and severity in a file ending so, at this row and field, whose parameters
    include these; it renders in both languages."""
    problems = list(problems)
    found = [
        p
        for p in problems
        if p.code == code
        and p.severity == severity
        and p.file.endswith(file)
        and row in (ANY, p.row)
        and field in (ANY, p.field)
        and all(p.params.get(name, ANY) == value for name, value in params.items())
    ]
    assert found, f"no {severity} {code} in {file} (row {row}, field {field}, {params}) among:\n" + "\n".join(
        f"{p.severity} {p.code} {p.file} row {p.row} field {p.field} {dict(p.params)}" for p in problems
    )
    assert found[0].text("zh") and found[0].text("en")
    return found[0]
