"""Central SOE–local cooperation: each figure as a percentage of its annual target."""

from typing import Any

import altair as alt
import pandas as pd

from scripts.data.dates import label
from scripts.data.model import Package
from scripts.data.numbers import Lang
from scripts.site.charts import common
from scripts.site.outputs.languages import t

CENTRAL_SOE = [  # the four figures of central SOE–local cooperation, all on one scale: percent of the annual target
    "central_soe_signing_completion",
    "central_soe_investment_completion",
    "central_soe_starts_completion",
    "central_soe_completions_completion",
]


def _shared_start(texts: list[str]) -> str:
    length = 0
    while all(len(text) > length and text[length] == texts[0][length] for text in texts):
        length += 1
    return texts[0][:length]


def distinct_parts(names: list[str], lang: Lang) -> list[str]:
    """What tells names apart once the words they all share are left out (the chart's title says those)."""
    prefix = _shared_start(names)
    suffix = _shared_start([name[::-1] for name in names])[::-1]
    if lang == "en":  # keep whole words: cut at the last space or colon of the prefix, the first one of the suffix
        prefix = prefix[: max(prefix.rfind(" "), prefix.rfind(":")) + 1]
        cut = min((i for i in (suffix.find(","), suffix.find(" ")) if i >= 0), default=len(suffix))
        suffix = suffix[cut:]
    parts = [name[len(prefix) : len(name) - len(suffix)].strip(" :,") for name in names]
    return parts if len(names) > 1 and all(parts) else names


def chart(package: Package, lang: Lang) -> common.ChartSpec:
    indicators = package.table("indicators").by_key
    rows = common.observations_of(package, CENTRAL_SOE)
    names = [indicators[r["indicator_id"]][f"name_{lang}"] for r in rows]
    data = pd.DataFrame(
        {"figure": part, "indicator": name, "percent_of_target": r["value"], **common.measure(package, r, lang)}
        for part, name, r in zip(distinct_parts(names, lang), names, rows, strict=True)
    )
    years = "、".join(dict.fromkeys(label(r["period"], "year", lang) for r in rows))
    met = int((data["percent_of_target"] >= 100).sum())
    listed = t(lang, "，", "; ").join(
        part + t(lang, "", " ") + lb for part, lb in zip(data["figure"], data["label"], strict=True)
    )
    summary = common.say(lang, "soe.summary", years=years, count=len(data), met=met, listed=listed)
    title = common.say(lang, "soe.title", years=years)
    percent = data["percent_of_target"]  # a bar's value is its label: room right of the longest for it, as on a phone
    scale = common.room_for(percent, percent, common.NARROW_FONT, common.NARROW - 10)
    x = alt.X("percent_of_target:Q", title=common.say(lang, "soe.axis"), scale=scale)
    tooltip = [
        alt.Tooltip("indicator:N", title=common.column_heading("indicator", lang)),
        alt.Tooltip("label:N", title=common.say(lang, "soe.label")),
    ]
    bars = (
        alt.Chart(common.inline(data))
        .mark_bar(color=common.PALETTE[0])
        .encode(y=alt.Y("figure:N", title=None, sort=None), x=x, tooltip=tooltip)
    )
    labels = bars.mark_text(align="left", dx=4, color=common.TEXT).encode(text=alt.Text("percent_of_target:Q"))
    target = common.inline(pd.DataFrame({"x": [100]}))
    rule = alt.Chart(target).mark_rule(color=common.PALETTE[1], strokeDash=[4, 3], size=2).encode(x=alt.X("x:Q"))

    def marks(base: alt.Chart, y: alt.Y, y2: alt.Y2, middle: alt.Y) -> list[Any]:
        drawn = base.mark_rect(color=common.PALETTE[0]).encode(x=x, x2=alt.X2Datum(0), y=y, y2=y2, tooltip=tooltip)
        values = base.mark_text(align="left", dx=3).encode(x=x, y=middle, text=alt.Text("percent_of_target:Q"))
        target = base.mark_rule(color=common.PALETTE[1], strokeDash=[4, 3], size=2, yOffset=-5, y2Offset=5).encode(
            x=alt.XDatum(100), y=y, y2=y2
        )
        return [drawn, target, values]  # the target line crosses each bar, not the labels above them

    narrow = common.narrow_layout(data, list(data["figure"]), marks)
    wide = alt.layer(bars, rule, labels)
    return common.chart_spec("central-soe-cooperation", title, summary, package, rows, data, lang, wide, narrow)
