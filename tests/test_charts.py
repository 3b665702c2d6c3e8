"""Charts: summaries and plotted data come from the packages; PNGs draw Chinese with a real CJK font."""

import io
import json
import re
from typing import Any

import altair as alt
import pandas as pd
import pytest
import vl_convert

from scripts.data.model import load_package
from scripts.data.paths import DATASETS
from scripts.site.charts import CHARTS, build_chart
from scripts.site.charts.common import FONTS, ChartSpec
from scripts.site.charts.files import chart_files

PACKAGE = DATASETS / "huaibei-dakeshi-reform"


def test_png_renders_chinese_glyphs_not_boxes():
    drawn = []
    for text in ("市发改委", "数据资源"):  # missing glyphs all draw as the same box: two words, one image
        chart = alt.Chart(pd.DataFrame({"label": [text]})).mark_text(fontSize=40).encode(text="label:N")
        drawn.append(vl_convert.vegalite_to_png(json.dumps(chart.configure(font=FONTS["zh"]).to_dict())))
    assert drawn[0] != drawn[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_is_drawn_whole_in_its_languages_font_and_plots_exactly_its_csv(name, lang):
    spec = build_chart(name, load_package(PACKAGE), lang)
    assert spec.title and spec.summary and spec.source
    files = chart_files(spec, lang)
    plotted = pd.read_csv(io.BytesIO(files["csv"].content))
    assert list(plotted.columns) == list(spec.data.columns) and len(plotted) == len(spec.data)
    assert files["png"].content.startswith(b"\x89PNG")
    assert "http" not in json.loads(files["vl"].content).get("data", {}).get("url", "")
    svg = files["svg"].content.decode()
    # A CJK font draws Latin quotes and apostrophes full width; site.css puts Latin fonts first on English pages too.
    first = {"zh": "Noto Sans CJK SC", "en": "Liberation Sans"}[lang]
    families = set(re.findall(r'font-family="([^"]*)"', svg))
    assert svg.startswith("<svg") and families and all(f.startswith(f"&quot;{first}&quot;") for f in families)
    if lang == "en":  # all its text is in the Latin font
        assert not re.findall(r"[\u2e80-\uffff]", "".join(re.findall(r">([^<]+)</text>", svg)))
    # Vega shortens a label longer than its limit to an ellipsis: the timeline's events are wrapped onto lines instead
    drawn = " ".join(re.findall(r">([^<>]+)<", svg))
    assert "…" not in drawn
    for column in ("event", "department", "figure"):
        for label in spec.data.get(column, []):
            assert all(word in drawn for word in label.split()), label


def test_summaries_and_plotted_values_follow_the_data(workspace):
    def plotted() -> list[float]:
        spec = build_chart("sections-before-after", load_package(workspace.package), "en")
        return [row["sections"] for row in spec.vega_lite()["datasets"].popitem()[1]]

    assert 9 in plotted()
    workspace.set("observations", "water-sections-after", "value", "8")
    package = load_package(workspace.package)
    assert "由12个减至8个" in build_chart("sections-before-after", package, "zh").summary
    assert "from 12 sections to 8 sections" in build_chart("sections-before-after", package, "en").summary
    assert 8 in plotted() and 9 not in plotted()


def _fields(spec: Any, kind: str) -> set[str]:
    """Fields of an encoding type anywhere in a Vega-Lite spec."""
    if isinstance(spec, list):
        return set().union(*(_fields(item, kind) for item in spec)) if spec else set()
    if not isinstance(spec, dict):
        return set()
    found = {spec["field"]} if spec.get("type") == kind and isinstance(spec.get("field"), str) else set()
    return found.union(*(_fields(value, kind) for value in spec.values()))


def mixed_measures(spec: ChartSpec) -> str | None:
    """Why a chart mixes measures on one scale, or None: the rows it plots share one unit of measure."""
    plotted = _fields(spec.vega_lite(), "quantitative") & set(spec.data.columns)
    if plotted and "unit_of_measure" not in spec.data.columns:
        return f"{spec.name} plots {', '.join(sorted(plotted))} without saying its unit of measure"
    units = sorted(spec.data.get("unit_of_measure", pd.Series()).unique())
    return f"{spec.name} plots {', '.join(units)} on one scale" if plotted and len(units) > 1 else None


def test_every_chart_shows_one_measure_on_one_scale_and_one_that_mixes_them_or_is_malformed_is_caught():
    package = load_package(PACKAGE)
    for lang in ("zh", "en"):
        assert [mixed_measures(build_chart(name, package, lang)) for name in CHARTS] == [None] * len(CHARTS)
    data = pd.DataFrame({"indicator": ["a", "b", "c"], "value": [1, 2, 3], "unit_of_measure": ["day", "trip", "day"]})
    chart = alt.Chart(data).mark_bar().encode(y="indicator:N", x="value:Q")
    assert mixed_measures(ChartSpec("mixed", "t", "s", "src", data, chart)) == "mixed plots day, trip on one scale"
    assert mixed_measures(ChartSpec("one", "t", "s", "src", data.assign(unit_of_measure="day"), chart)) is None
    unlabelled = ChartSpec("bare", "t", "s", "src", data.drop(columns="unit_of_measure"), chart)
    assert "without saying its unit of measure" in mixed_measures(unlabelled)
    malformed = alt.Chart(data).mark_bar().encode(x=alt.X("value", type="nonsense"), y="indicator:N")
    with pytest.raises(Exception, match="nonsense"):
        ChartSpec("malformed", "t", "s", "src", data, malformed).vega_lite()


def test_the_cooperation_chart_plots_only_cooperation_and_labels_and_tooltips_state_an_estimate_as_one():
    package = load_package(PACKAGE)
    for lang in ("zh", "en"):
        spec = build_chart("central-soe-cooperation", package, lang)
        unit = package.table("indicators").by_key["central_soe_signing_completion"][f"unit_{lang}"]
        assert len(spec.data) == 4 and set(spec.data["unit_of_measure"]) == {unit}
        assert not any("充电桩" in t or "charging" in t for t in spec.data["indicator"]), "only central SOEs"
    assert "Central SOE–local cooperation in 2024" in spec.title and "4 met or exceeded" in spec.summary
    package.observations["drc-sections-before"].update(basis="estimated", lower=28.0, upper=30.0)  # as if rounded
    for lang, marker in (("zh", "估算值，范围28–30"), ("en", "estimate, range 28–30")):
        spec = build_chart("sections-before-after", package, lang)
        labels = list(spec.data["label"])
        assert any(marker in label for label in labels), labels
        assert marker in spec.summary
        drawn = spec.vega_lite()
        tooltips = [part["encoding"].get("tooltip") for part in drawn.get("layer", [drawn]) if "encoding" in part]
        assert '"label"' in json.dumps(tooltips) and '"sections"' not in json.dumps(tooltips)
