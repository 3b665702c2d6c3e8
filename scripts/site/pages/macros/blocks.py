"""Macros for HTML blocks: charts, key figures, and a strand's or a department's figures, claims, changes and
milestones (the first LIST_ROWS of a long list)."""

from typing import Any

from markupsafe import Markup

from scripts.data.model import Package
from scripts.site.charts.common import WIDE, column_heading
from scripts.site.pages.generated import LIST_ROWS
from scripts.site.pages.macros.base import MacroBase


class BlockMacros(MacroBase):
    list_rows = LIST_ROWS
    wide = WIDE  # the chart box's width from which a chart is drawn wide (site.css says the same)

    def chart(self, name: str) -> Markup:
        if name not in self.site.charts:
            raise KeyError(f"unknown chart {name!r}; known charts: {', '.join(self.site.charts)}")
        return self.block("chart.html.j2", spec=self.site.charts[name], files=self.site.chart_files[name])

    def column_heading(self, column: str) -> str:
        return column_heading(column, self.lang)

    def svg(self, chart: str, layout: str) -> Markup:
        """The chart's drawing, wide (the one downloaded) or narrow (for a phone), marked with its layout for site.css;
        Vega escaped every data text in it."""
        if layout == "wide":
            drawn = self.site.downloads[self.site.chart_files[chart]["svg"]].content
        else:
            drawn = self.site.narrow_svgs[chart]
        return Markup(f'<svg data-layout="{layout}" ' + drawn.decode("utf-8").removeprefix("<svg "))

    def key_figures(self, *observation_ids: str) -> Markup:
        rows = [(*self.site.find_observation(i), i) for i in observation_ids]
        return self.block("key_figures.html.j2", rows=rows)

    def figures(self, strand: str | None = None, unit: str | None = None) -> Markup:
        listed = self._lists("observations", strand, unit, "figures.html.j2", show_unit=unit is None)
        return listed or self.t("（暂无数据）", "(no figures)")

    def changes(self, strand: str | None = None, unit: str | None = None) -> Markup:
        return self._lists("changes", strand, unit, "changes.html.j2", show_unit=unit is None)

    def milestones(self, unit: str | None = None) -> Markup:
        return self._lists("milestones", None, unit, "milestones.html.j2")

    def claims(self, strand: str | None = None, unit: str | None = None, measured: bool = False) -> Markup:
        """What the report claims, of a strand or a unit: those it gives no figure for, or (measured) those it does."""
        return self._lists("claims", strand, unit, "claims.html.j2", show_unit=unit is None, measured=measured)

    def claim_figures(self, package: Package, claim: dict[str, Any]) -> list[dict[str, Any]]:
        """The observation a claim names, then the other figures its report states in the same paragraph's excerpt."""
        named = package.observations[claim["observation_id"]]
        same = package.table("observations").where("excerpt", named["excerpt"])
        others = [
            row
            for row in same
            if row is not named
            and row["basis"] == "reported"
            and (row["source_id"], row["locator"]) == (named["source_id"], named["locator"])
        ]
        return [named, *others]

    def _lists(self, table: str, strand: str | None, unit: str | None, template: str, **context: Any) -> Markup:
        """Each package's rows of a table, of a strand or a unit, or all of them, the city's first; a unit's changes
        include those in which it is the counterpart, after its own."""
        blocks = []
        for package in self.site.packages:
            data = package.table(table)
            rows = data.records if unit is None else data.where("unit_id", unit)
            if unit is not None and table == "changes":
                rows = rows + [r for r in data.where("counterpart_unit_id", unit) if r["unit_id"] != unit]
            if table == "claims":
                rows = [row for row in rows if bool(row["observation_id"]) == context["measured"]]
            rows = package.city_first([row for row in rows if strand is None or row["strand_id"] == strand])
            if not rows:
                continue
            html = self.block(template, package=package, rows=rows[:LIST_ROWS], **context)
            if len(rows) > LIST_ROWS:  # a long list: its first rows, and a link to the table's page for all of them
                html += self.block("more_rows.html.j2", package=package, table=table, shown=LIST_ROWS, total=len(rows))
            blocks.append(html)
        return Markup("".join(blocks))
