"""Validation problems: what is wrong, where, and how to fix it, in Chinese and in English."""

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
SEVERITY_ZH = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True)
class Problem:
    """One problem, printed as a Chinese line and an English line, each naming the file, row and field."""

    file: str
    message: str
    fix: str
    row: int | None = None
    field: str | None = None
    severity: Severity = "error"
    message_zh: str = ""
    fix_zh: str = ""
    also: tuple[int, ...] = ()  # other rows with the same mistake, reported once

    def text(self, lang: str) -> str:
        """The problem in one language: “ERROR file, row 3, field “value”: what. Fix: how”."""
        if lang == "zh" and self.message_zh:
            where = self.file
            if self.row is not None:
                where += f"，第 {self.row} 行"
            if self.field:
                where += f"，字段“{self.field}”"
            also = f"（第 {'、'.join(map(str, self.also))} 行也是如此）" if self.also else ""
            return f"{SEVERITY_ZH[self.severity]} {where}：{self.message_zh}{also}。改法：{self.fix_zh or self.fix}"
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field “{self.field}”"
        also = f" (and in row{'s' if len(self.also) > 1 else ''} {', '.join(map(str, self.also))})" if self.also else ""
        return f"{self.severity.upper()} {where}: {self.message}{also}. Fix: {self.fix}"

    def __str__(self) -> str:
        lines = [self.text("zh")] if self.message_zh else []
        return "\n".join([*lines, self.text("en")])


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def one_per_cell(problems: list[Problem]) -> list[Problem]:
    """The first error of each cell, and no other error in a row whose cells do not line up with the header.

    A mistyped cell often fails several checks (its type, then the checks that need its value); a row with a cell
    too many shifts every later cell. Reporting the first cause is what helps a maintainer fix it.
    """
    shifted = {(p.file, p.row) for p in problems if p.field is None and p.row is not None and p.severity == "error"}
    seen: set[tuple[str, int | None, str | None]] = set()
    kept = []
    for problem in problems:
        if problem.severity == "error" and problem.row is not None:
            cell = (problem.file, problem.row, problem.field)
            if cell in seen or (problem.field is not None and (problem.file, problem.row) in shifted):
                continue
            seen.add(cell)
        kept.append(problem)
    return kept
