"""Macros for HTML blocks: charts (inline SVG with their panel), key figures and any other block template."""

from typing import Any

from markupsafe import Markup

from scripts.site.pages.macros.base import MacroBase


class BlockMacros(MacroBase):
    def chart(self, name: str) -> Markup:
        if name not in self.site.charts:
            raise KeyError(f"unknown chart {name!r}; known charts: {', '.join(self.site.charts)}")
        return self.html("chart.html.j2", spec=self.site.charts[name], files=self.site.chart_files[name])

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
