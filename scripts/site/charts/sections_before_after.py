"""Internal sections of each department before and after the reform (the departments with the largest cuts)."""

from typing import Any

import altair as alt
import pandas as pd

from scripts.data.model import Package
from scripts.data.numbers import Lang
from scripts.site.charts.common import (
    FONT_SIZE,
    MAX_BARS,
    NARROW,
    NARROW_FONT,
    PALETTE,
    WIDE,
    ChartSpec,
    chart_spec,
    inline,
    measure,
    more_note,
    narrow_layout,
    observations_of,
    room_for,
    t,
)


def largest_cuts(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Before/after rows of the MAX_BARS units with the largest cuts (in table order), and how many units are left."""
    stages: dict[str, dict[str, float]] = {}
    for row in rows:
        stages.setdefault(row["unit_id"], {})[row["period"]] = row["value"]
    if len(stages) <= MAX_BARS:
        return rows, 0
    cut = {unit: s.get("before-reform", 0) - s.get("after-reform", 0) for unit, s in stages.items()}
    keep = set(sorted(stages, key=lambda unit: -cut[unit])[:MAX_BARS])
    return [row for row in rows if row["unit_id"] in keep], len(stages) - MAX_BARS


def chart(package: Package, lang: Lang) -> ChartSpec:
    units = package.table("units").by_key
    stage = {"before-reform": t(lang, "改革前", "Before"), "after-reform": t(lang, "改革后", "After")}
    rows = [
        row
        for row in observations_of(package, ["internal_sections"])
        if units[row["unit_id"]]["unit_type"] != "city" and row["period"] in stage
    ]
    rows, hidden = largest_cuts(rows)
    name = f"short_name_{lang}"
    data = pd.DataFrame(
        {
            "department": units[r["unit_id"]][name],
            "stage": stage[r["period"]],
            "sections": r["value"],
            **measure(package, r, lang),
        }
        for r in rows
    )
    before, after = stage["before-reform"], stage["after-reform"]
    summary = _summary(data, lang, before, after) + more_note(lang, hidden, "个部门", "departments")
    title = t(lang, "改革前后的内设机构数", "Internal sections before and after the reform")
    chart, narrow = _layout(data, lang, before, after)
    return chart_spec("sections-before-after", title, summary, package, rows, data, lang, chart, narrow)


def _summary(data: pd.DataFrame, lang: Lang, before: str, after: str) -> str:
    said = {(d, st): label for d, st, label in zip(data["department"], data["stage"], data["label"], strict=True)}
    clauses = [
        t(
            lang,
            f"{unit}由{said[unit, before]}减至{said[unit, after]}",
            f"{unit} from {said[unit, before]} to {said[unit, after]}",
        )
        for unit in dict.fromkeys(data["department"])
        if (unit, before) in said and (unit, after) in said
    ]
    return t(
        lang,
        "报道给出改革前后内设机构数的部门：" + "，".join(clauses) + "。",
        "Departments for which the report gives internal sections before and after the reform: "
        + "; ".join(clauses)
        + ".",
    )


def _layout(data: pd.DataFrame, lang: Lang, before: str, after: str) -> tuple[alt.TopLevelMixin, alt.TopLevelMixin]:
    axis_title = t(lang, "内设机构数（个）", "Internal sections")
    # room right of the longest bar for its value, as on a phone (the wide plot is about WIDE less its axis labels)
    x = alt.X("sections:Q", title=axis_title, scale=room_for(data["sections"], data["label"], FONT_SIZE, WIDE / 2))
    color = alt.Color("stage:N", sort=[before, after], scale=alt.Scale(range=PALETTE[:2]), title=None)
    tooltip = [
        alt.Tooltip("department:N", title=t(lang, "部门", "Department")),
        alt.Tooltip("stage:N", title=t(lang, "阶段", "Stage")),
        alt.Tooltip("label:N", title=t(lang, "内设机构数", "Internal sections")),
    ]
    base = alt.Chart(inline(data)).encode(
        y=alt.Y("department:N", title=None, sort=None), x=x, yOffset=alt.YOffset("stage:N", sort=[before, after])
    )
    bars = base.mark_bar().encode(color=color, tooltip=tooltip)
    chart = alt.layer(bars, base.mark_text(align="left", dx=3).encode(text=alt.Text("label:N")))

    def marks(base: alt.Chart, y: alt.Y, y2: alt.Y2, middle: alt.Y) -> list[Any]:
        room = alt.X(
            "sections:Q",
            title=axis_title,
            scale=room_for(data["sections"], data["label"], NARROW_FONT, NARROW - 10),
        )
        bars = base.mark_rect().encode(x=room, x2=alt.X2Datum(0), y=y, y2=y2, color=color, tooltip=tooltip)
        return [bars, base.mark_text(align="left", dx=3).encode(x=room, y=middle, text=alt.Text("label:N"))]

    return chart, narrow_layout(data, list(data["department"]), marks)
