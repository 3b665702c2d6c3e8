"""Macros for HTML blocks: charts (inline SVG with their panel), key figures, a strand's or a department's figures,
changes and milestones (summarised when long), and any other block template."""

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
        return self.html("chart.html.j2", spec=self.site.charts[name], files=self.site.chart_files[name])

    def column_heading(self, column: str) -> str:
        return column_heading(column, self.lang)

    def svg(self, chart: str, layout: str) -> Markup:
        """The chart's SVG for a layout (wide, the one downloaded, or narrow, for a phone), drawn at build time, with a
        class that site.css shows it by; it contains no data text that was not escaped by Vega."""
        if layout == "wide":
            drawn = self.site.downloads[self.site.chart_files[chart]["svg"]].content
        elif layout == "narrow":
            drawn = self.site.narrow_svgs[chart]
        else:
            raise ValueError(f"unknown chart layout {layout!r}: wide or narrow")
        svg = drawn.decode("utf-8")
        if not svg.startswith("<svg "):
            raise ValueError(f"chart {chart!r}: the {layout} drawing is not an SVG element")
        return Markup(f'<svg data-layout="{layout}" ' + svg.removeprefix("<svg "))

    def key_figures(self, *observation_ids: str) -> Markup:
        rows = [(*self.site.find_observation(i), i) for i in observation_ids]
        return self.html("key_figures.html.j2", rows=rows)

    def block(self, template: str, **context: Any) -> Markup:
        return self.html(template, **context)

    def figures(self, strand: str | None = None, unit: str | None = None) -> Markup:
        listed = self._lists("observations", strand, unit, "figures.html.j2", show_unit=unit is None)
        return listed or self.t("（暂无数据）", "(no figures)")

    def changes(self, strand: str | None = None, unit: str | None = None) -> Markup:
        return self._lists("changes", strand, unit, "changes.html.j2", show_unit=unit is None)

    def milestones(self, unit: str | None = None) -> Markup:
        return self._lists("milestones", None, unit, "milestones.html.j2")

    def claims(self, strand: str | None = None, unit: str | None = None, measured: bool = False) -> Markup:
        """What the report claims, of a strand or a unit: the claims it gives no figure for, or (measured) those it
        gives one for, each with that figure; empty when there are none."""
        return self._lists("claims", strand, unit, "claims.html.j2", show_unit=unit is None, measured=measured)

    def claim_figures(self, package: Package, claim: dict[str, Any]) -> list[dict[str, Any]]:
        """The figures the report gives for a claim: the observation it names, then the other figures the report
        states in the same excerpt of the same paragraph."""
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
        """Each package's rows of a table, of a strand or a unit, or all of them, the city's before a department's; a
        unit's changes include those in which it is the counterpart, after its own; claims with a figure (measured)
        or without one."""
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
            html = self.html(template, package=package, rows=rows[:LIST_ROWS], **context)
            if len(rows) > LIST_ROWS:  # a long list: its first rows, and a link to the table's page for all of them
                html += self.html("more_rows.html.j2", package=package, table=table, shown=LIST_ROWS, total=len(rows))
            blocks.append(html)
        return Markup("".join(blocks))
