"""Cite, share and correct (issue #12): the chart panel without JavaScript and from the keyboard, the citations and
their permalinks, the error report links, the QR codes, the embed pages and the changelog's corrections."""

import html
import json
import re
import struct
import subprocess
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
import vl_convert
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from playwright.sync_api import expect

from scripts.bench.browser import PHONE, run_axe
from scripts.data.changelog import check_changelog
from scripts.data.model import load_package
from scripts.data.paths import DATASETS, sources_dir
from scripts.site.charts import CHARTS, build_chart
from scripts.site.charts.common import text_width
from scripts.site.charts.files import PNG_SCALE, SHARE_PADDING, SHARE_TEXT, chart_files, share_files, share_svg
from scripts.site.glue.configuration import edition_for
from scripts.site.outputs.citation import citations
from scripts.site.outputs.share import corrections
from scripts.site.prepare import prepare
from tests.conftest import PACKAGE
from tests.site_support import open_ready, tab_to

VIEWS = ["chart", "table", "sources", "download", "cite", "share"]


def _text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: its text, tags left out, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _view_content(panel, view: str) -> None:
    """Each view shows what it promises."""
    block = panel.locator(f".tabbed-content > .tabbed-block:nth-child({VIEWS.index(view) + 1})")
    expect(block).to_be_visible()
    for other in VIEWS:
        if other != view:
            expect(panel.locator(f".tabbed-content > .tabbed-block:nth-child({VIEWS.index(other) + 1})")).to_be_hidden()
    shown = {"chart": ".chart__static svg >> visible=true", "table": "table tbody tr", "sources": "li q"}
    shown |= {"download": "a[href$='.vl.json']", "cite": "pre", "share": "img.qr"}
    expect(block.locator(shown[view]).first).to_be_visible()
    if view == "chart":
        expect(block.locator(shown[view])).to_have_count(1)
    for ending in (".svg", ".png", ".csv") if view == "download" else ():
        expect(block.locator(f"a[href$='{ending}']")).to_be_visible()
    said = {"download": "pd.read_csv(", "cite": "[DS/OL]", "share": "<iframe"}
    if view in said:
        expect(block.locator("pre").first).to_contain_text(said[view])


@pytest.mark.parametrize("path", ["strengthening/", "en/strengthening/"])
def test_every_view_of_the_chart_panel_opens_without_javascript(browser, site_server, path):
    page = browser.new_page(viewport=PHONE, java_script_enabled=False)  # its own context, closed with it
    page.goto(site_server.url + path)
    panels = page.locator("figure.chart .chart-panel")
    assert panels.count() >= 1
    for index in range(panels.count()):
        panel = panels.nth(index)
        labels = panel.locator(".tabbed-labels > label")
        assert labels.count() == len(VIEWS)
        _view_content(panel, "chart")
        for view in VIEWS[1:] + VIEWS[:1]:
            labels.nth(VIEWS.index(view)).click()
            _view_content(panel, view)
    page.close()


MARKED = """(e) => { const s = getComputedStyle(e);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }"""  # a focus ring


def test_from_the_keyboard_the_interactive_chart_opens_every_view_shows_and_a_citation_is_copied(page, site_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server.url.rstrip("/"))
    open_ready(page, site_server.url + "en/strengthening/")
    row = page.locator("details.row-cite").first
    assert row.locator(".copy-button").count() == 0, "a row's buttons are made when it is opened"
    tab_to(page, "figure.chart .chart__toggle")
    assert page.locator(":focus").evaluate(MARKED)
    button = page.locator("figure.chart .chart__toggle").first
    expect(button).to_have_text("Interactive chart")
    page.keyboard.press("Enter")
    page.wait_for_selector("figure.chart .chart__interactive svg", timeout=20_000)
    assert button.get_attribute("aria-expanded") == "true"
    expect(button).to_have_text("Back to the static chart")  # the button says what it will do next
    assert page.evaluate("document.activeElement.matches('.chart__toggle')"), "the button keeps the focus"
    assert page.locator("figure.chart .chart__static").first.is_hidden()
    assert run_axe(page, "figure.chart") == []
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_text("Interactive chart")
    assert page.locator("figure.chart .chart__static").first.is_visible()
    page.keyboard.press("Shift+Tab")  # back to the panel's views (a radio group: one stop, arrows move)
    assert page.evaluate("document.activeElement.matches('figure.chart .chart-panel > input:checked')")
    panel = page.locator("figure.chart .chart-panel").first
    for view in VIEWS[1:]:
        page.keyboard.press("ArrowRight")
        _view_content(panel, view)
        assert panel.locator(".tabbed-labels > label").nth(VIEWS.index(view)).evaluate(MARKED), "the view is marked"
        if view == "table":  # a table that scrolls sideways can be scrolled from the keyboard
            tab_to(page, "figure.chart .chart__data .md-typeset__scrollwrap")
            assert page.locator(":focus").evaluate(MARKED)
            page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # into the share view: its link, then on
    assert page.evaluate("!!document.activeElement.closest('.chart__share')")
    row.locator("summary").focus()
    page.keyboard.press("Enter")
    button = row.locator(".copy-button").first
    expect(button).to_have_text("Copy", timeout=15_000)
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == row.locator(".citation").first.text_content()


