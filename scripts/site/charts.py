"""Charts of the reform's figures: each one a function of the model, with its plotted data, title and summary."""

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from scripts.data.dates import label
from scripts.data.model import Package
from scripts.data.numbers import Lang
from scripts.data.values import figure_text

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
# Each chart is drawn twice, and the page shows the drawing that fits (site.css, .chart__static), never enlarged:
# WIDE (the downloads too) where the chart's box is at least WIDE pixels, so it is drawn at its own size; NARROW
# below that, labels above their bars, at most shrunk to the 254 px of a 320 px phone, which keeps NARROW_FONT at
# 11 px or more. Both widths include labels and axes.
WIDE = 640
NARROW = 280
FONT_SIZE = 12
NARROW_FONT = 13
BAND = 34  # pixels per bar row of the wide drawing
LABEL_WIDTH = 300  # the widest a wrapped label of the wide drawing's y axis may be (pixels, as text_width estimates)
LABEL_LINE = 15  # pixels per line of such a label
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

    def vega_lite(self) -> dict[str, Any]:
        """The Vega-Lite specification, checked against Vega-Lite's schema (once per process for the same one)."""
        return json.loads(self._wide)

    def narrow_vega_lite(self) -> dict[str, Any]:
        """The phone drawing's Vega-Lite specification, checked like the wide one."""
        if self.narrow is None:
            raise ValueError(f"chart {self.name!r} has no narrow drawing")
        return json.loads(self._narrow)

    # Made once per chart: altair takes tens of milliseconds to turn a chart into its specification.
    @functools.cached_property
    def _wide(self) -> str:
        return _checked(self.chart)

    @functools.cached_property
    def _narrow(self) -> str:
        return _checked(self.narrow)


def _checked(chart: alt.TopLevelMixin) -> str:
    spec = chart.to_dict(validate=False)
    _check_schema(type(chart), json.dumps(_without_rows(spec), sort_keys=True))
    return json.dumps(spec, ensure_ascii=False)


def _without_rows(spec: Any) -> Any:
    """The specification with each inline dataset's rows left out, once checked to be what Vega-Lite's schema allows
    there (objects, numbers, strings or booleans): the schema allows nothing else of them, and checking the rest of the
    specification, which takes a fifth of a second, is then done once for charts that differ only in their data (in
    `make serve`, after most data edits)."""
    if isinstance(spec, list):
        return [_without_rows(item) for item in spec]
    if not isinstance(spec, dict):
        return spec
    kept = {key: _without_rows(value) for key, value in spec.items() if key not in ("data", "datasets")}
    if "data" in spec:
        data = spec["data"]
        kept["data"] = (
            {**data, "values": _no_rows(data["values"])} if isinstance(data, dict) and "values" in data else data
        )
    if "datasets" in spec:
        kept["datasets"] = {name: _no_rows(rows) for name, rows in spec["datasets"].items()}
    return kept


def _no_rows(rows: Any) -> Any:
    if not isinstance(rows, list):
        return rows  # inline CSV text, say: checked by the schema as it is
    if not all(isinstance(row, dict | str | int | float | bool) for row in rows):
        raise ValueError(f"inline data rows must be objects, numbers, strings or booleans: {rows[:3]!r}")
    return []


@functools.lru_cache(maxsize=256)
def _check_schema(kind: type, spec: str) -> None:
    kind.validate(json.loads(spec))  # raises jsonschema's ValidationError on a malformed specification


def _inline(data: pd.DataFrame) -> dict[str, Any]:
    """A chart's data as the values altair would make of the frame, made once: given the frame, altair converts it
    again for every layer each time the chart is turned into a specification."""
    return {"values": alt.utils.data.to_values(data)["values"]}


