"""Macros for one value or label in running text: figures, counts, dates, periods, roles and source notes."""

from typing import Any

from markupsafe import Markup

from scripts.data.dates import label as date_label
from scripts.data.numbers import size
from scripts.data.values import figure_text, period_text, rounding_mark
from scripts.site.pages.macros.base import MacroBase


class ValueMacros(MacroBase):
    def value_text(self, observation_id: str, marked: bool = True) -> str:
        """The value as every page states it (scripts/data/values.py): unit, qualifier, estimate and range, base; its
        rounding mark unless marked is False (a card sets it apart)."""
        package, row = self.site.find_observation(observation_id)
        return figure_text(package, row, self.lang, marked)

    def rounding_mark(self, observation_id: str) -> str:
        """The mark value_text ends with when the report gives the value rounded, or may (（取整数）…), else ""."""
        _, row = self.site.find_observation(observation_id)
        return rounding_mark(row, self.lang)

    def fig(self, observation_id: str) -> Markup:
        """A figure in running text, linked to its row, with its source in the tooltip."""
        package, row = self.site.find_observation(observation_id)
        return self.html("figure.html.j2", inline=True, row=row, package=package, text=self.value_text(observation_id))

    def who(self, observation_id: str, start: bool = False) -> str:
        """Whose figure it is, to lead a sentence of running text: the person the report quotes, else the report."""
        _, row = self.site.find_observation(observation_id)
        if row.get("speaker_zh"):
            return self.t(f"据{row['speaker_zh']}介绍，", f"{'A' if start else 'a'}ccording to {row['speaker_en']},")
        return self.t("报道称，", f"{'T' if start else 't'}he report says that")

    def count(self, package: str, table: str, **where: Any) -> int:
        data = self.package(package).table(table)
        if not where:
            return len(data.frame)
        (column, value), *others = where.items()
        return sum(all(row.get(k) == v for k, v in others) for row in data.where(column, value))

    def date(self, text: str, precision: str) -> str:
        return date_label(text, precision, self.lang)

    def milestone_date(self, package: str, milestone_id: str) -> str:
        row = self.record(package, "milestones", milestone_id)
        return date_label(row["date"], row["precision"], self.lang)

    def period(self, period: str) -> str:
        return period_text(period, self.lang)

    def basis(self, basis: str) -> str:
        names = {"reported": ("报道", "reported"), "derived": ("推算", "derived"), "estimated": ("估算", "estimate")}
        if basis not in names:
            raise KeyError(f"unknown basis {basis!r}")
        return self.t(*names[basis])

    def scope(self, row: dict[str, Any]) -> str:
        """Which units a figure covers, as the report gives it (empty for a department's own figure)."""
        return row.get(f"scope_{self.lang}") or ""

    def role(self, role: str) -> str:
        names = {
            "merged": ("被合并", "merged"),
            "receives-duties": ("承接职责", "takes over the duties"),
            "created": ("新设", "created"),
            "staffed": ("人员调整", "staffing changed"),
        }
        if role not in names:
            raise KeyError(f"unknown section role {role!r}")
        return self.t(*names[role])

    def size(self, nbytes: int) -> str:
        return size(nbytes, self.lang)

    def cell(self, value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