def test_every_citation_names_the_version_and_its_permalink_resolves_to_the_row(site_pages, published_url):
    package = load_package(DATASETS / PACKAGE)
    cited_rows: dict[str, set[str]] = {"observations": set(), "changes": set(), "milestones": set()}
    checked = 0
    for path, page in site_pages.items():
        for block in re.findall(
            r'<details class="row-cite">(.*?)</details>|<div class="tabbed-block chart__cite">(.*?)</div>', page, re.S
        ):
            pattern = r'<pre class="citation"><code>(.*?)</code></pre>|<code class="citation">(.*?)</code>'
            for found in re.findall(pattern, "".join(block), re.S):
                text = html.unescape("".join(found))
                assert package.version in text, (path, text)
                addresses = re.findall(re.escape(published_url) + r"[^\s}]*[^\s}.]", text)
                assert addresses, (path, text)
                for address in addresses:
                    target, _, fragment = address.removeprefix(published_url).partition("#")
                    assert f'id="{fragment}"' in site_pages.get(target, ""), (path, address)
                    kind = re.match(r"(?:en/)?data/[^/]+/([^/]+)/", address.removeprefix(published_url))
                    if kind and kind[1] in cited_rows:
                        cited_rows[kind[1]].add(fragment.removeprefix("row-"))
                checked += 1
    assert checked > 0
    for table, cited in cited_rows.items():
        assert set(package.table(table).by_key) <= cited, f"{table} rows without a citation"


def test_every_report_link_carries_its_rows_id_and_value_as_shown(site_pages):
    package = load_package(DATASETS / PACKAGE)
    reported: set[str] = set()
    for path, page in site_pages.items():
        rows = re.findall(r"<tr[^>]*>(?:(?!</tr>).)*report-link(?:(?!</tr>).)*</tr>", page, re.S)
        rows += re.findall(r'<li id="change-[^"]*">(?:(?!</li>).)*report-link(?:(?!</li>).)*</li>', page, re.S)
        for row in rows:
            href, key = re.search(r'<a class="md-button report-link" href="([^"]*)" data-row="([^"]*)"', row).groups()
            query = parse_qs(urlsplit(html.unescape(href)).query)  # an e-mail: the configuration gives an address
            subject, body = query["subject"][0], query["body"][0]
            assert html.unescape(key) in body and html.unescape(key) not in subject, (path, subject)
            value = re.search(r"(?:页面所示数值：|Value as shown: )([^\r\n]*)", body)[1]
            assert subject.startswith(("纠错：", "Error report: ")) and value in subject, (path, subject)
            shown = _text(re.sub(r'<details class="(?:row-cite|report)">.*?</details>', "", row, flags=re.S))
            assert value in shown, (path, value, shown)
            figure = re.search(r'<td class="num">(.*?)</td>', row, re.S)
            if figure:  # a figure's value is the one its value cell shows
                assert value == _text(figure[1]).strip(), (path, value)
            assert f"{package.name} {package.version}" in body, body
            reported.add(html.unescape(key))
    for table in ("observations", "changes", "milestones"):
        assert set(package.table(table).by_key) <= reported, f"{table} rows without a report link"


