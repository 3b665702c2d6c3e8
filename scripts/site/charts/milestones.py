"""The reform's timeline: its launch, pilots and rollout."""

import json
from typing import Any

import altair as alt
import pandas as pd

from scripts.data.dates import label
from scripts.data.model import Package
from scripts.data.numbers import Lang
from scripts.site.charts import common
from scripts.site.outputs.languages import t

LABEL_WIDTH = 300  # the widest a wrapped label of the y axis may be (pixels, as text_width estimates)
LABEL_LINE = 15  # pixels per line of such a label


def wrapped_axis(lines: dict[str, list[str]]) -> alt.Axis:
    """An axis whose labels are drawn on the lines given for each, none cut short: Vega would shorten a long label to
    its label limit with an ellipsis (measuring it again for every character it takes off, most of a drawing's time)."""
    raised = {label: -(len(parts) - 1) * LABEL_LINE / 2 for label, parts in lines.items()}  # centred on the tick
    return alt.Axis(
        labelExpr=json.dumps(lines, ensure_ascii=False) + "[datum.label]",
        labelOffset=alt.ExprRef(json.dumps(raised, ensure_ascii=False) + "[datum.label]"),
        labelLimit=0,
        labelBaseline="middle",
        labelLineHeight=LABEL_LINE,
    )


def chart(package: Package, lang: Lang) -> common.ChartSpec:
    units = package.table("units").by_key
    every = package.table("milestones").records
    # the launch and rollout always, and as many pilots as fit
    pilots = [r for r in every if r["event_type"] == "pilot"]
    shown = pilots[: max(common.MAX_BARS - (len(every) - len(pilots)), 0)]
    rows = [r for r in every if r["event_type"] != "pilot" or any(r is p for p in shown)]
    data = pd.DataFrame(
        {
            "event": units[r["unit_id"]][f"short_name_{lang}"] + t(lang, "：", ": ") + r[f"event_{lang}"],
            "date": label(r["date"], r["precision"], lang),
            "start": r["start_date"],
            "end": r["end_date"],
        }
        for r in rows
    )
    by_type = {r["event_type"]: r for r in every}
    launch, rollout = (label(by_type[k]["date"], by_type[k]["precision"], lang) for k in ("launch", "rollout"))
    hidden = len(every) - len(rows)
    summary = common.say(lang, "milestones.summary", launch=launch, pilots=len(pilots), rollout=rollout)
    summary += common.say(lang, "milestones.more", hidden=hidden) if hidden else ""
    title = common.say(lang, "milestones.title")
    lines = {event: common.wrap(event, LABEL_WIDTH, common.FONT_SIZE) for event in data["event"]}
    band = max(common.BAND, LABEL_LINE * max(map(len, lines.values()), default=1) + 4)
    tooltip = [
        alt.Tooltip("event:N", title=common.column_heading("event", lang)),
        alt.Tooltip("date:N", title=common.say(lang, "milestones.date")),
    ]
    chart = (
        alt.Chart(common.inline(data))
        .mark_bar(color=common.PALETTE[0], height=14, cornerRadius=2)
        .encode(
            y=alt.Y("event:N", title=None, sort=None, axis=wrapped_axis(lines)),
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y-%m", tickCount=6), scale=alt.Scale(type="utc")),
            x2=alt.X2("end:T"),
            tooltip=tooltip,
        )
    )

    def marks(base: alt.Chart, y: alt.Y, y2: alt.Y2, middle: alt.Y) -> list[Any]:
        x = alt.X("start:T", title=None, axis=alt.Axis(format="%Y-%m", tickCount=3), scale=alt.Scale(type="utc"))
        rect = base.mark_rect(color=common.PALETTE[0], cornerRadius=2)
        return [rect.encode(x=x, x2=alt.X2("end:T"), y=y, y2=y2, tooltip=tooltip)]

    said = [f"{date} · {event}" for date, event in zip(data["date"], data["event"], strict=True)]
    narrow = common.narrow_layout(data, said, marks)
    return common.chart_spec("milestones", title, summary, package, rows, data, lang, chart, narrow, band)
