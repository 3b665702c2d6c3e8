"""Validation problems: what is wrong, where, and how to fix it, in Chinese and in English, by a code and parameters
of the message catalogue, which also gives the printed line's frame (“错误 file，第 3 行，字段“value”：…。改法：…”)."""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from scripts.data.messages import Lang, Text, check, entry, fill

Severity = Literal["error", "warning"]
SEVERITY = {"error": Text("line.error"), "warning": Text("line.warning")}


@dataclass(frozen=True)
class Problem:
    """One problem, printed as a Chinese line and an English line, each naming the file, row and field."""

    file: str
    code: str  # a key of the catalogue's problem table
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict, hash=False)
    row: int | None = None
    field: str | None = None
    severity: Severity = "error"
    also: tuple[int, ...] = ()  # other rows with the same mistake, reported once
    also_in: tuple[str, ...] = ()  # other cells with the same mistake (a workbook's), reported once

    def __post_init__(self) -> None:
        check(self.code, self.params)

    def message_in(self, lang: Lang) -> str:
        return fill(entry(self.code)[f"message_{lang}"], self.params, lang)

    def fix_in(self, lang: Lang) -> str:
        return fill(entry(self.code)[f"fix_{lang}"], self.params, lang)

    def text(self, lang: Lang) -> str:
        """The problem in one language: “ERROR file, row 3, field “value”: what. Fix: how”."""
        where = self.file
        if self.row is not None:
            where += Text("line.row", {"row": self.row}).render(lang)
        if self.field:
            where += Text("line.field", {"field": self.field}).render(lang)
        also: Text | str = ""
        if self.also_in:
            also = Text("line.also-in", {"cells": self.also_in})
        elif self.also:
            also = Text("line.also-rows" if len(self.also) > 1 else "line.also-row", {"rows": self.also})
        line = {"severity": SEVERITY[self.severity], "where": where, "message": self.message_in(lang), "also": also}
        return Text("line.problem", line | {"fix": self.fix_in(lang)}).render(lang)

    def __str__(self) -> str:
        return f"{self.text('zh')}\n{self.text('en')}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def one_per_cell(problems: list[Problem]) -> list[Problem]:
    """The first error of each cell (a mistyped cell fails the checks that need its value too), and no other error in
    a row whose cells do not line up with the header: the first cause is what helps a maintainer fix it."""
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
