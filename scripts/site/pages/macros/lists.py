"""Macros for blocks of rows: a strand's or a department's figures, changes and milestones, summarised when long."""

from typing import Any

from markupsafe import Markup

from scripts.site.pages.generated import LIST_ROWS
from scripts.site.pages.macros.base import MacroBase


class ListMacros(MacroBase):
    list_rows = LIST_ROWS

    def figures(self, strand: str | None = None, unit: str | None = None) -> Markup:
        listed = self._lists("observations", strand, unit, "figures.html.j2", show_unit=unit is None)
        return listed or self.t("（暂无数据）", "(no figures)")

    def changes(self, strand: str | None = None, unit: str | None = None) -> Markup:
        return self._lists("changes", strand, unit, "changes.html.j2", show_unit=unit is None)

    def milestones(self, unit: str | None = None) -> Markup:
        return self._lists("milestones", None, unit, "milestones.html.j2")

    def _lists(self, table: str, strand: str | None, unit: str | None, template: str, **context: Any) -> Markup:
        """Each package's rows of a table, of a strand or a unit, or all of them; a unit's changes include those in
        which it is the counterpart, after its own."""
        blocks = []
        for package in self.site.packages:
            data = package.table(table)
            rows = data.records() if unit is None else data.where("unit_id", unit)
            if unit is not None and table == "changes":
                rows = rows + [r for r in data.where("counterpart_unit_id", unit) if r["unit_id"] != unit]
            rows = [row for row in rows if strand is None or row["strand_id"] == strand]
            if not rows:
                continue
            html = self.html(template, package=package, rows=rows[:LIST_ROWS], **context)
            if len(rows) > LIST_ROWS:  # a long list: its first rows, and a link to the table's page for all of them
                html += self.html("more_rows.html.j2", package=package, table=table, shown=LIST_ROWS, total=len(rows))
            blocks.append(html)
        return Markup("".join(blocks))
