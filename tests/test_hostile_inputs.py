"""Hostile input: markup, Markdown, template code and spreadsheet formulas planted in every text field are shown
as text and never run (malformed files: test_validation_errors.py).

The payloads are planted in one copy of the package (with a restating report's statements), built once. The browser
parses every page with scripts off for what a payload grew, and opens with scripts on the pages showing planted text.
"""

import io
import json
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import expect

from scripts.bench.browser import Visit, page_paths, serve, survey
from scripts.data.model import load_package
from scripts.data.paths import DATASETS
from scripts.site.charts import CHARTS
from scripts.site.outputs.downloads import xlsx
from tests.site_support import build_site, open_ready, restate

PACKAGE = "huaibei-dakeshi-reform"
MARK = "window.__hostile"  # every script payload calls this; the page records any call

PAYLOADS = {
    "script": f"<script>{MARK}('script')</script>",
    "img-onerror": f'"><img src=x onerror="{MARK}(\'img\')">',
    "script-close": f"</script><script>{MARK}('close')</script>",
    "title-close": f"</title><script>{MARK}('title')</script>",
    "svg-onload": f"<svg onload={MARK}('svg')>",
    "alert": "<img src=x onerror=alert(1)><iframe src=javascript:alert(2)></iframe>",
    "attribute-break": f"' onmouseover='{MARK}(1)' x='",
    "javascript-url": f"javascript:{MARK}('url')",
    "markdown-emphasis": "*bold* _em_ **strong** ~~del~~",
    "markdown-table": "|a|b|",
    "markdown-link": f"[link](javascript:{MARK}('md'))",
    "markdown-image": "![x](https://example.invalid/x.png)",
    "markdown-autolink": "<https://example.invalid/> www.example.invalid",
    "backticks": "`code` ``two``",
    "html-comment": "<!-- unclosed comment",
    "attr-list": f"{{: onclick=\"{MARK}('attr_list')\" }}",
    "markdown-block": "# heading\n- item\n> quote\n1. first",
    "jinja": "{{ 7*7 }}{% if true %}x{% endif %}{#jinja c jinja#}",
    "entities": "&lt;b&gt; &amp;amp; &#60; &copy",
    "formula-equals": "=cmd|' /C calc'!A0",
    "formula-plus": "+1+1",
    "formula-minus": "-1+1",
    "formula-at": "@SUM(1,1)",
    "math": r"$x^2$ \(y\) \*no\*",
    "emoji-and-punctuation": "😀 “引号”「括号」＆％ — ",
    "block-token": "zzblock00000izz zzblock00001bzz",
    "long": "很长的名称" * 300 + "END",
}

FORMULAS = ("formula-equals", "formula-plus", "formula-minus", "formula-at")
# fields the charts select rows by, codes, and the glossary's terms the English texts are held to
FIXED = {"indicators": {"unit_en", "unit_zh"}, "change-sections": {"section_zh"}}
FIXED["glossary"] = {"term_zh", "variants_zh", "term_en", "avoid_en"}
PROVENANCE = {"source_id", "locator", "excerpt", "speaker_zh", "speaker_en"}
CORRECTED = "city-sections-cut"  # the row the planted changelog says its newest release corrects
CORRECTION_TEXT = PAYLOADS["script"] + " " + PAYLOADS["markdown-link"]
OFFICE = "establishment-office"
OFFICE_PILOT = "pilot-establishment-office"  # the office's one record


@dataclass(frozen=True)
class Planted:
    field: str  # table.field, or a label in the descriptor
    payload: str  # a key of PAYLOADS
    value: str  # the planted text, as a reader must see it
    places: tuple[tuple[str, str], ...]  # (page, selector) where it must show as typed


def text_fields(resource: dict) -> list[str]:
    """String fields that hold prose: no pattern, no enum, not provenance, not a key."""
    keys = set(resource["schema"]["primaryKey"])
    keys |= {name for fk in resource["schema"].get("foreignKeys", []) for name in fk["fields"]}
    return [
        f["name"]
        for f in resource["schema"]["fields"]
        if f["type"] == "string"
        and not {"pattern", "enum"} & set(f.get("constraints", {}))
        and f["name"] not in PROVENANCE | keys | FIXED.get(resource["name"], set())
    ]


