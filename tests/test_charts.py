"""Charts: summaries and plotted data come from the packages; PNGs draw Chinese with a real CJK font."""

import io
import json

import altair as alt
import pandas as pd
import vl_convert

from scripts.data.model import load_package
from scripts.data.paths import DATASETS
from scripts.site.charts import CHARTS, FONT, build_chart
from scripts.site.publish import chart_files

PACKAGE = DATASETS / "huaibei-dakeshi-reform"


def _png(text: str) -> bytes:
    chart = alt.Chart(pd.DataFrame({"label": [text], "n": [1]})).mark_text(fontSize=40).encode(text="label:N")
    return vl_convert.vegalite_to_png(json.dumps(chart.configure(font=FONT).to_dict()))


def test_png_renders_chinese_glyphs_not_boxes():
    # Missing glyphs all draw as the same box, so two different Chinese words would give identical images.
    assert _png("市发改委") != _png("数据资源")


def test_every_chart_has_title_summary_source_and_plots_exactly_its_csv():
    package = load_package(PACKAGE)
    for name in CHARTS:
        for lang in ("zh", "en"):
            spec = build_chart(name, package, lang)
            assert spec.title and spec.summary and spec.source
            files = chart_files(spec, lang)
            plotted = pd.read_csv(io.BytesIO(files["csv"].content))
            assert list(plotted.columns) == list(spec.data.columns) and len(plotted) == len(spec.data)
            assert files["svg"].content.startswith(b"<svg") and files["png"].content.startswith(b"\x89PNG")
            assert "http" not in json.loads(files["vl"].content).get("data", {}).get("url", "")


def test_summaries_follow_the_data(workspace):
    workspace.replace("observations", "after-reform,22,", "after-reform,21,")
    package = load_package(workspace.package)
    assert "由29个减至21个" in build_chart("sections-before-after", package, "zh").summary
    assert "from 29 to 21" in build_chart("sections-before-after", package, "en").summary