def test_every_qr_code_decodes_to_its_pages_address(built_site, site_pages, published_url, tmp_path):
    svgs, expected = [], []
    for path, page in site_pages.items():
        found = re.findall(r'<details class="page-share">.*?<img class="qr" src="([^"]*)"', page, re.S)
        if path.startswith(("embed/", "en/embed/")):
            assert found == [], "an embed page shows the chart alone"
            continue
        assert len(found) == 1, path
        svgs.append((built_site / path / found[0]).resolve().read_text(encoding="utf-8"))
        expected.append(published_url + path)
        for image in re.findall(r'<img class="qr" src="([^"]*)" data-address="([^"]*)"', page):
            svgs.append((built_site / path / image[0]).resolve().read_text(encoding="utf-8"))
            expected.append(html.unescape(image[1]))
    for lang in ("", "en/"):
        for name in CHARTS:
            svgs.append((built_site / lang / "assets" / "charts" / f"{name}.qr.svg").read_text(encoding="utf-8"))
            expected.append(f"{published_url}{lang}embed/{name}/")
    assert any("embed/" in address for address in expected) and any("/en/" in address for address in expected)
    files = [tmp_path / f"{index}.png" for index in range(len(svgs))]
    for file, svg in zip(files, svgs, strict=True):
        file.write_bytes(vl_convert.svg_to_png(svg, scale=3))
    # QR symbols only: zbar otherwise now and then reads a QR code's modules as a linear barcode
    command = ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", *map(str, files)]
    result = subprocess.run(command, capture_output=True, check=False)
    assert result.returncode == 0 and result.stdout.decode("utf-8").split("\n")[: len(svgs)] == expected, result.stderr


def test_every_embed_page_loads_alone_with_its_chart_and_no_site_navigation(built_site, site_pages):
    embeds = [p for p in site_pages if p.startswith(("embed/", "en/embed/"))]
    assert sorted(embeds) == sorted(f"{lang}embed/{name}/" for lang in ("", "en/") for name in CHARTS)
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc["location"] for doc in index["docs"] if "embed/" in doc["location"]], "search leaves embeds out"
    for path in embeds:
        page = site_pages[path]
        for navigation in ("<nav", "md-header", "md-sidebar", "md-tabs", "md-footer", "md-search"):
            assert navigation not in page, (path, navigation)
        assert page.count('class="chart__static"') == 1 and 'class="chart__source"' in page
        back = re.search(r'<p class="chart__back"><a href="([^"]*)"', page)[1]
        target, _, fragment = back.partition("#")
        file = (built_site / path / target / "index.html").resolve()
        assert f'id="{fragment}"' in file.read_text(encoding="utf-8"), (path, back)
        assert page.count("<h1") == 1


def test_every_chart_offers_a_share_image_and_an_iframe_of_its_embed_page(built_site, site_pages, published_url):
    for lang in ("", "en/"):
        page = site_pages[lang + "strengthening/"]
        for name in re.findall(r'<figure class="chart" id="chart-([^"]+)"', page):
            share = re.search(
                r'<div class="tabbed-block chart__share">(.*?)</div>', page[page.index(f'id="chart-{name}"') :], re.S
            )[1]
            assert html.escape(f'<iframe src="{published_url}{lang}embed/{name}/"', quote=False) in share
            image = re.search(r'<a href="([^"]*\.share\.png)" download>', share)[1]
            shown = re.findall(r'<a href="([^"]*)">(https?://[^<]*)</a>', share)
            assert shown and all(href == text for href, text in shown), "a link shown as an address goes to it"
            assert (built_site / lang / "strengthening" / image).resolve().read_bytes().startswith(b"\x89PNG")


def test_a_corrections_contact_that_is_neither_an_address_nor_a_template_is_refused_and_fails_the_build():
    assert corrections("jiucuo@example.org").link("t", "b").startswith("mailto:jiucuo@example.org?subject=t&body=b")
    assert corrections("https://tracker.example.org/new?t={title}&b={body}").link("a b", "c").endswith("t=a%20b&b=c")
    for bad in ("", None, "jiucuo", "https://tracker.example.org/new", "https://x.example.org/{user}", "mailto:"):
        with pytest.raises(ValueError, match=r"extra\.corrections"):
            corrections(bad)
    config = load_config(str(DATASETS.parent / "mkdocs.yml"))
    config.extra["corrections"] = "write to us"
    with pytest.raises(PluginError, match=r"extra\.corrections"):
        edition_for(config, "zh", "http://127.0.0.1:8000/", prepare(DATASETS, sources_dir()), {})


