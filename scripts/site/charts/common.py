"""Charts of the reform's figures: each one a function of the model, with its plotted data, title and summary."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from scripts.data import messages
from scripts.data.messages import catalogue
from scripts.data.model import Package
from scripts.data.numbers import Lang
from scripts.data.values import figure_text
from scripts.site.outputs.citation import cited_sources, paragraphs

WORDING = Path(__file__).with_name("wording.toml")  # what the charts say, by code (checked as messages.toml is)
# A CJK font draws a Chinese chart, Latin ones an English chart (as site.css does for pages: a CJK font's quotes and
# apostrophes are full width). Liberation Sans comes with vl-convert, which measures and draws the text with it; it has
# Arial's metrics, so where a browser draws with Arial the labels fit as measured.
FONTS: dict[Lang, str] = {
    "zh": '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", sans-serif',
    "en": '"Liberation Sans", Arial, "Helvetica Neue", Helvetica, "Noto Sans CJK SC", sans-serif',
}
# Okabe–Ito hues that keep 3:1 contrast against the white chart background (WCAG 1.4.11) and stay apart for readers
# with any of the three dichromacies (tests/test_accessibility.py checks both)
PALETTE = ["#0072B2", "#D55E00", "#CC79A7"]
TEXT = "#1f2328"
# Each chart is drawn twice and the page shows the one that fits (site.css, .chart__static), never enlarged: WIDE
# (the downloads too) in a box at least WIDE pixels wide; NARROW below that, labels above their bars, shrunk at most to
# the 254 px of a 320 px phone, which keeps NARROW_FONT at 11 px or more. Both widths include labels and axes.
WIDE = 640
NARROW = 280
FONT_SIZE = 12
NARROW_FONT = 13
BAND = 34  # pixels per bar row of the wide drawing
LINE = 17  # pixels per line of a label above its bars (narrow drawing)
BAR = 14  # pixels per bar of the narrow drawing
MAX_BARS = 20  # a chart of more rows shows this many and says how many more its data download holds
FIT = alt.AutoSizeParams(type="fit-x", contains="padding")


@dataclass(frozen=True)
class ChartSpec:
    name: str
    title: str
    summary: str
    source: str
    data: pd.DataFrame
    chart: alt.TopLevelMixin
    narrow: alt.TopLevelMixin | None = None  # the drawing for a phone; the page only
    rows: tuple[dict[str, Any], ...] = ()  # the plotted rows, with their sources, paragraphs and excerpts

    def vega_lite(self, narrow: bool = False) -> dict[str, Any]:
        """The wide (or narrow) drawing's Vega-Lite specification, validated against Vega-Lite's schema."""
        return (self.narrow if narrow else self.chart).to_dict(validate=True)


def inline(data: pd.DataFrame) -> dict[str, Any]:
    """The frame's values, converted once: given the frame, altair converts it again for every layer."""
    return {"values": alt.utils.data.to_values(data)["values"]}


def _config(size: int, lang: Lang) -> alt.Config:
    """The look of every chart. Set with the other top-level properties in one step: each step copies the chart."""
    return alt.Config(
        font=FONTS[lang],
        background="white",
        axis=alt.AxisConfig(
            labelAngle=0, labelColor=TEXT, titleColor=TEXT, labelFontSize=size, titleFontSize=size, labelLimit=260
        ),
        title=alt.TitleConfig(color=TEXT, fontSize=15, anchor="start"),
        legend=alt.LegendConfig(labelColor=TEXT, titleColor=TEXT, orient="top", labelFontSize=size),
        text=alt.MarkConfig(fontSize=size, color=TEXT),
        view=alt.ViewConfig(stroke=None),
    )


def chart_spec(
    name: str,
    title: str,
    summary: str,
    package: Package,
    rows: list[dict[str, Any]],
    data: pd.DataFrame,
    lang: Lang,
    chart: alt.TopLevelMixin,
    narrow: alt.TopLevelMixin,
    band: int = BAND,
) -> ChartSpec:
    """The chart's specification, wide and narrow (untitled: the page's caption says it)."""
    parts = [  # which source and paragraphs the plotted rows come from (a source's fields name its parts)
        say(lang, "source.part", **cited, date=str(cited["published"])[:10], where=paragraphs(paras, lang))
        for cited, paras in cited_sources(package, rows)
    ]
    source = say(lang, "source.line", parts=say(lang, "source.separator").join(parts))
    heading = alt.Title(wrap(title, WIDE, 15), anchor="start")
    wide = chart.properties(
        title=heading,
        description=summary,
        width=WIDE,
        height=alt.Step(band),
        autosize=FIT,
        config=_config(FONT_SIZE, lang),
    )
    phone = narrow.properties(description=summary, width=NARROW, autosize=FIT, config=_config(NARROW_FONT, lang))
    return ChartSpec(name, title, summary, source, data, wide, phone, tuple(rows))


