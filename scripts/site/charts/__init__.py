"""The charts: one module per chart, each the same shape (the model → its plotted data, title, summary and
Vega-Lite specification), what they share (common.py), and the files drawn from them (files.py)."""

from collections.abc import Callable

from scripts.data.model import Package
from scripts.data.numbers import Lang
from scripts.site.charts import central_soe_cooperation, milestones, sections_before_after
from scripts.site.charts.common import ChartSpec

CHARTS: dict[str, Callable[[Package, Lang], ChartSpec]] = {
    "sections-before-after": sections_before_after.chart,
    "central-soe-cooperation": central_soe_cooperation.chart,
    "milestones": milestones.chart,
}


def build_chart(name: str, package: Package, lang: Lang) -> ChartSpec:
    return CHARTS[name](package, lang)
