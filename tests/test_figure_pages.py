"""Every figure, change and milestone has a page of its own in both editions, and every number a reader taps on the
site leads to its figure's page."""

import html as html_module
import itertools
import posixpath
import re
from html.parser import HTMLParser

from scripts.data.model import load_package
from scripts.data.paths import DATASETS
from scripts.site.charts import CHARTS, build_chart
from scripts.site.pages.generated import RECORD_PAGES, record_key, record_page, record_table, unit_page, unit_records
from scripts.site.pages.render import page_url
from tests.conftest import PACKAGE
from tests.site_support import article_html, visible_text

NUMBER_LINKS = re.compile(
    r'<a class="(?:fig|key-figure)" href="([^"]+)"|<td class="num figure__value"><a href="([^"]+)"'
)


def test_every_figure_change_and_milestone_has_a_page_in_both_editions_with_its_evidence_and_citation(
    site_pages, published_url
):
    """…titled without nested parentheses, linked from its department's page (or the index), naming whose words."""
    package, quoted = load_package(DATASETS / PACKAGE), 0
    for table, (folder, key) in RECORD_PAGES.items():
        for row, lang in itertools.product(package.table(table).records, ("zh", "en")):
            path = page_url(record_page(table, row[key]), lang)
            text, speaker = visible_text(article_html(site_pages[path])), row.get(f"speaker_{lang}") or ""
            assert (speaker in text) if speaker else ("说话人" not in text), path
            line = re.search(r'<pre class="citation"><code>(.*?)</code>', site_pages[path])[1]
            assert speaker in html_module.unescape(line), path  # the one-line citation a reader copies
            quoted += bool(speaker)
            heading = html_module.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", site_pages[path], re.S)[1])
            assert not re.search(r"\([^)]*\(", heading), f"{path}: parentheses inside parentheses: {heading}"
            assert row["excerpt"] in text and f"{published_url}{path}" in text, path
            assert ("需要知道" if lang == "zh" else "What you should know") in text, path
            assert (row["excerpt_en"] in text) == (lang == "en"), path
            if row.get(f"scope_{lang}"):
                assert row[f"scope_{lang}"] in text, path
            if row.get("basis", "reported") != "reported":
                assert ("不是报道中的数字" if lang == "zh" else "not stated in the report") in text, path
            shown = page_url(unit_page(package, row["unit_id"]).split("#")[0], lang)  # its page, or the index
            assert f'{folder}/{row[key]}/"' in site_pages[shown], (path, "not linked")
    assert quoted >= 6


def test_every_number_a_reader_taps_opens_the_page_of_that_figure(site_pages):
    tapped = 0
    for path, html in site_pages.items():
        for link in NUMBER_LINKS.finditer(article_html(html)):
            href = link[1] or link[2]
            target = posixpath.normpath(path + href) + "/"  # relative to the page's folder
            assert re.fullmatch(r"(en/)?figures/[a-z0-9-]+/", target), f"{path}: {href}"
            figure = site_pages[target]
            value = re.search(r'<p class="figure-page__value">([^<]+)</p>', figure)[1]
            shown = re.sub(r"<[^>]+>", "", link.string[link.end() : link.string.index("</a>", link.end())])
            assert value in shown or shown.strip() in value, f"{path}: {shown!r} opens {target} of {value!r}"
            tapped += 1
    assert tapped > 100


def test_a_unit_with_one_record_is_a_row_of_the_departments_page_and_every_link_to_it_goes_there(site_pages):
    package = load_package(DATASETS / PACKAGE)
    folded = [u for u in package.table("units").by_key if len(unit_records(package, u)) == 1]
    assert folded and len(folded) < len(package.table("units").by_key)
    for lang in ("zh", "en"):
        index = site_pages[page_url("departments/index.md", lang)]
        for unit in folded:
            assert page_url(f"departments/{unit}.md", lang) not in site_pages, unit
            row = re.search(rf'<tr id="unit-{unit}">(.*?)</tr>', index, re.S)[1]
            ((table, record),) = unit_records(package, unit)
            assert f'{RECORD_PAGES[table][0]}/{record[RECORD_PAGES[table][1]]}/"' in row, unit
        for path, html in site_pages.items():
            if path.startswith("en/") == (lang == "en"):
                linked = set(re.findall(r'href="[^"]*departments/([a-z0-9-]+)/"', html))
                assert not linked & set(folded), (path, linked & set(folded))