WIDE_CHARACTERS = re.compile(r"[\u2000-\u206f\u2e80-\uffff]")  # CJK, full-width forms, and punctuation drawn so


def text_width(text: str, size: float) -> float:
    """A generous estimate of a text's width in pixels: CJK characters 1 em, any other 0.62 em."""
    wide = len(WIDE_CHARACTERS.findall(text))
    return size * (wide + 0.62 * (len(text) - wide))


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of a text no wider than width at the font size: broken between words, or between CJK characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+", paragraph):
            if line.strip() and text_width((line + token).rstrip(), size) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines


Marks = Callable[[alt.Chart, alt.Y, alt.Y2, alt.Y], list[Any]]


def room_for(values: "pd.Series[float]", labels: "pd.Series[str]", size: int, plot: float) -> alt.Scale:
    """A scale from zero with room right of the longest bar for its value label, in a plot `plot` pixels wide."""
    room = max(text_width(str(label), size) for label in labels) + 6
    return alt.Scale(domain=[0, float(values.max()) * plot / max(plot - room, plot / 3)])


def narrow_layout(data: pd.DataFrame, labels: list[str], marks: Marks) -> alt.LayerChart:
    """A narrow chart: each row's label (the same for the rows of a group) above the group's bars, which `marks` draws
    from the data given its chart and the `y` and `y2` of each bar's top and bottom and the `y` of its middle."""
    groups = list(dict.fromkeys(labels))
    order = sorted(range(len(labels)), key=lambda i: groups.index(labels[i]))  # a group's bars together
    texts, heads_y, tops, height = [], [], [], 0.0  # each group's label wrapped above its bars, top to bottom
    for group in groups:
        lines = wrap(group, NARROW, NARROW_FONT)
        texts.append("\n".join(lines))
        heads_y.append(height)
        height += LINE * len(lines) + 2
        for _ in range(labels.count(group)):
            tops.append(height)
            height += BAR + 2
        height += 10
    text = pd.DataFrame({"text": texts, "y": heads_y})
    scale = alt.Scale(domain=[0, height], reverse=True, nice=False, zero=False)
    placed = data.iloc[order].assign(
        bar_top=tops, bar_bottom=[t + BAR for t in tops], bar_middle=[t + BAR / 2 for t in tops]
    )
    base = alt.Chart(inline(placed))
    y, y2 = alt.Y("bar_top:Q", scale=scale, axis=None, title=None), alt.Y2("bar_bottom:Q")
    middle = alt.Y("bar_middle:Q", scale=scale, axis=None, title=None)
    heads = (
        alt.Chart(inline(text))
        .mark_text(align="left", baseline="top", lineBreak="\n", lineHeight=LINE)
        .encode(x=alt.XValue(0), y=alt.Y("y:Q", scale=scale, axis=None), text=alt.Text("text:N"))
    )
    return alt.layer(*marks(base, y, y2, middle), heads, height=height)


def observations_of(package: Package, indicators: list[str]) -> list[dict[str, Any]]:
    rows = [row for row in package.observations.values() if row["indicator_id"] in indicators]
    return sorted(rows, key=lambda row: indicators.index(row["indicator_id"]))


def say(lang: Lang, which: str, /, **params: Any) -> str:
    return messages.say(WORDING, which, lang, **params)


def column_heading(column: str, lang: Lang) -> str:
    """A chart's data column as its table view and tooltips head it."""
    if column not in catalogue(WORDING)["column"]:
        raise KeyError(f"chart data column {column!r} has no heading: add it to [column] in charts/wording.toml")
    return say(lang, f"column.{column}")


def measure(package: Package, row: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The columns every plotted observation carries: its unit of measure, and its value as every page states it."""
    indicator = package.table("indicators").by_key[row["indicator_id"]]
    return {"unit_of_measure": indicator[f"unit_{lang}"], "label": figure_text(package, row, lang)}