def _t(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


@functools.cache
def _config(size: int, lang: Lang) -> alt.Config:
    """The look of every chart, its text at this size in its language's fonts. Given with the other top-level
    properties in one step: each step copies the whole chart, layers and all, which made configuring it the slowest
    part of building a chart."""
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


Layout = Callable[[], tuple[alt.TopLevelMixin, alt.TopLevelMixin]]  # the wide chart and the phone drawing


def _spec(
    name: str,
    title: str,
    summary: str,
    package: Package,
    rows: list[dict[str, Any]],
    data: pd.DataFrame,
    lang: Lang,
    layout: Layout,
    band: int = BAND,
) -> ChartSpec:
    """The chart's specification, wide and narrow. The narrow drawing has no title: the page's caption says it."""
    source = source_line(package, rows, lang)
    chart, narrow = layout()
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


def stacked(labels: list[str], bars: list[int]) -> tuple[pd.DataFrame, list[float], float]:
    """The narrow layout: each label wrapped above its bars, top to bottom. Returns the labels (text with line breaks,
    and the y of their first line), the y of each bar's top, in order, and the drawing's height."""
    texts, tops, bar_tops, y = [], [], [], 0.0
    for heading, count in zip(labels, bars, strict=True):
        lines = wrap(heading, NARROW, NARROW_FONT)
        texts.append("\n".join(lines))
        tops.append(y)
        y += LINE * len(lines) + 2
        for _ in range(count):
            bar_tops.append(y)
            y += BAR + 2
        y += 10
    return pd.DataFrame({"text": texts, "y": tops}), bar_tops, y


Marks = Callable[[alt.Chart, alt.Y, alt.Y2, alt.Y], list[Any]]


def _room_for(values: "pd.Series[float]", labels: "pd.Series[str]", size: int, plot: float) -> alt.Scale:
    """A scale from zero that leaves room right of the longest bar for the value label at its end, in a plot at least
    `plot` pixels wide."""
    room = max(text_width(str(label), size) for label in labels) + 6
    return alt.Scale(domain=[0, float(values.max()) * plot / max(plot - room, plot / 3)])


def _narrow(data: pd.DataFrame, labels: list[str], marks: Marks) -> alt.LayerChart:
    """A narrow chart: each row's label (the same for the rows of a group) above the group's bars, which `marks` draws
    from the data given its chart and the `y` and `y2` of each bar's top and bottom and the `y` of its middle."""
    groups = list(dict.fromkeys(labels))
    order = sorted(range(len(labels)), key=lambda i: groups.index(labels[i]))  # a group's bars together
    text, tops, height = stacked(groups, [labels.count(group) for group in groups])
    scale = alt.Scale(domain=[0, height], reverse=True, nice=False, zero=False)
    placed = data.iloc[order].assign(
        bar_top=tops, bar_bottom=[t + BAR for t in tops], bar_middle=[t + BAR / 2 for t in tops]
    )
    base = alt.Chart(_inline(placed))
    y, y2 = alt.Y("bar_top:Q", scale=scale, axis=None, title=None), alt.Y2("bar_bottom:Q")
    middle = alt.Y("bar_middle:Q", scale=scale, axis=None, title=None)
    heads = (
        alt.Chart(_inline(text))
        .mark_text(align="left", baseline="top", lineBreak="\n", lineHeight=LINE)
        .encode(x=alt.XValue(0), y=alt.Y("y:Q", scale=scale, axis=None), text=alt.Text("text:N"))
    )
    return alt.layer(*marks(base, y, y2, middle), heads, height=height)


def source_line(package: Package, rows: list[dict[str, Any]], lang: Lang) -> str:
    """Which source and paragraphs the plotted rows come from."""
    sources = package.table("sources").by_key()
    parts = []
    for source_id in dict.fromkeys(row["source_id"] for row in rows):
        paras = sorted({int(row["locator"]) for row in rows if row["source_id"] == source_id})
        source, date = sources[source_id], str(sources[source_id]["published"])[:10]
        if lang == "zh":
            parts.append(f"{source['publisher_zh']}《{source['title_zh']}》（{date}）第{'、'.join(map(str, paras))}段")
        else:
            parts.append(
                f"{source['publisher_en']}, “{source['title_en']}” ({date}), "
                f"paragraph{'s' if len(paras) > 1 else ''} {', '.join(map(str, paras))}"
            )
    return "来源：" + "；".join(parts) if lang == "zh" else "Source: " + "; ".join(parts)


def _observations(package: Package, indicators: list[str]) -> list[dict[str, Any]]:
    rows = [row for row in package.observations.values() if row["indicator_id"] in indicators]
    return sorted(rows, key=lambda row: indicators.index(row["indicator_id"]))


def _largest_cuts(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Before/after rows of the MAX_BARS units with the largest cuts (in table order), and how many units are left."""
    stages: dict[str, dict[str, float]] = {}
    for row in rows:
        stages.setdefault(row["unit_id"], {})[row["period"]] = row["value"]
    if len(stages) <= MAX_BARS:
        return rows, 0
    cut = {unit: s.get("before-reform", 0) - s.get("after-reform", 0) for unit, s in stages.items()}
    keep = set(sorted(stages, key=lambda unit: -cut[unit])[:MAX_BARS])
    return [row for row in rows if row["unit_id"] in keep], len(stages) - MAX_BARS


def _more(lang: Lang, hidden: int, zh: str, en: str) -> str:
    """The sentence a summary ends with when the chart leaves rows out: they are in its data download."""
    if not hidden:
        return ""
    return _t(
        lang,
        f"另有{hidden}{zh}未在图中列出，见图表数据下载。",
        f" {hidden} more {en} are in the chart's data download.",
    )


def _measure(package: Package, row: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The columns every plotted observation carries: its unit of measure, and its value as every page states it."""
    indicator = package.table("indicators").by_key()[row["indicator_id"]]
    return {"unit_of_measure": indicator[f"unit_{lang}"], "label": figure_text(package, row, lang)}


def sections_before_after(package: Package, lang: Lang) -> ChartSpec:
    units = package.table("units").by_key()
    stage = {"before-reform": _t(lang, "改革前", "Before"), "after-reform": _t(lang, "改革后", "After")}
    rows = [
        row
        for row in _observations(package, ["internal_sections"])
        if units[row["unit_id"]]["unit_type"] != "city" and row["period"] in stage
    ]
    rows, hidden = _largest_cuts(rows)
    name = f"short_name_{lang}"
    data = pd.DataFrame(
        {
            "department": units[r["unit_id"]][name],
            "stage": stage[r["period"]],
            "sections": r["value"],
            **_measure(package, r, lang),
        }
        for r in rows
    )
    before, after = stage["before-reform"], stage["after-reform"]
    said = {(d, st): label for d, st, label in zip(data["department"], data["stage"], data["label"], strict=True)}
    clauses = [
        _t(
            lang,
            f"{unit}由{said[unit, before]}减至{said[unit, after]}",
            f"{unit} from {said[unit, before]} to {said[unit, after]}",
        )
        for unit in dict.fromkeys(data["department"])
        if (unit, before) in said and (unit, after) in said
    ]
    summary = _t(
        lang,
        "报道给出改革前后内设机构数的部门：" + "，".join(clauses) + "。",
        "Departments for which the report gives internal sections before and after the reform: "
        + "; ".join(clauses)
        + ".",
    ) + _more(lang, hidden, "个部门", "departments")
    title = _t(lang, "改革前后的内设机构数", "Internal sections before and after the reform")

    def layout() -> tuple[alt.TopLevelMixin, alt.TopLevelMixin]:
        axis_title = _t(lang, "内设机构数（个）", "Internal sections")
        x = alt.X("sections:Q", title=axis_title)
        color = alt.Color("stage:N", sort=[before, after], scale=alt.Scale(range=PALETTE[:2]), title=None)
        tooltip = [
            alt.Tooltip("department:N", title=_t(lang, "部门", "Department")),
            alt.Tooltip("stage:N", title=_t(lang, "阶段", "Stage")),
            alt.Tooltip("label:N", title=_t(lang, "内设机构数", "Internal sections")),
        ]
        chart = (
            alt.Chart(_inline(data))
            .mark_bar()
            .encode(
                y=alt.Y("department:N", title=None, sort=None),
                x=x,
                yOffset=alt.YOffset("stage:N", sort=[before, after]),
                color=color,
                tooltip=tooltip,
            )
        )

        def marks(base: alt.Chart, y: alt.Y, y2: alt.Y2, middle: alt.Y) -> list[Any]:
            room = alt.X(
                "sections:Q",
                title=axis_title,
                scale=_room_for(data["sections"], data["label"], NARROW_FONT, NARROW - 10),
            )
            bars = base.mark_rect().encode(x=room, x2=alt.X2Datum(0), y=y, y2=y2, color=color, tooltip=tooltip)
            return [bars, base.mark_text(align="left", dx=3).encode(x=room, y=middle, text=alt.Text("label:N"))]

        narrow = _narrow(data, list(data["department"]), marks)
        return chart, narrow

    return _spec("sections-before-after", title, summary, package, rows, data, lang, layout)


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


def central_soe_cooperation(package: Package, lang: Lang) -> ChartSpec:
    indicators = package.table("indicators").by_key()
    rows = _observations(package, CENTRAL_SOE)
    names = [indicators[r["indicator_id"]][f"name_{lang}"] for r in rows]
    data = pd.DataFrame(
        {"figure": part, "indicator": name, "percent_of_target": r["value"], **_measure(package, r, lang)}
        for part, name, r in zip(distinct_parts(names, lang), names, rows, strict=True)
    )
    years = "、".join(dict.fromkeys(label(r["period"], "year", lang) for r in rows))
    met = int((data["percent_of_target"] >= 100).sum())
    listed = _t(lang, "，", "; ").join(
        f"{part}{lb}" if lang == "zh" else f"{part} {lb}"
        for part, lb in zip(data["figure"], data["label"], strict=True)
    )
    summary = _t(
        lang,
        f"报道给出的{years}全市央地合作{len(data)}项指标中，{met}项达到或超过年度目标：{listed}。",
        f"Of the {len(data)} figures the report gives for central SOE–local cooperation in {years}, {met} met or "
        f"exceeded the annual target: {listed}.",
    )
    title = _t(
        lang,
        f"{years}央地合作：各项指标完成年度目标的百分比（100% = 完成目标）",
        f"Central SOE–local cooperation in {years}: percent of each annual target (100% = target met)",
    )

    def layout() -> tuple[alt.TopLevelMixin, alt.TopLevelMixin]:
        x = alt.X(
            "percent_of_target:Q",
            title=_t(lang, "完成年度目标的百分比（%）", "Percent of the annual target"),
            scale=_room_for(data["percent_of_target"], data["percent_of_target"], NARROW_FONT, NARROW - 10),
        )
        tooltip = [
            alt.Tooltip("indicator:N", title=_t(lang, "指标", "Indicator")),
            alt.Tooltip("label:N", title=_t(lang, "完成年度目标的百分比", "Percent of the annual target")),
        ]
        bars = (
            alt.Chart(_inline(data))
            .mark_bar(color=PALETTE[0])
            .encode(y=alt.Y("figure:N", title=None, sort=None), x=x, tooltip=tooltip)
        )
        labels = bars.mark_text(align="left", dx=4, color=TEXT).encode(text=alt.Text("percent_of_target:Q"))
        target = _inline(pd.DataFrame({"x": [100]}))
        rule = alt.Chart(target).mark_rule(color=PALETTE[1], strokeDash=[4, 3], size=2).encode(x=alt.X("x:Q"))

        def marks(base: alt.Chart, y: alt.Y, y2: alt.Y2, middle: alt.Y) -> list[Any]:
            drawn = base.mark_rect(color=PALETTE[0]).encode(x=x, x2=alt.X2Datum(0), y=y, y2=y2, tooltip=tooltip)
            values = base.mark_text(align="left", dx=3).encode(x=x, y=middle, text=alt.Text("percent_of_target:Q"))
            target = base.mark_rule(color=PALETTE[1], strokeDash=[4, 3], size=2, yOffset=-5, y2Offset=5).encode(
                x=alt.XDatum(100), y=y, y2=y2
            )
            return [drawn, target, values]  # the target line crosses each bar, not the labels above them

        narrow = _narrow(data, list(data["figure"]), marks)
        return alt.layer(bars, rule, labels), narrow

    return _spec("central-soe-cooperation", title, summary, package, rows, data, lang, layout)


def milestones(package: Package, lang: Lang) -> ChartSpec:
    units = package.table("units").by_key()
    every = package.table("milestones").records()
    # the launch and rollout always, and as many pilots as fit
    events = [r for r in every if r["event_type"] != "pilot"]
    pilots_shown = [r for r in every if r["event_type"] == "pilot"][: max(MAX_BARS - len(events), 0)]
    shown = {id(r) for r in events + pilots_shown}
    rows = [r for r in every if id(r) in shown]
    data = pd.DataFrame(
        {
            "event": f"{units[r['unit_id']][f'short_name_{lang}']}：{r[f'event_{lang}']}"
            if lang == "zh"
            else f"{units[r['unit_id']][f'short_name_{lang}']}: {r[f'event_{lang}']}",
            "date": label(r["date"], r["precision"], lang),
            "start": r["start_date"],
            "end": r["end_date"],
        }
        for r in rows
    )
    by_type = {r["event_type"]: r for r in every}
    pilots = sum(r["event_type"] == "pilot" for r in every)
    launch, rollout = (label(by_type[k]["date"], by_type[k]["precision"], lang) for k in ("launch", "rollout"))
    summary = _t(
        lang,
        f"改革于{launch}启动，首批{pilots}家单位试点，{rollout}结合机构改革全面推进。",
        f"The reform was launched in {launch} with a first batch of {pilots} pilot units, and was advanced across "
        f"the board in {rollout}, in combination with the institutional reform.",
    ) + _more(lang, len(every) - len(rows), "个时间节点", "milestones")
    title = _t(lang, "改革时间线", "Timeline of the reform")
    lines = {event: wrap(event, LABEL_WIDTH, FONT_SIZE) for event in data["event"]}
    band = max(BAND, LABEL_LINE * max(map(len, lines.values()), default=1) + 4)

    def layout() -> tuple[alt.TopLevelMixin, alt.TopLevelMixin]:
        tooltip = [
            alt.Tooltip("event:N", title=_t(lang, "事件", "Event")),
            alt.Tooltip("date:N", title=_t(lang, "时间", "Date")),
        ]
        chart = (
            alt.Chart(_inline(data))
            .mark_bar(color=PALETTE[0], height=14, cornerRadius=2)
            .encode(
                y=alt.Y("event:N", title=None, sort=None, axis=_wrapped(lines)),
                x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y-%m", tickCount=6), scale=alt.Scale(type="utc")),
                x2=alt.X2("end:T"),
                tooltip=tooltip,
            )
        )

        def marks(base: alt.Chart, y: alt.Y, y2: alt.Y2, middle: alt.Y) -> list[Any]:
            x = alt.X("start:T", title=None, axis=alt.Axis(format="%Y-%m", tickCount=3), scale=alt.Scale(type="utc"))
            end = alt.X2("end:T")
            return [base.mark_rect(color=PALETTE[0], cornerRadius=2).encode(x=x, x2=end, y=y, y2=y2, tooltip=tooltip)]

        said = [f"{date} · {event}" for date, event in zip(data["date"], data["event"], strict=True)]
        narrow = _narrow(data, said, marks)
        return chart, narrow

    return _spec("milestones", title, summary, package, rows, data, lang, layout, band)


def _wrapped(lines: dict[str, list[str]]) -> alt.Axis:
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


CHARTS: dict[str, Callable[[Package, Lang], ChartSpec]] = {
    "sections-before-after": sections_before_after,
    "central-soe-cooperation": central_soe_cooperation,
    "milestones": milestones,
}


def build_chart(name: str, package: Package, lang: Lang) -> ChartSpec:
    if name not in CHARTS:
        raise KeyError(f"unknown chart {name!r}; known charts: {', '.join(CHARTS)}")
    return CHARTS[name](package, lang)