CORRECTION = "- `observations/drc-sections-after`: 数值由 5 改为 6（经核对原文）/ the value changes from 5 to 6"


@pytest.mark.parametrize(
    ("lines", "wrong"),
    [
        ("### 更正\n\n" + CORRECTION, "### 更正"),  # another sub-heading
        ("### 更正 · Corrections\n\n- drc-sections-after: changed", "- drc-sections-after: changed"),  # no `table/id`
        ("### 更正 · Corrections\n\n- `observations/x`", "- `observations/x`"),  # nothing said about it
    ],
    ids=["other-sub-heading", "row-not-named", "nothing-said"],
)
def test_a_malformed_corrections_list_is_a_clear_validation_error(workspace, lines, wrong):
    changelog = workspace.package / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    at = [heading.start() for heading in re.finditer(r"^## ", text, re.M)][1]  # the newest release's end
    changelog.write_text(text[:at] + lines + "\n\n" + text[at:], encoding="utf-8")
    version = json.loads((workspace.package / "datapackage.json").read_text(encoding="utf-8"))["version"]
    (problem,) = check_changelog(workspace.package, version)
    expected = "changelog-other-sub-heading" if wrong.startswith("###") else "changelog-correction-without-row"
    assert problem.code == expected and problem.params["line"] == wrong and problem.file.endswith("CHANGELOG.md")
    assert problem.row == changelog.read_text(encoding="utf-8").splitlines().index(wrong) + 1
    if wrong.startswith("###"):  # and `validate` says so (once: it takes a few seconds)
        result = workspace.validate()
        assert result.returncode == 1 and "更正 · Corrections" in result.stdout


def test_a_share_image_is_the_chart_with_its_whole_source_line_and_the_address_under_it():
    package = load_package(DATASETS / PACKAGE)
    address = "https://example.org/huaibei/"
    for lang in ("zh", "en"):
        spec = build_chart("central-soe-cooperation", package, lang)
        chart = chart_files(spec, lang)["svg"].content.decode()
        frame = ElementTree.fromstring(share_svg(chart, spec.source, address, lang))
        drawn = frame.find("{http://www.w3.org/2000/svg}g")
        original = ElementTree.fromstring(chart)
        assert drawn is not None and drawn.get("transform") == f"translate({SHARE_PADDING},{SHARE_PADDING})"
        assert [ElementTree.tostring(e) for e in drawn] == [ElementTree.tostring(e) for e in original]
        lines = [t.text or "" for t in frame.findall("{http://www.w3.org/2000/svg}text")]
        assert lines[-1] == address
        assert re.sub(r"\s", "", "".join(lines[:-1])) == re.sub(r"\s", "", spec.source)  # nothing cut off
        assert all(text_width(line, SHARE_TEXT) <= float(original.get("width", 0)) for line in lines)
        png = share_files(spec, lang, address, chart.encode())["share"].content
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == (float(frame.get("width", 0)) * PNG_SCALE, float(frame.get("height", 0)) * PNG_SCALE)
    # the chart's marks are moved into the frame as they are: a drawing scaled by its view box would come out wrong
    scaled = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 200 100"><rect/></svg>'
    with pytest.raises(ValueError, match="not a drawn chart"):
        share_svg(scaled, "a source", "https://example.org/", "en")
    same = scaled.replace('viewBox="0 0 200 100"', 'viewBox="0 0 100 50"')
    assert '<g transform="translate(16,16)"><rect/></g>' in share_svg(same, "a source", "https://example.org/", "en")


def test_english_citations_name_the_contributor_in_english_and_only_gbt_marks_the_report_n_ol():
    package = load_package(DATASETS / PACKAGE)
    english = dict(citations(package, "https://data.example.org/", "en", item="A figure", url="https://x.example/"))
    contributor = package.descriptor["contributors"][0]
    for style, text in english.items():
        assert contributor["title_en"] in text and contributor["title"] not in text, style
        assert ("[N/OL]" in text) == (style == "GB/T 7714-2015"), style
    chinese = dict(citations(package, "https://data.example.org/", "zh"))
    assert contributor["title"] in chinese["APA"] and "[N/OL]" not in chinese["BibTeX"]
