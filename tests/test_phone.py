"""Made for a phone: a first visit to any page stays within WEIGHT_BUDGET and fetches neither search index nor Vega;
tables read as cards below 600 px and chart text is at least 11 px; the page probe catches what it looks for."""

import os
import re

from scripts.bench.browser import PHONE, VEGA, WEIGHT_BUDGET, survey, transfer_size
from scripts.data.paths import ROOT
from tests.site_support import MIN_CHART_TEXT_PX, PAGE_PROBE, open_ready

SCREENSHOTS = ROOT / "test-results" / "screenshots"
SCREENSHOT_PAGES = ["", "slimming/", "departments/finance-bureau/"]


def _kib(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


def test_a_first_visit_to_any_page_counts_everything_it_downloads_and_stays_within_the_weight_budget(
    first_visits, built_site
):
    home = first_visits[""]
    fetched = {s.path for s in home.sent}
    for needed in ("/", "/assets/css/site.css", "/assets/js/charts.js", "/assets/js/search-on-demand.js"):
        assert needed in fetched, f"{needed} was not counted"
    for needed in ("/assets/javascripts/bundle.", "/assets/javascripts/workers/search.", "/assets/stylesheets/main."):
        assert any(p.startswith(needed) for p in fetched), f"{needed}… was not counted"
    page = built_site / "index.html"
    assert next(s.bytes for s in home.sent if s.path == "/") == transfer_size(page)
    assert transfer_size(page) < page.stat().st_size / 3, "text is counted gzip-compressed"
    assert all(s.status in (200, 301) for v in first_visits.values() for s in v.sent), "nothing is missing"
    over = {
        path: f"{_kib(v.weight)}: "
        + ", ".join(f"{s.path} {_kib(s.bytes)}" for s in sorted(v.sent, key=lambda s: -s.bytes)[:5])
        for path, v in first_visits.items()
        if v.weight > WEIGHT_BUDGET
    }
    assert over == {}, f"over the {_kib(WEIGHT_BUDGET)} budget"
    for asked_for in ("search_index.json", VEGA):
        early = [path for path, visit in first_visits.items() if visit.fetched(asked_for)]
        assert early == [], f"{asked_for} fetched before the reader asked"


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
    "heavy/": """<p>Fine text.</p><img src="photo.png" alt="">""",
}


def test_the_survey_catches_narrow_columns_sideways_pages_small_print_bad_chart_text_language_and_weight(tmp_path):
    for path, body in PLANTED.items():
        (tmp_path / path).mkdir()
        (tmp_path / path / "index.html").write_text(
            f'<!doctype html><html lang="{path[:2] if path.startswith("zh-") else "en"}"><meta charset="utf-8">'
            f"<title>{path}</title><body>{body}</body></html>",
            encoding="utf-8",
        )
    (tmp_path / "heavy" / "photo.png").write_bytes(os.urandom(WEIGHT_BUDGET + 1024))
    (tmp_path / "404.html").write_text("<!doctype html><title>404</title>", encoding="utf-8")
    visits = survey(tmp_path, list(PLANTED), probe=PAGE_PROBE)
    assert visits["heavy/"].fetched("/heavy/photo.png") and visits["heavy/"].weight > WEIGHT_BUDGET
    assert visits["fine/"].weight < WEIGHT_BUDGET
    found = {path: visit.probe["problems"] for path, visit in visits.items()}
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
