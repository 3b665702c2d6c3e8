"""Every page of the built site in headless Chromium: nothing leaves loopback, no console error, charts drawn."""

from urllib.parse import urlparse

import pytest

from tests.site_support import page_paths

LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    page.requests, page.outside, page.errors = [], [], []

    def route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("requestfailed", lambda request: page.errors.append(f"failed: {request.url}"))
    yield page
    context.close()


def test_every_page_loads_offline_without_errors_and_draws_its_charts(page, built_site, site_url):
    paths = page_paths(built_site)
    assert len(paths) >= 25
    problems = []
    for path in paths:
        page.errors.clear()
        page.goto(site_url + path, wait_until="networkidle")
        if page.errors:
            problems.append((path, list(page.errors)))
        for chart in page.locator("figure.chart").all():
            box = chart.locator(".chart__static svg").bounding_box()
            marks = chart.locator(".chart__static svg g.role-mark").count()
            if not box or box["width"] < 200 or box["height"] < 60 or marks == 0:
                problems.append((path, f"chart {chart.get_attribute('id')} not drawn: {box}, {marks} marks"))
            if not chart.locator(".chart__summary").inner_text().strip():
                problems.append((path, "chart without summary"))
    assert problems == []
    assert page.outside == []
    assert not any("vega-bundle" in url for url in page.requests), "the Vega engine loaded without being asked"


def test_interactive_chart_loads_vega_from_the_site_only_when_asked(page, site_url):
    page.goto(site_url, wait_until="networkidle")
    assert not any("vega-bundle" in url for url in page.requests)
    button = page.locator("figure.chart .chart__toggle").first
    button.click()
    page.wait_for_selector("figure.chart .chart__interactive svg", timeout=20_000)
    assert button.get_attribute("aria-expanded") == "true"
    bundle = [url for url in page.requests if "vega-bundle" in url]
    assert bundle and urlparse(bundle[0]).hostname == "127.0.0.1"
    assert page.outside == [] and page.errors == []


def test_search_finds_the_development_and_reform_commission(page, site_url):
    page.goto(site_url, wait_until="networkidle")
    page.locator("label[for='__search']").first.click()
    search = page.locator("input[data-md-component='search-query']")
    search.fill("发改委")
    search.press("End")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert "发改委" in page.locator(".md-search-result").inner_text()


def test_narrative_figures_link_to_their_row(page, site_url):
    page.goto(site_url, wait_until="networkidle")
    figure = page.locator("a.fig", has_text="68").first
    href = figure.get_attribute("href")
    assert href.endswith("#row-city-sections-cut")
    assert "第7段" in figure.get_attribute("title")
    figure.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("tr#row-city-sections-cut").inner_text().count("68") >= 1
