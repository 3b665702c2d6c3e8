"""The built site in headless Chromium: nothing leaves loopback, no console error, charts drawn, named, legible and
with their data as tables, nothing clipped at any width; every link and file a page's markup names exists."""

import csv
import posixpath
import re
from urllib.parse import parse_qs, unquote, urlparse, urlsplit

import pytest
from playwright.sync_api import expect

from scripts.bench.browser import VEGA
from scripts.site.charts import CHARTS
from scripts.site.charts.common import column_heading
from tests.site_support import CHART_TEXT, MIN_CHART_TEXT_PX, open_ready


def test_every_page_loads_offline_without_errors_draws_its_charts_and_clips_nothing_at_768_or_1280_px(first_visits):
    assert len(first_visits) >= 25
    problems = {path: [*visit.errors, *visit.probe["problems"]] for path, visit in first_visits.items()}
    assert {path: found for path, found in problems.items() if found} == {}, "errors, or what the probe found"
    assert [url for visit in first_visits.values() for url in visit.outside] == [], "requests that would leave"
    assert {width for visit in first_visits.values() for width in visit.wider} == {768, 1280}
    wider = {  # a data table of the data section may scroll in its own box; nothing else may
        (path, width): [
            *probe["problems"],
            *(f"a {kind} table wider than its column" for kind in probe["wide"] if kind != "rows"),
        ]
        for path, visit in first_visits.items()
        for width, probe in visit.wider.items()
    }
    assert {key: found for key, found in wider.items() if found} == {}, "sideways scrolling or clipping when wider"


ATTRIBUTE = re.compile(r'<(\w+)\b[^>]*?\s(src|href)="([^"]*)"')


def test_every_link_and_file_of_every_page_is_in_the_site_and_nothing_loads_from_outside(built_site, published_url):
    missing, outside = set(), set()
    for html in built_site.rglob("*.html"):
        folder = html.parent.relative_to(built_site).as_posix()
        for tag, _, value in ATTRIBUTE.findall(html.read_text(encoding="utf-8")):
            url = urlparse(value.replace("&amp;", "&"))
            if url.scheme in ("mailto", "data") or (not url.path and not url.netloc):
                continue
            if url.netloc and not value.startswith(published_url):
                if tag != "a":
                    outside.add((html.name, value))  # a reader's link to a report may leave; a file loaded may not
                continue
            base = urlparse(published_url).path  # an address from the site's root: the 404 page's, served anywhere
            path = url.path.removeprefix(base) if url.path.startswith("/") else posixpath.join(folder, url.path)
            target = built_site / posixpath.normpath(unquote(path)).lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.add((html.relative_to(built_site).as_posix(), value))
    assert sorted(outside) == []
    assert sorted(missing) == []


SHOWN_TEXT = """(svgs) => svgs.filter(s => s.getBoundingClientRect().width)
    .flatMap(s => [...s.querySelectorAll("text")].map(t => t.textContent.trim())).filter(Boolean).sort()"""
DRAWINGS_SHOWN = """() => [...document.querySelectorAll("figure.chart")].map(
    c => [...c.querySelectorAll(".chart__static svg")].filter(s => s.getBoundingClientRect().width > 0).length)"""


@pytest.mark.parametrize(("edition", "width"), [("", 360), ("en/", 1280)])
def test_charts_are_named_legible_at_every_width_and_their_interactive_form_keeps_every_label_of_the_static_one(
    page, site_url, built_site, edition, width
):
    """…and loads from the site, when asked; every chart once in each edition, opened at a phone's or a desktop's."""
    page.set_viewport_size({"width": width, "height": 900})
    shown = set()
    for path in (edition, f"{edition}course/", f"{edition}strengthening/"):  # bars, timeline, percentages of target
        open_ready(page, site_url + path)
        assert path != edition or not any(VEGA in url for url in page.requests)
        figures = page.locator("figure.chart").all()
        for figure in figures:  # named by its title, described by its summary, its CSV its table in the page's language
            summary = figure.locator(".chart__summary").inner_text()
            expect(figure).to_have_accessible_name(figure.locator(".chart__title").inner_text())
            expect(figure).to_have_accessible_description(summary)
            expect(figure.locator(".chart__static")).to_have_accessible_name(re.compile(re.escape(summary)))
            link = figure.locator(".chart__downloads a[href$='.csv']").get_attribute("href")
            rows = list(csv.reader((built_site / path / link).resolve().read_text(encoding="utf-8").splitlines()))
            table = figure.locator(".chart__data table")
            headings = [column_heading(c, edition.strip("/") or "zh") for c in rows[0]]
            assert table.locator("thead th").all_text_contents() == headings, link
            assert table.locator("tbody tr").count() == len(rows) - 1, link
            shown.add(figure.get_attribute("id"))
        for wide in (320, 360, 600, 1024, 1400):  # its text at least 11 px, inside the drawing, one drawing shown
            page.set_viewport_size({"width": wide, "height": 900})
            found = page.evaluate(CHART_TEXT)
            assert found["problems"] == [], (path, wide, found["problems"])
            assert found["sizes"] and min(found["sizes"].values()) >= MIN_CHART_TEXT_PX, (path, wide, found["sizes"])
            assert set(page.evaluate(DRAWINGS_SHOWN)) == {1}, f"{path} at {wide} px: not exactly one drawing shown"
        page.set_viewport_size({"width": width, "height": 900})
        static = [figure.locator(".chart__static svg").evaluate_all(SHOWN_TEXT) for figure in figures]
        for figure in figures:
            figure.locator(".chart__toggle").click()
        for figure in figures:  # (wait_for_function would need eval, which the policy bars)
            figure.locator(".chart__interactive svg").wait_for(timeout=20_000)
            toggle = figure.locator(".chart__toggle")
            expect(toggle).to_have_attribute("aria-expanded", "true")
            expect(toggle).to_have_text("Back to the static chart" if edition else "返回静态图表")  # what it does next
        drawn = [figure.locator(".chart__interactive svg").evaluate_all(SHOWN_TEXT) for figure in figures]
        assert figures and all(labels for labels in static)
        assert drawn == static, f"{path}: the interactive chart shows every value, date and name the static one does"
    assert shown == {f"chart-{name}" for name in CHARTS}
    bundle = [url for url in page.requests if VEGA in url]
    assert bundle and urlparse(bundle[0]).hostname == "127.0.0.1"
    assert page.outside == [] and page.errors == []


