"""Internal sections of each department before and after the reform (the departments with the largest cuts)."""

from typing import Any

import altair as alt
import pandas as pd

from scripts.data.model import Package
from scripts.data.numbers import Lang
from scripts.site.charts import common
from scripts.site.outputs.languages import t


def largest_cuts(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Before/after rows of the MAX_BARS units with the largest cuts (in table order), and how many units are left."""
    stages: dict[str, dict[str, float]] = {}
    for row in rows:
        stages.setdefault(row["unit_id"], {})[row["period"]] = row["value"]
    if len(stages) <= common.MAX_BARS:
        return rows, 0
    cut = {unit: s.get("before-reform", 0) - s.get("after-reform", 0) for unit, s in stages.items()}
    keep = set(sorted(stages, key=lambda unit: -cut[unit])[: common.MAX_BARS])
    return [row for row in rows if row["unit_id"] in keep], len(stages) - common.MAX_BARS


def chart(package: Package, lang: Lang) -> common.ChartSpec:
    units = package.table("units").by_key
    stage = {"before-reform": common.say(lang, "sections.before"), "after-reform": common.say(lang, "sections.after")}
    rows = [
        row
        for row in common.observations_of(package, ["internal_sections"])
        if units[row["unit_id"]]["unit_type"] != "city" and row["period"] in stage
    ]
    rows, hidden = largest_cuts(rows)
    data = pd.DataFrame(
        {
            "department": units[r["unit_id"]][f"short_name_{lang}"],
            "stage": stage[r["period"]],
            "sections": r["value"],
            **common.measure(package, r, lang),
        }
        for r in rows
    )
    before, after = stage["before-reform"], stage["after-reform"]
    said = {(d, st): label for d, st, label in zip(data["department"], data["stage"], data["label"], strict=True)}
    clauses = [
        common.say(lang, "sections.clause", unit=unit, before=said[unit, before], after=said[unit, after])
        for unit in dict.fromkeys(data["department"])
        if (unit, before) in said and (unit, after) in said
    ]
    summary = common.say(lang, "sections.summary", clauses=t(lang, "，", "; ").join(clauses))
    summary += common.say(lang, "sections.more", hidden=hidden) if hidden else ""
    chart, narrow = _layout(data, lang, before, after)
    title = common.say(lang, "sections.title")
    return common.chart_spec("sections-before-after", title, summary, package, rows, data, lang, chart, narrow)


def _layout(data: pd.DataFrame, lang: Lang, before: str, after: str) -> tuple[alt.TopLevelMixin, alt.TopLevelMixin]:
    def room(size: int, plot: float) -> alt.X:  # right of the longest bar, for its value label
        scale = common.room_for(data["sections"], data["label"], size, plot)
        return alt.X("sections:Q", title=common.say(lang, "sections.axis"), scale=scale)

    x = room(common.FONT_SIZE, common.WIDE / 2)  # the wide plot is about WIDE less its axis labels
    color = alt.Color("stage:N", sort=[before, after], scale=alt.Scale(range=common.PALETTE[:2]), title=None)
    tooltip = [
        alt.Tooltip("department:N", title=common.column_heading("department", lang)),
        alt.Tooltip("stage:N", title=common.column_heading("stage", lang)),
        alt.Tooltip("label:N", title=common.column_heading("sections", lang)),
    ]
    base = alt.Chart(common.inline(data)).encode(
        y=alt.Y("department:N", title=None, sort=None), x=x, yOffset=alt.YOffset("stage:N", sort=[before, after])
    )
    bars = base.mark_bar().encode(color=color, tooltip=tooltip)
    chart = alt.layer(bars, base.mark_text(align="left", dx=3).encode(text=alt.Text("label:N")))

    def marks(base: alt.Chart, y: alt.Y, y2: alt.Y2, middle: alt.Y) -> list[Any]:
        x = room(common.NARROW_FONT, common.NARROW - 10)
        bars = base.mark_rect().encode(x=x, x2=alt.X2Datum(0), y=y, y2=y2, color=color, tooltip=tooltip)
        return [bars, base.mark_text(align="left", dx=3).encode(x=x, y=middle, text=alt.Text("label:N"))]

    return chart, common.narrow_layout(data, list(data["department"]), marks)