def plant(package: Path) -> list[Planted]:
    """Put a payload in front of the text of every prose field of every table and of the descriptor, and a correction
    whose text is a payload in the newest release of the changelog."""
    path, data = package / "datapackage.json", f"data/{PACKAGE}/"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    names = list(PAYLOADS)
    planted: list[Planted] = []

    def next_payload(in_table: bool = False) -> str:
        name = names[len(planted) % len(names)]
        # validation refuses table text that starts like a formula (see MISTAKES); the descriptor still carries them
        return names[(names.index(name) + len(FORMULAS)) % len(names)] if in_table and name in FORMULAS else name

    for resource in descriptor["resources"]:
        frame = pd.read_csv(package / resource["path"], dtype=str, keep_default_na=False)
        for field in text_fields(resource) if len(frame) else []:  # a table with no rows yet has no text to plant
            name = next_payload(in_table=True)
            frame[field] = PAYLOADS[name] + frame[field]
            page = data + resource["name"] + "/"
            planted.append(
                Planted(f"{resource['name']}.{field}", name, frame[field][0], ((page, "td"), ("en/" + page, "td")))
            )
        frame.to_csv(package / resource["path"], index=False, lineterminator="\n")

    def text(holder: dict, key: str, label: str, page: str, selector: str, both: bool = False) -> None:
        name = next_payload()
        holder[key] = PAYLOADS[name] + holder[key]
        editions = ("", "en/") if both else ("en/" if key.endswith("_en") else "",)
        planted.append(Planted(label, name, holder[key], tuple((e + data + page, selector) for e in editions)))

    texts = {"title": "h1", "title_en": "h1", "description": "article p", "description_en": "article p"}
    for key, selector in texts.items():
        text(descriptor, key, key, "", selector)
    for key in ("licenses", "sources"):  # shown in a list in both editions
        text(descriptor[key][0], "title", f"{key}[0].title", "", "dd a, dd", both=True)
    for key in ("title", "title_en"):  # the contributor, in each edition's language
        text(descriptor["contributors"][0], key, f"contributors[0].{key}", "", "dd")
    descriptor["keywords"][0] = PAYLOADS["script"] + descriptor["keywords"][0]
    for resource in descriptor["resources"]:
        name = resource["name"]
        for key, selector in texts.items():
            text(resource, key, f"{name}.{key}", name + "/", selector)
        for field in resource["schema"]["fields"][:2]:
            for key in ("description", "description_en"):
                text(field, key, f"{name}.{field['name']}.{key}", name + "/", "td")
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    lines = (package / "CHANGELOG.md").read_text(encoding="utf-8").split("\n")
    following = [i for i, line in enumerate(lines) if line.startswith("## ")][1]  # the release before the newest
    correction = ["### 更正 · Corrections", "", f"- `observations/{CORRECTED}`: {CORRECTION_TEXT}", ""]
    (package / "CHANGELOG.md").write_text("\n".join(lines[:following] + correction + lines[following:]), "utf-8")
    return planted