def test_a_journalist_taps_the_headline_number_copies_its_citation_and_reports_an_error(
    page, site_url, site_pages, published_url
):
    """Home → the 68 card → the figure's own page, its caveat under the value → one tap copies a citation to paste.
    纠错 opens on the page: what to add, fields for evidence and the reader's organisation, the message as it will be
    sent, a copy button, and a mail link that carries what the reader typed."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    open_ready(page, site_url)
    page.locator("a.key-figure", has_text="68").first.click()
    page.wait_for_url(site_url + "figures/city-sections-cut/")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".figure-page__value")).to_have_text("68个")
    expect(page.locator(".figure-page__know")).to_contain_text("范围：精简了内设机构的29家市直部门")
    expect(page.locator(".figure-page__excerpt")).to_contain_text("全市29家市直部门精简了68个内设机构")
    citation = page.locator(".figure-page__cite > pre.citation")
    page.locator(".figure-page__cite > .copy-button").click()
    pasted = page.evaluate("navigator.clipboard.readText()")
    assert pasted == citation.text_content()
    assert "淮北新闻网" in pasted and "第7段" in pasted and f"{published_url}figures/city-sections-cut/" in pasted
    running = re.search(r'<a class="fig" href="([^"]*)" title="([^"]*)">68', site_pages["slimming/"])
    assert running[1].endswith("figures/city-sections-cut/") and "第7段" in running[2]  # the number in running text
    panel = page.locator("details.report")
    panel.locator("summary").click()
    fields = panel.locator(".report__fields")
    fields.locator("textarea").first.fill("应为69个；见《报告》第3页")
    fields.locator("input").fill("某局办公室")
    message = fields.locator("textarea[readonly]").input_value()
    assert message.startswith("纠错：") and "68个" in message.split("\n")[0]
    assert "应为69个；见《报告》第3页" in message and "报告人单位：某局办公室" in message
    query = parse_qs(urlsplit(panel.locator("a.report-link").get_attribute("href")).query)
    assert query["subject"] == [message.split("\n")[0]] and "某局办公室" in query["body"][0]
    assert query["body"][0].replace("\r\n", "\n") == message.split("\n\n", 1)[1]
    panel.locator(".copy-button").click()
    expect(panel.locator(".copy-button")).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == message
    assert page.outside == [] and page.errors == []
    open_ready(page, site_url + "en/slimming/")  # a chart's panel has one too, in English
    page.locator("figure.chart .tabbed-labels label").nth(2).click()
    chart = page.locator("figure.chart .chart__sources details.report").first
    chart.locator("summary").click()
    assert chart.locator(".report__fields textarea[readonly]").input_value().startswith("Error report: chart “")


def test_every_page_has_its_twin_in_the_other_edition_and_a_reader_switches_both_ways_and_searches(
    page, site_pages, site_url
):
    english = {p.removeprefix("en/") for p in site_pages if p.startswith("en/")}
    assert {p for p in site_pages if not p.startswith("en/")} == english
    for path, html in site_pages.items():  # every page says its language
        assert f'<html lang="{"en" if path.startswith("en/") else "zh"}"' in html, path
    open_ready(page, site_url)  # on a phone, the search is behind its button
    page.locator("label[for='__search']").first.click()
    search = page.locator("input[data-md-component='search-query']")
    search.fill("发改委")
    search.press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    assert "发改委" in page.locator(".md-search-result").inner_text(), "search finds the commission"
    assert any("search_index.json" in url for url in page.requests), "the search index loads when a reader searches"
    page.set_viewport_size({"width": 1280, "height": 900})
    for start, language, expected in (("slimming/", "en", "en/slimming/"), ("en/data/", "zh", "data/")):
        open_ready(page, site_url + start)
        page.locator(".md-header__option .md-select").hover()
        page.locator(f"a.md-select__link[hreflang='{language}']").click()
        page.wait_for_url(site_url + expected, timeout=10_000)
    assert page.errors == [] and page.outside == []


def test_a_missing_page_says_so_in_the_editions_language_with_the_way_home(built_site, published_url):
    chinese = (built_site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in chinese and "<h1>找不到这个页面</h1>" in chinese and "Not found" not in chinese
    assert f'<a href="{published_url}">回到首页</a>' in chinese and f'<a href="{published_url}en/">' in chinese
    english = (built_site / "en" / "404.html").read_text(encoding="utf-8")
    assert "<h1>Page not found</h1>" in english and f'<a href="{published_url}en/">Go to the home page</a>' in english
