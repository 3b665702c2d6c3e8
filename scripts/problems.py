"""Validation problems: what is wrong, where, and how to fix it."""

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    fix: str
    row: int | None = None
    field: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field “{self.field}”"
        return f"{self.severity.upper()} {where}: {self.message}. Fix: {self.fix}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