# ---- the site built from the planted package ---------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    site: Path
    url: str
    package: Path
    planted: list[Planted]

    def cell(self, table: str, key: str, field: str) -> str:
        """The planted text of one cell, as the CSV holds it."""
        path = self.package / "data" / f"{table}.csv"
        return pd.read_csv(path, dtype=str, keep_default_na=False, index_col=0).at[key, field]

    def descriptor(self) -> dict:
        return json.loads((self.package / "datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(DATASETS, root / "datasets")
    restate(root / "datasets" / PACKAGE, root / "sources")  # statements, whose rank reasons are planted too
    planted = plant(root / "datasets" / PACKAGE)
    assert "statements.rank_reason_zh" in {p.field for p in planted}
    with serve(root / "site") as server:
        result = build_site(root / "site", root / "datasets", root / "sources", SITE_URL=server.url)
        assert result.returncode == 0, result.stdout + result.stderr
        yield Hostile(root / "site", server.url, root / "datasets" / PACKAGE, planted)


INIT = f"""
window.__calls = [];
window.__violations = [];
{MARK} = (what) => window.__calls.push(String(what));
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""

INJECTED = """(given) => {
  const found = [], doc = given || document;
  for (const el of doc.querySelectorAll("*")) {
    for (const a of el.attributes) if (a.name.startsWith("on")) found.push(el.tagName + "[" + a.name + "]");
    const href = el.getAttribute("href") || el.getAttribute("src") || "";
    if (/^\\s*javascript:/i.test(href)) found.push(el.tagName + " " + href);
  }
  const grown = 'img[src="x"], iframe, object, embed, img[alt="x"], a[href^="https://example.invalid"]';
  for (const el of doc.querySelectorAll(grown)) found.push(el.outerHTML.slice(0, 80));
  for (const el of doc.scripts)
    if (!el.type.endsWith("json") && /__hostile|alert\\(/.test(el.text)) found.push(el.outerHTML.slice(0, 80));
  // what Markdown would have made of the payloads
  const made = {EM: ["bold", "em"], STRONG: ["strong"], DEL: ["del"], CODE: ["code", "two"], A: ["link"],
                LI: ["item", "first"], BLOCKQUOTE: ["quote"], H1: ["heading"], TD: ["a", "b"]};
  for (const [tag, texts] of Object.entries(made))
    for (const el of doc.getElementsByTagName(tag))
      if (texts.includes(el.textContent.trim())) found.push(tag + " " + el.textContent);
  return found;
}"""

PROBE = f"""(targets) => ({{
  calls: window.__calls,
  violations: window.__violations,
  injected: ({INJECTED})(),
  shown: targets.map(([selector, text]) => [...document.querySelectorAll(selector)].some(
    (el) => el.textContent.replace(/¶$/, "") === text && el.checkVisibility())),
  heading: document.querySelector("article h1")?.textContent.replace(/¶$/, ""),
  title: document.title,
  topic: [...document.querySelectorAll('[data-md-component="header-topic"] .md-ellipsis')].at(-1)?.textContent,
}})"""


def quoted(hostile: Hostile) -> list[tuple[str, str, str]]:
    """(page, selector, text) outside the package's pages where planted names show: headings, a narrative's prose."""
    zh, en = (hostile.cell("units", OFFICE, f"short_name_{lang}") for lang in ("zh", "en"))
    event = [hostile.cell("milestones", OFFICE_PILOT, f"event_{lang}") for lang in ("zh", "en")]
    summaries = [hostile.cell("strands", "slimming", f"summary_{lang}") for lang in ("zh", "en")]
    return [  # the office has one record in the data: its milestone's page, and its row of the departments' page
        (f"milestones/{OFFICE_PILOT}/", "article h1", f"{event[0]}（{zh}）"),
        (f"en/milestones/{OFFICE_PILOT}/", "article h1", f"{event[1]} ({en})"),
        ("departments/", f"#unit-{OFFICE} td.unit__short", zh),
        ("slimming/", "article p", summaries[0] + "。"),
        ("en/slimming/", "article p", summaries[1] + "."),
    ]


def one_of_each_kind(paths: list[str]) -> set[str]:
    """The home page, each page of its own, and one page of each folder of pages, in either language."""
    kinds: dict[str, str] = {}
    for path in paths:
        parts = path.removeprefix("en/").split("/")
        kinds.setdefault(parts[0] + "/*" if len(parts) > 2 else path.removeprefix("en/"), path)
    return set(kinds.values())


@pytest.fixture(scope="module")
def visits(hostile: Hostile) -> dict[str, Visit]:
    """The pages where planted text shows and one page of each other kind, opened (several at a time) with the marks
    of anything that runs; probe["shown"] says, for each place a planted text must show on the page, whether it does."""
    targets: dict[str, list[tuple[str, str]]] = {}
    for path, selector, text in [(*place, p.value) for p in hostile.planted for place in p.places] + quoted(hostile):
        targets.setdefault(path, []).append((selector, text))
    paths = sorted(set(targets) | one_of_each_kind(page_paths(hostile.site)))
    found = survey(
        hostile.site,
        paths,
        viewport={"width": 1280, "height": 900},
        probe=PROBE,
        init_script=INIT,
        probe_argument=lambda path: targets.get(path, []),
    )
    for path, visit in found.items():
        visit.probe["shown"] = dict(zip(targets.get(path, []), visit.probe["shown"], strict=True))
    return found


def inert(visit: Visit) -> dict:
    """What ran or grew on a visited page (nothing, on every page)."""
    found = {key: visit.probe[key] for key in ("calls", "violations", "injected") if visit.probe[key]}
    return found | {key: getattr(visit, key) for key in ("errors", "outside") if getattr(visit, key)}


# ---- payloads are shown as typed and never run ---------------------------------------------------------------------


def test_no_page_of_the_planted_site_grows_an_element_or_attribute_from_a_payload(hostile, browser):
    """Every page as the browser's HTML parser reads it with scripts off (DOMParser: nothing runs or loads), in
    batches, so that the check is quick."""
    page, paths, grown = browser.new_page(), page_paths(hostile.site), {}
    parse = f"(pages) => pages.map((html) => ({INJECTED})(new DOMParser().parseFromString(html, 'text/html')))"
    for start in range(0, len(paths), 20):
        batch = paths[start : start + 20]
        pages = [(hostile.site / path / "index.html").read_text(encoding="utf-8") for path in batch]
        grown |= dict(zip(batch, page.evaluate(parse, pages), strict=True))
    page.close()
    assert len(grown) >= 50
    assert {path: found for path, found in grown.items() if found} == {}


def test_no_page_opened_with_its_scripts_runs_or_grows_anything(hostile, visits):
    kinds = {path.removeprefix("en/").split("/")[0] for path in page_paths(hostile.site)}
    assert {path.removeprefix("en/").split("/")[0] for path in visits} == kinds  # every kind of page was opened
    assert {path: inert(visit) for path, visit in visits.items() if inert(visit)} == {}


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_payload_is_shown_as_typed(payload, hostile, visits):
    planted = [p for p in hostile.planted if p.payload == payload]
    assert planted, f"{payload} was planted nowhere"
    for p in planted:
        for path, selector in p.places:
            assert visits[path].probe["shown"][(selector, p.value)], f"{p.field} not shown as typed on {path}"


def test_data_in_markdown_headings_titles_and_prose_is_shown_as_typed(hostile, visits):
    """Headings are Markdown: a name with * | [ < or a backtick must neither format nor break them."""
    for path, selector, text in quoted(hostile):
        assert visits[path].probe["shown"][(selector, text)], path
    names = [(path, text) for path, selector, text in quoted(hostile) if selector == "article h1"]
    for path, expected in [*names, (f"data/{PACKAGE}/", hostile.descriptor()["title"])]:
        probe = visits[path].probe
        assert probe["heading"] == expected, path
        assert " ".join(probe["title"].split()).startswith(" ".join(expected.split()) + " - "), probe["title"]
        assert " ".join(probe["topic"].split()) == " ".join(expected.split())
    for path, lang in (("slimming/", "zh"), ("en/slimming/", "en")):  # narrative pages quote the data
        assert visits[path].probe["heading"].startswith(hostile.cell("strands", "slimming", f"name_{lang}")), path


@pytest.mark.parametrize("payload", FORMULAS)
def test_xlsx_cells_that_start_like_a_formula_stay_text(payload):
    """Validation refuses such text in a table; the XLSX download would still keep it text (defence in depth)."""
    table = load_package(DATASETS / PACKAGE).table("units")
    frame = table.frame.assign(name_en=PAYLOADS[payload] + table.frame["name_en"])
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx(replace(table, frame=frame)))).active
    column = [c.value for c in sheet[1]].index("name_en")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert cells and all(c.data_type == "s" and c.quotePrefix and c.value.startswith(PAYLOADS[payload]) for c in cells)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"], "a formula cell"


def test_search_a_chart_tooltip_and_the_corrections_show_planted_text_as_typed_and_run_nothing(hostile, page):
    page.add_init_script(INIT)
    page.on("dialog", lambda dialog: page.errors.append(dialog.message) or dialog.dismiss())

    def assert_inert() -> None:
        assert page.evaluate("window.__calls") == [] and page.evaluate(INJECTED) == []
        assert page.evaluate("window.__violations") == [], "Content-Security-Policy violations"
        assert page.errors == [] and page.outside == []

    open_ready(page, hostile.url)  # search, on a phone (the page fixture's)
    page.locator("label[for='__search']").first.click()
    page.locator("input[data-md-component='search-query']").fill("市委编办")
    page.locator("input[data-md-component='search-query']").press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    text = page.locator(".md-search-result").text_content().replace("\u200b", "")
    assert hostile.cell("units", OFFICE, "short_name_zh") in text
    assert_inert()
    page.set_viewport_size({"width": 1280, "height": 900})
    open_ready(page, hostile.url + "strengthening/")  # an interactive chart's tooltip
    warnings = []
    page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    toggle = page.locator("figure.chart .chart__toggle").first
    # the Vega bundle and the spec load and Vega draws, slow on a busy machine, so the end (the button says it opened,
    # or that it failed) is awaited rather than timed
    toggle.focus()
    page.keyboard.press("Enter")
    settled = "(b) => b.getAttribute('aria-expanded') === 'true' || /未能|not load/.test(b.textContent)"
    try:
        page.wait_for_function(settled, arg=toggle.element_handle(), timeout=60_000)
    except Exception:
        state = (
            "(b) => [b.textContent, b.getAttribute('aria-busy'), typeof window.vegaEmbed, document.activeElement === b]"
        )
        raise AssertionError((page.evaluate(state, toggle.element_handle()), warnings, page.errors)) from None
    assert toggle.get_attribute("aria-expanded") == "true", (toggle.text_content(), warnings)
    page.locator("figure.chart .chart__interactive svg path[role='graphics-symbol']").first.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5_000)
    name = next(p for p in hostile.planted if p.field == "indicators.name_zh")
    assert PAYLOADS[name.payload] in tooltip.text_content()
    assert tooltip.evaluate("(e) => getComputedStyle(e).position") == "fixed"  # its style comes from site.css
    assert_inert()
    for lang in ("", "en/"):  # a release's corrections, and the link to the corrected row
        open_ready(page, f"{hostile.url}{lang}data/{PACKAGE}/")
        item = page.locator("ul.corrections > li")
        assert item.count() == 1 and item.inner_text().endswith(CORRECTION_TEXT)
        assert item.locator("a").inner_text() == f"observations/{CORRECTED}"
        item.locator("a").click()
        expect(page).to_have_url(re.compile(f"#row-{CORRECTED}$"))  # these two wait for the page to settle
        expect(page.locator(f"#row-{CORRECTED}")).to_be_visible()
        assert_inert()


def test_json_in_script_blocks_holds_planted_text_without_breaking_out(hostile):
    """A payload's </script> would end the block early: what it holds would not parse, or not be the title."""
    for path, key in ((f"data/{PACKAGE}/", "title"), (f"en/data/{PACKAGE}/", "title_en")):
        html = (hostile.site / path / "index.html").read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script', html, re.S | re.I)
        assert len(blocks) == 1 and json.loads(blocks[0])["name"] == hostile.descriptor()[key]


def test_static_svg_charts_are_well_formed_and_hold_planted_text_as_text(hostile):
    from xml.etree import ElementTree as ET

    short_name = hostile.cell("units", OFFICE, "short_name_zh")
    drawn = [*hostile.site.glob("assets/charts/*.svg"), *hostile.site.glob("en/assets/charts/*.svg")]
    charts = sorted(path for path in drawn if not path.name.endswith(".qr.svg"))  # QR codes hold no data text
    assert len(charts) == 2 * len(CHARTS)
    texts = []
    for chart in charts:
        root = ET.fromstring(chart.read_bytes())  # an unescaped < or & would not parse
        for element in root.iter():
            assert element.tag.rsplit("}", 1)[-1] not in {"script", "foreignObject"}, chart.name
            assert not [a for a in element.attrib if a.lower().startswith("on")], chart.name
            texts.append("".join(element.itertext()) if element.tag.endswith("text") else "")
    assert any(t.startswith(short_name.split("\n")[0][:8]) for t in texts)