class _Nesting(HTMLParser):
    """Block content opened inside an inline element (a void element stays open until its parent closes: harmless)."""

    INLINE = frozenset({"span", "a", "q", "small", "code", "abbr"})
    BLOCK = frozenset({"details", "div", "p", "ul", "table"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.BLOCK and self.INLINE & set(self.open):
            self.found.append(f"<{tag}> in <{'> <'.join(self.open[-3:])}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]


def test_no_page_opens_a_block_inside_an_inline_element(site_pages):
    """What the Nu HTML checker found 232 times (a row's cite box in a <span>), in the site's own markup."""
    found = {}
    for path, html in site_pages.items():
        parser = _Nesting()
        parser.feed(article_html(html))
        if parser.found:
            found[path] = parser.found[:3]
    assert found == {}


CARD = re.compile(r'<a class="key-figure" href="[^"]*figures/([a-z0-9-]+)/">(.*?)</a>', re.S)


def test_every_headline_card_carries_its_caveat_and_lists_put_the_city_first_and_name_whose_words(site_pages):
    """…beside each excerpt, as on its page and its headline card; narration names no one."""
    package = load_package(DATASETS / PACKAGE)
    rows = package.table("observations").by_key
    by_excerpt = {row["excerpt"]: row for t in ("observations", "changes") for row in package.table(t).records}
    cards = 0
    for path, html in site_pages.items():
        lang = "en" if path.startswith("en/") else "zh"
        for key, card in CARD.findall(html):
            caveat = visible_text(
                re.search(r'<span class="key-figure__caveat">((?:<span[^>]*>[^<]*</span>|[^<])*)</span>', card)[1]
            )
            note, basis = rows[key][f"note_{lang}"], rows[key]["basis"]
            if basis != "reported":
                assert ("本站" if lang == "zh" else "by us") in caveat, (path, key)
            elif note:
                assert caveat.endswith(re.split(r"(?<=。)|(?<=\.) ", note, maxsplit=1)[0]), (path, key, caveat)
            assert not rows[key]["speaker_zh"] or rows[key][f"speaker_{lang}"] in card, (path, key)  # whose words
            cards += 1
        # each card has its 纠错, titled with the card's value
        for card in html.split('<div class="key-card">')[1:]:
            report = re.search(r'<details class="report">.*?data-title="([^"]*)"', card, re.S)
            shown = re.search(r'<span class="key-figure__value">([^<]+)', card)[1]  # then a rounding mark, if any
            assert report and report[1].startswith(("纠错：", "Error report: ")) and shown in report[1], (path, shown)
        # in a list of figures, the city-wide ones come first, each with its note beside the number
        listed = re.findall(r'<tr>.*?href="[^"]*departments/([a-z-]+)/".*?</tr>', article_html(html), re.S)
        city = [unit == "huaibei-city" for unit in listed]
        assert city == sorted(city, reverse=True), path
        for cite in re.findall(r'<span class="cite">.*?</q>', html):
            excerpt = html_module.unescape(re.search(r'<q lang="zh-Hans">(.*?)</q>', cite)[1])
            speaker = (by_excerpt[excerpt][f"speaker_{lang}"] or "") if excerpt in by_excerpt else ""
            assert speaker in html_module.unescape(cite), (path, excerpt)
    assert cards >= 20
    row = re.search(r"<tr>(?:(?!</tr>).)*figures/city-sections-cut/.*?</tr>", site_pages["slimming/"], re.S)[0]
    assert row.index(rows["city-sections-cut"]["note_zh"]) < row.index("figure__source")


def test_a_record_that_a_chart_plots_shows_that_chart_on_its_page_and_no_other_does(site_pages):
    package = load_package(DATASETS / PACKAGE)
    plotted: dict[str, set[str]] = {}
    for name in CHARTS:
        for row in build_chart(name, package, "zh").rows:
            table = record_table(row)
            plotted.setdefault(page_url(record_page(table, record_key(table, row)), "zh"), set()).add(name)
    assert len(plotted) >= 8
    for path, html in site_pages.items():
        if re.match(r"(en/)?(figures|changes|milestones)/", path):
            shown = set(re.findall(r'<figure class="chart" id="chart-([a-z-]+)"', html))
            assert shown == plotted.get(path.removeprefix("en/"), set()), path
