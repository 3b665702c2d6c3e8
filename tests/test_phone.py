"""Made for a phone: tables read as cards below 600 px (on a desktop they stay tables: test_accessibility.py); chart
text is at least 11 px and inside its drawing at every width; the page probe (run by the shared survey on a sample of
each kind of page) catches what it looks for; screenshots of the main kinds of page at phone width, saved for review."""

import re

import pytest

from scripts.bench.browser import PHONE, survey
from scripts.data.paths import ROOT
from tests.site_support import CHART_TEXT, MIN_CHART_TEXT_PX, PAGE_PROBE, open_ready

SCREENSHOTS = ROOT / "test-results" / "screenshots"
SCREENSHOT_PAGES = ["", "slimming/", "departments/finance-bureau/"]
CHART_WIDTHS = [320, 360, 600, 1024, 1400]

SHOWN = """() => [...document.querySelectorAll("figure.chart")].map(
    c => [...c.querySelectorAll(".chart__static svg")].filter(s => s.getBoundingClientRect().width > 0).length)"""


def test_on_a_phone_every_row_of_every_data_table_is_a_card_and_chart_text_is_11_px_or_more(first_visits, site_pages):
    layouts = {path: visit.probe for path, visit in first_visits.items() if visit.probe["rows"]}
    listing = {
        path for path, html in site_pages.items() if re.search(r'<article.*<table class="data-table', html, re.S)
    }
    assert listing and set(layouts) == listing & set(first_visits), "every page visited that lists rows was measured"
    displays = {
        path: {r.split()[-1] for r in found["rows"]} | {t.split()[-1] for t in found["tables"]}
        for path, found in layouts.items()
    }
    assert {path: shown for path, shown in displays.items() if shown != {"flex", "block"}} == {}
    assert {path: found["wide"] for path, found in layouts.items() if found["wide"]} == {}
    sizes = {path + chart: size for path, v in first_visits.items() for chart, size in v.probe["chart_text"].items()}
    assert len(sizes) >= 8 and min(sizes.values()) >= MIN_CHART_TEXT_PX, sizes


@pytest.mark.parametrize("path", ["slimming/", "en/strengthening/", "en/course/"])
def test_chart_text_is_legible_and_inside_the_drawing_at_every_width(page, site_server, path):
    page.set_viewport_size({"width": CHART_WIDTHS[0], "height": 900})
    open_ready(page, site_server.url + path)
    for width in CHART_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found = page.evaluate(CHART_TEXT)
        assert found["problems"] == [], (width, found["problems"])
        assert found["sizes"] and min(found["sizes"].values()) >= MIN_CHART_TEXT_PX, (width, found["sizes"])
        assert set(page.evaluate(SHOWN)) == {1}, f"at {width} px each chart shows exactly one drawing"


PLANTED = {
    "fine/": """<p style="width: 20em">A paragraph of ordinary words, long enough to wrap over a few lines, whose last
        line is short: ok.</p><table lang="zh-Hans"><tr><td>市财政局</td><td>政府采购监督管理办公室人员配置</td></tr>
        </table>""",
    "unmarked-chinese/": """<p>Sections: 综合法规科 (General Legal Affairs), <span lang="zh-Hans">办公室</span></p>""",
    "zh-unmarked-english/": """<p>数据 <span lang="en">CC BY 4.0</span>；Major release: the meaning changes；下载 CSV
        </p>""",
    "narrow-column/": """<table style="width: 330px"><tr><td style="width: 1.2em">市财政局</td>
        <td>政府采购监督管理办公室人员配置，改革前二人，改革后五人，报道称此举进一步强化了政府采购监管职能</td></tr></table>""",
    "narrow-latin/": """<table style="width: 330px"><tr>
        <td style="width: 1em; word-break: break-all">observation_id</td>
        <td>A long second column that takes all the room of the table, as a squeezed table would.</td></tr>
        </table>""",
    "sideways/": """<p>Fine text.</p><div style="width: 600px">A block wider than the phone.</div>""",
    "small-tap-target/": """<p>Fine text, and <a class="report-link" href="#">纠错</a> as a bare link.</p>""",
    "small-print/": """<p>Fine text.</p><details><summary>Cite</summary><code style="font-size: 10px">Small print
        in a closed box</code></details>""",
    "tiny-chart-text/": """<figure class="chart" id="chart-planted"><figcaption><p class="chart__summary">s</p>
        </figcaption><div class="chart__static"><svg viewBox="0 0 900 300" width="900" height="300"
        style="width: 100%; height: auto"><g class="role-mark"><rect width="800" height="200"/></g>
        <text x="10" y="250" font-size="12">Drawn 900 px wide and shrunk to a phone</text></svg></div></figure>""",
    "clipped-chart-text/": """<figure class="chart" id="chart-planted"><figcaption><p class="chart__summary">s</p>
        </figcaption><div class="chart__static"><svg viewBox="0 0 300 200" width="300" height="200"
        style="max-width: 100%"><g class="role-mark"><rect width="200" height="100"/></g>
        <text x="250" y="150" font-size="14">A label running past the right edge</text></svg></div></figure>""",
}


def test_the_page_probe_catches_narrow_columns_sideways_pages_small_print_bad_chart_text_and_language(tmp_path):
    for path, body in PLANTED.items():
        (tmp_path / path).mkdir()
        (tmp_path / path / "index.html").write_text(
            f'<!doctype html><html lang="{path[:2] if path.startswith("zh-") else "en"}"><meta charset="utf-8">'
            f"<title>{path}</title><body>{body}</body></html>",
            encoding="utf-8",
        )
    (tmp_path / "404.html").write_text("<!doctype html><title>404</title>", encoding="utf-8")
    found = {path: visit.probe["problems"] for path, visit in survey(tmp_path, list(PLANTED), probe=PAGE_PROBE).items()}
    assert found["fine/"] == []
    assert any("fewer than 4 characters" in p and "市" in p for p in found["narrow-column/"]), found
    assert any("fewer than 4 characters" in p and "ob/" in p for p in found["narrow-latin/"]), found
    assert [p for p in found["sideways/"] if "scrolls sideways" in p], found
    assert [p for p in found["small-tap-target/"] if "tap target under 44×44 px" in p and "纠错" in p], found
    assert [p for p in found["small-print/"] if "under 12 px (10.0 px) in code: Small print" in p], found
    assert [p for p in found["tiny-chart-text/"] if "under 11 px" in p], found
    assert [p for p in found["clipped-chart-text/"] if "outside the chart" in p], found
    unmarked = "text in another language without lang in p: "
    assert found["unmarked-chinese/"] == [unmarked + "Sections: 综合法规科 (General Legal Affairs),"], found
    assert found["zh-unmarked-english/"] == [unmarked + "；Major release: the meaning changes；下载 C"], found


def test_screenshots_of_the_main_pages_at_phone_width_both_editions(page, site_server):
    """Saved for a person to look at (test-results/screenshots/, git-ignored): home, a strand and a department in
    both editions, full page at 360 px; and a strand at 1280 px."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, paths in ((PHONE["width"], SCREENSHOT_PAGES), (1280, SCREENSHOT_PAGES[1:2])):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths + [f"en/{path}" for path in paths]:
            open_ready(page, site_server.url + path)
            name = (path.strip("/").replace("/", "_") or "home") + f"-{width}.png"
            page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
            assert (SCREENSHOTS / name).stat().st_size > 10_000
            assert page.evaluate("document.scrollingElement.scrollWidth") <= width, path
