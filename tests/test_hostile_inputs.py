"""Hostile input: markup, Markdown, template code and spreadsheet formulas planted in every text field are shown
as text and never run; malformed files are refused with a message in Chinese and English that names the file, row
and field; a failed build never touches the published site.

The payloads are planted in one copy of the package, which is built once for this module (about 25 s).
"""

import csv
import dataclasses
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from scripts.bench.browser import leaves, page_paths, survey
from scripts.data.messages import Text
from scripts.site.charts import CHARTS
from tests.problem_support import ANY, find_problem, validation_problems
from tests.site_support import build_site, serve

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
FIXED = {  # fields the charts select rows by, codes, and the glossary's terms the English texts are held to
    ("indicators", "unit_en"),
    ("indicators", "unit_zh"),
    ("change-sections", "section_zh"),
    ("glossary", "term_zh"),
    ("glossary", "variants_zh"),
    ("glossary", "term_en"),
    ("glossary", "avoid_en"),
}
PROVENANCE = {"source_id", "locator", "excerpt"}


@dataclass(frozen=True)
class Planted:
    table: str  # a resource name, or "datapackage.json"
    field: str
    payload: str  # a key of PAYLOADS
    value: str  # the planted text, as a reader must see it


def _text_fields(resource: dict) -> list[str]:
    """String fields that hold prose: no pattern, no enum, not provenance, not a key."""
    keys = set(resource["schema"]["primaryKey"])
    keys |= {name for fk in resource["schema"].get("foreignKeys", []) for name in fk["fields"]}
    return [
        f["name"]
        for f in resource["schema"]["fields"]
        if f["type"] == "string"
        and not {"pattern", "enum"} & set(f.get("constraints", {}))
        and f["name"] not in PROVENANCE | keys
        and (resource["name"], f["name"]) not in FIXED
    ]


def plant(package: Path) -> list[Planted]:
    """Put a payload in front of the text of every prose field of every table and of the descriptor."""
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    names = list(PAYLOADS)
    planted: list[Planted] = []

    def next_payload(in_table: bool = False) -> str:
        name = names[len(planted) % len(names)]
        # validation refuses table text that starts like a formula (see MISTAKES); the descriptor still carries them
        return names[(names.index(name) + len(FORMULAS)) % len(names)] if in_table and name in FORMULAS else name

    for resource in descriptor["resources"]:
        fields = _text_fields(resource)
        file = package / resource["path"]
        with file.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        header = list(rows[0])
        for field in fields:
            name = next_payload(in_table=True)
            for row in rows:
                row[field] = PAYLOADS[name] + row[field]
            planted.append(Planted(resource["name"], field, name, rows[0][field]))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        file.write_text(buffer.getvalue(), encoding="utf-8")

    def text(holder: dict, key: str, label: str) -> None:
        name = next_payload()
        holder[key] = PAYLOADS[name] + holder[key]
        planted.append(Planted("datapackage.json", label, name, holder[key]))

    for key in ("title", "title_en", "description", "description_en"):
        text(descriptor, key, key)
    for key in ("licenses", "sources", "contributors"):
        text(descriptor[key][0], "title", f"{key}[0].title")
    descriptor["keywords"][0] = PAYLOADS["script"] + descriptor["keywords"][0]
    for resource in descriptor["resources"]:
        for key in ("title", "title_en", "description", "description_en"):
            text(resource, key, f"{resource['name']}.{key}")
        for field in resource["schema"]["fields"][:2]:
            for key in ("description", "description_en"):
                text(field, key, f"{resource['name']}.{field['name']}.{key}")
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    plant_correction(package)
    return planted


CORRECTED = "city-sections-cut"  # the row the planted changelog says its newest release corrects
CORRECTION_TEXT = PAYLOADS["script"] + " " + PAYLOADS["markdown-link"]


def plant_correction(package: Path) -> None:
    """The newest release lists a correction whose text is a payload (a maintainer's text, shown as typed)."""
    changelog = package / "CHANGELOG.md"
    lines = changelog.read_text(encoding="utf-8").split("\n")
    newest = next(i for i, line in enumerate(lines) if line.startswith("## "))
    following = next(i for i, line in enumerate(lines) if i > newest and line.startswith("## "))
    correction = ["### 更正 · Corrections", "", f"- `observations/{CORRECTED}`: {CORRECTION_TEXT}", ""]
    changelog.write_text("\n".join(lines[:following] + correction + lines[following:]), encoding="utf-8")


def copy_with_payloads(root: Path) -> tuple[Path, list[Planted]]:
    from scripts.data.paths import DATASETS

    datasets = root / "datasets"
    shutil.copytree(DATASETS, datasets)
    return datasets, plant(datasets / PACKAGE)


# ---- the site built from the planted package ---------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    site: Path
    url: str
    datasets: Path
    planted: list[Planted]

    def cell(self, table: str, key: str, field: str) -> str:
        """The planted text of one cell, as the CSV holds it."""
        with (self.datasets / PACKAGE / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        first = next(iter(rows[0]))
        return next(row[field] for row in rows if row[first] == key)

    def descriptor(self) -> dict:
        return json.loads((self.datasets / PACKAGE / "datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile")
    datasets, planted = copy_with_payloads(root)
    site = root / "site"
    with serve(site) as url:
        result = build_site(site, DATASETS_DIR=str(datasets), SITE_URL=url)
        assert result.returncode == 0, result.stdout + result.stderr
        yield Hostile(site, url, datasets, planted)


INIT = f"""
window.__calls = [];
window.__violations = [];
{MARK} = (what) => window.__calls.push(String(what));
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""

INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) if (a.name.startsWith("on")) found.push(el.tagName + "[" + a.name + "]");
    const href = el.getAttribute("href") || el.getAttribute("src") || "";
    if (/^\\s*javascript:/i.test(href)) found.push(el.tagName + " " + href);
  }
  for (const el of document.querySelectorAll('img[src="x"], iframe, object, embed, article script:not([type])'))
    found.push(el.outerHTML.slice(0, 80));
  // what Markdown would have made of the payloads
  const made = {EM: ["bold", "em"], STRONG: ["strong"], DEL: ["del"], CODE: ["code", "two"], A: ["link"],
                LI: ["item", "first"], BLOCKQUOTE: ["quote"], H1: ["heading"], TD: ["a", "b"]};
  for (const [tag, texts] of Object.entries(made))
    for (const el of document.getElementsByTagName(tag))
      if (texts.includes(el.textContent.trim())) found.push(tag + " " + el.textContent);
  for (const el of document.querySelectorAll('img[alt="x"], a[href^="https://example.invalid"]'))
    found.push(el.outerHTML.slice(0, 80));
  return found;
}"""

SHOWN = """([selector, text]) => [...document.querySelectorAll(selector)].some(
  (el) => el.textContent.replace(/¶$/, "") === text && el.checkVisibility())"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors, page.dialogs, page.outside = [], [], []

    def route(route):
        if not leaves(route.request.url):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.add_init_script(INIT)
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def assert_inert(page) -> None:
    """Nothing planted ran, and nothing planted became an element."""
    assert page.evaluate("window.__calls") == []
    assert page.dialogs == []
    assert page.evaluate(INJECTED) == []
    assert page.evaluate("window.__violations") == [], "Content-Security-Policy violations"
    assert page.errors == [] and page.outside == []


def places(hostile: Hostile, planted: Planted) -> list[tuple[str, str, str]]:
    """(page, selector, text) where a planted text must be shown as typed."""
    data = f"data/{PACKAGE}/"
    if planted.table != "datapackage.json":
        return [(prefix + data + planted.table + "/", "td", planted.value) for prefix in ("", "en/")]
    label = planted.field
    edition = "en/" if label.endswith("_en") else ""
    if label in {"title", "title_en"}:
        return [(edition + data, "h1", planted.value)]
    if label in {"description", "description_en"}:
        return [(edition + data, "article p", planted.value)]
    if label.endswith("[0].title"):  # a licence, source or contributor of the package
        return [(prefix + data, "dd a, dd", planted.value) for prefix in ("", "en/")]
    resource, _, key = label.partition(".")
    if "." not in key:  # a resource's title or description
        selector = "h1" if key.startswith("title") else "article p"
        return [(edition + data + resource + "/", selector, planted.value)]
    return [(edition + data + resource + "/", "td", planted.value)]  # a field's description


# ---- payloads are shown as typed and never run ---------------------------------------------------------------------


PLANTED_PROBE = f"""(targets) => ({{
  calls: window.__calls,
  violations: window.__violations,
  injected: ({INJECTED})(),
  shown: targets.map((target) => ({SHOWN})(target)),
}})"""


@pytest.fixture(scope="module")
def planted_visits(hostile: Hostile) -> dict:
    """Every page of the planted site, opened once (several at a time) with the marks of anything that runs, and for
    each place a payload must show on that page, whether it shows as typed."""
    targets: dict[str, list[list[str]]] = {}
    for planted in hostile.planted:
        for path, selector, text in places(hostile, planted):
            targets.setdefault(path, []).append([selector, text])
    visits = survey(
        hostile.site,
        page_paths(hostile.site),
        viewport={"width": 1280, "height": 900},
        probe=PLANTED_PROBE,
        init_script=INIT,
        probe_argument=lambda path: targets.get(path, []),
    )
    return {
        path: (visit, dict(zip(map(tuple, targets.get(path, [])), visit.probe["shown"], strict=True)))
        for path, visit in visits.items()
    }


def inert(visit) -> dict:
    """What ran or grew on a visited page (nothing, on every page)."""
    found = {key: visit.probe[key] for key in ("calls", "violations", "injected") if visit.probe[key]}
    return found | {key: getattr(visit, key) for key in ("errors", "outside") if getattr(visit, key)}


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_payload_is_shown_as_typed_and_never_runs(payload, hostile, planted_visits):
    targets = [place for p in hostile.planted if p.payload == payload for place in places(hostile, p)]
    assert targets, f"{payload} was planted nowhere"
    for path, selector, text in targets:
        visit, shown = planted_visits[path]
        assert shown[(selector, text)], f"{payload} not shown as typed on {path} ({selector})"
        assert inert(visit) == {}, path


def test_no_page_of_the_planted_site_runs_or_grows_anything(planted_visits):
    assert len(planted_visits) >= 50
    assert {path: inert(visit) for path, (visit, _) in planted_visits.items() if inert(visit)} == {}


HEADER_TOPIC = '[data-md-component="header-topic"] .md-ellipsis'


def heading(page) -> str:
    return page.locator("article h1").first.evaluate("(h) => h.textContent.replace(/¶$/, '')")


def test_data_in_markdown_headings_titles_and_prose_is_shown_as_typed(hostile, page):
    """Headings are Markdown: a name with * | [ < or a backtick must neither format nor break them."""
    zh, en = (
        hostile.cell("units", "establishment-office", "short_name_zh"),
        hostile.cell("units", "establishment-office", "short_name_en"),
    )
    title = hostile.descriptor()["title"]
    for path, expected in (
        ("departments/establishment-office/", zh),
        ("en/departments/establishment-office/", f"{en} ({zh})"),
        (f"data/{PACKAGE}/", title),
    ):
        page.goto(hostile.url + path, wait_until="load")
        assert heading(page) == expected, path
        assert page.title().startswith(expected.replace("\n", " ") + " - ") or page.title().startswith(
            " ".join(expected.split()) + " - "
        ), page.title()
        assert " ".join(page.locator(HEADER_TOPIC).last.text_content().split()) == " ".join(expected.split())
        assert_inert(page)
    for path, lang in (("slimming/", "zh"), ("en/slimming/", "en")):  # narrative pages quote the data
        name, summary = (hostile.cell("strands", "slimming", f"{key}_{lang}") for key in ("name", "summary"))
        page.goto(hostile.url + path, wait_until="load")
        assert heading(page).startswith(name), path
        assert page.evaluate(SHOWN, ["article p", summary + ("。" if lang == "zh" else ".")]), path
        assert_inert(page)


@pytest.mark.parametrize("payload", FORMULAS)
def test_xlsx_cells_that_start_like_a_formula_stay_text(payload):
    """Validation refuses such text in a table; the XLSX download would still keep it text (defence in depth)."""
    from dataclasses import replace

    from scripts.data.model import load_package
    from scripts.data.paths import DATASETS
    from scripts.site.outputs.downloads import xlsx

    table = load_package(DATASETS / PACKAGE).table("units")
    frame = table.frame.copy()
    frame["name_en"] = PAYLOADS[payload] + frame["name_en"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx(replace(table, frame=frame)))).active
    column = [c.value for c in sheet[1]].index("name_en")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert all(str(c.value).startswith(PAYLOADS[payload]) for c in cells)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"], "a formula cell"


def test_search_results_show_planted_names_as_text(hostile, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(hostile.url, wait_until="networkidle")
    page.locator("label[for='__search']").first.click()
    search = page.locator("input[data-md-component='search-query']")
    search.fill("市委编办")
    search.press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    text = page.locator(".md-search-result").text_content().replace("\u200b", "")
    assert hostile.cell("units", "establishment-office", "short_name_zh") in text
    assert_inert(page)


def test_interactive_chart_and_its_tooltip_show_planted_names_as_text(hostile, page):
    name = next(p for p in hostile.planted if (p.table, p.field) == ("indicators", "name_zh"))
    page.goto(hostile.url + "strengthening/", wait_until="networkidle")
    page.locator("figure.chart .chart__toggle").first.click()
    page.wait_for_selector("figure.chart .chart__interactive svg", timeout=20_000)
    page.locator("figure.chart .chart__interactive svg path[role='graphics-symbol']").first.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert PAYLOADS[name.payload] in tooltip.text_content()
    assert tooltip.evaluate("(e) => getComputedStyle(e).position") == "fixed"  # its style comes from site.css
    assert_inert(page)


def test_json_in_script_blocks_holds_planted_text_without_breaking_out(hostile, page):
    descriptor = hostile.descriptor()
    for path, key in ((f"data/{PACKAGE}/", "title"), (f"en/data/{PACKAGE}/", "title_en")):
        page.goto(hostile.url + path, wait_until="load")
        blocks = page.locator('script[type="application/ld+json"]')
        assert blocks.count() == 1
        assert json.loads(blocks.first.text_content())["name"] == descriptor[key]
        assert page.locator("script:not([src]):not([type])").count() <= 2  # the theme's own, allowed by hash
        assert_inert(page)


def test_static_svg_charts_are_well_formed_and_hold_planted_text_as_text(hostile):
    from xml.etree import ElementTree as ET

    short_name = hostile.cell("units", "establishment-office", "short_name_zh")
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


# ---- malformed input is refused with a bilingual message naming file, row and field -------------------------------


@dataclass(frozen=True)
class Mistake:
    apply: Callable  # (workspace) -> None
    where: Callable  # (workspace) -> the end of the file's path, the row and the field
    code: str  # the problem's code in the message catalogue
    params: dict = dataclasses.field(default_factory=dict)  # some of its parameters


def _write_bytes(name: str, encode: Callable[[str], bytes]) -> Callable:
    def apply(workspace) -> None:
        path = workspace.table(name)
        path.write_bytes(encode(path.read_text(encoding="utf-8")))

    return apply


def _xlsx(_: str) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["unit_id", "name_zh"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _descriptor(change: Callable[[dict], None]) -> Callable:
    def apply(workspace) -> None:
        path = workspace.package / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        change(descriptor)
        path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")

    return apply


def _at(file: str, row: int | None = None, field: str | None = None) -> Callable:
    return lambda workspace: (file, row, field)


def _row(table: str, key: str, field: str | None = ANY) -> Callable:
    return lambda w: (f"{table}.csv", w.row(table, key), field)


def _set(table: str, key: str, field: str, cell: str, code: str, **params) -> Mistake:
    return Mistake(lambda w: w.set(table, key, field, cell), _row(table, key, field), code, params)


def _line(table: str, key: str, change: Callable[[str], str], field: str | None, code: str, **params) -> Mistake:
    return Mistake(lambda w: w.edit_line(table, key, change), _row(table, key, field), code, params)


def _at_char(position: int, name: str) -> tuple:
    return (Text("phrase.character-at", {"position": position, "name": name}),)


OBS, CITY, OFFICE, LAUNCH = "observations", "fictional-city", "establishment-office", "reform-launch"
UTF8 = Text("fix.save-as-utf8")
MISTAKES = {
    "thousands-separator-quoted": _set(
        OBS,
        "water-sections-before",
        "value",
        "1,200",
        "value-not-valid",
        fix=Text("fix.thousands-separator", {"plain": "1200", "value": "1,200"}),
    ),
    "thousands-separator-unquoted": _line(
        OBS, "water-sections-before", lambda line: line.replace(",12,", ",1,200,"), None, "cell-extra"
    ),
    "full-width-digits": _set(
        OBS,
        "water-sections-after",
        "value",
        "９",
        "value-not-ascii",
        fix=Text("fix.full-width-digits", {"plain": "9", "value": "９"}),
    ),
    "percent-sign": _set(
        OBS, "city-window-completion-rate", "value", "99%", "value-not-valid", value="99%", fix=Text("fix.number")
    ),
    "chinese-month": _set("milestones", LAUNCH, "date", "2024年3月", "date-not-iso", iso="2024-03", value="2024年3月"),
    "chinese-day-in-a-date": _set(
        "milestones",
        LAUNCH,
        "start_date",
        "2024年3月1日",
        "value-not-valid",
        fix=Text("fix.iso-date", {"iso": "2024-03-01", "value": "2024年3月1日"}),
    ),
    "excel-slash-date": _set(
        "milestones",
        LAUNCH,
        "start_date",
        "2024/3/1",
        "value-not-valid",
        fix=Text("fix.iso-date", {"iso": "2024-03-01", "value": "2024/3/1"}),
    ),
    "trailing-space-in-a-code": _set(
        OBS, "city-pilot-units", "unit_id", f"{CITY} ", "code-with-spaces", value=f"{CITY} "
    ),
    "trailing-space-in-a-key": Mistake(
        lambda w: w.set("units", CITY, "unit_id", f"{CITY} "),
        _at("observations.csv", ANY, "unit_id"),
        "code-not-found",
        {"fix": Text("fix.code-spaced-there", {"table": "units", "spaced": f"{CITY} "})},
    ),
    "empty-required-cell": _set("units", CITY, "short_name_zh", "", "value-required"),
    "missing-cell": _line("units", CITY, lambda line: line.rsplit(",", 1)[0], "unit_type", "cell-missing"),
    "too-many-cells": _line("units", CITY, lambda line: line + ",extra", None, "cell-extra-holding", value="extra"),
    "renamed-header": Mistake(
        lambda w: w.edit_line("units", "unit_id", lambda line: line.replace("unit_id", "unit_ID")),
        _at("units.csv", 1, ANY),
        "header-mismatch",
    ),
    "gbk-file": Mistake(
        _write_bytes("units", lambda text: text.encode("gb18030")), _at("units.csv", ANY), "csv-gbk", {"fix": UTF8}
    ),
    "utf-16-file": Mistake(
        _write_bytes("units", lambda text: text.encode("utf-16")), _at("units.csv"), "csv-utf16", {"fix": UTF8}
    ),
    "xlsx-saved-as-csv": Mistake(_write_bytes("units", _xlsx), _at("units.csv"), "csv-is-xlsx"),
    "descriptor-names-a-missing-file": Mistake(
        lambda workspace: workspace.table("milestones").unlink(),
        _at("datapackage.json", None, "path"),
        "resource-file-missing",
        {"path": "data/milestones.csv"},
    ),
    "descriptor-not-json": Mistake(
        lambda workspace: (workspace.package / "datapackage.json").write_text(
            (workspace.package / "datapackage.json")
            .read_text(encoding="utf-8")
            .replace('",\n  "created"', '"\n  "created"'),
            encoding="utf-8",
        ),
        _at("datapackage.json"),
        "descriptor-not-json",
    ),
    "zero-width-space-in-a-code": _set(
        OBS,
        "city-pilot-units",
        "unit_id",
        "fictional\u200b-city",
        "invisible-character",
        found=_at_char(10, "U+200B ZERO WIDTH SPACE"),
    ),
    "right-to-left-override-in-a-name": _set(
        "units",
        OFFICE,
        "short_name_zh",
        "市委\u202e编办",
        "direction-control-character",
        found=_at_char(3, "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ),
    "control-character-in-a-text": _set(
        "units", OFFICE, "short_name_en", "Commission Office\x07 for Public Sector Reform", "invisible-character"
    ),
    "invisible-character-in-the-descriptor": Mistake(
        _descriptor(lambda d: d.update(title_en=d["title_en"] + "\u2066")),
        _at("datapackage.json", None, "title_en"),
        "direction-control-character",
    ),
    "javascript-licence-link": Mistake(
        _descriptor(lambda d: d["licenses"][0].update(path="javascript:alert(1)")),
        _at("datapackage.json", None, "licenses.path"),
        "link-not-web-address",
        {"path": "javascript:alert(1)"},
    ),
    "formula-in-a-text": _set(
        "units", OFFICE, "short_name_en", "=cmd|' /C calc'!A0", "text-starts-like-a-formula", first="="
    ),
    "minus-at-the-start-of-a-text": _set(
        "strands", "overview", "summary_zh", "-1+1改革的启动", "text-starts-like-a-formula", first="-"
    ),
    "javascript-source-url": _set(
        "sources", "fictional-2025-06-01-report", "url", "javascript:alert(1)", "not-a-web-address"
    ),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_malformed_input_is_refused_with_a_bilingual_message(mistake, workspace):
    case = MISTAKES[mistake]
    case.apply(workspace)
    result = workspace.validate()
    assert result.returncode == 1, result.stdout
    problems = validation_problems(workspace.datasets, workspace.sources)
    problem = find_problem(problems, case.code, *case.where(workspace), **case.params)
    assert str(problem) in result.stdout  # printed, in Chinese and English
    assert "\ufffd" not in result.stdout  # nothing garbled
    assert "改正之前不会构建网站" in result.stdout and "nothing is built" in result.stdout


def test_a_utf8_bom_from_excel_is_accepted_with_a_bilingual_note(workspace):
    path = workspace.table("units")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = workspace.validate()
    assert result.returncode == 0, result.stdout
    problem = find_problem(
        validation_problems(workspace.datasets, workspace.sources), "csv-bom", "units.csv", None, None, "warning"
    )
    assert str(problem) in result.stdout


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("mistake", ["gbk-file", "zero-width-space-in-a-code", "descriptor-names-a-missing-file"])
def test_a_refused_build_leaves_the_published_site_byte_for_byte(mistake, workspace, hostile, tmp_path):
    site = tmp_path / "published" / "site"
    shutil.copytree(hostile.site, site)
    before = snapshot(site)
    MISTAKES[mistake].apply(workspace)
    result = build_site(site, DATASETS_DIR=str(workspace.datasets))
    assert result.returncode == 1
    assert "未作改动" in result.stderr and "unchanged" in result.stderr
    # validation's report says why, even where the data could not be read for the pages (validated alongside)
    assert "改正之前不会构建网站" in result.stderr and "nothing is built until they are fixed" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site) == before
    assert [p.name for p in site.parent.iterdir()] == ["site"]  # no staging folder left behind


def test_the_package_page_lists_a_releases_corrections_as_typed(hostile, page):
    for lang in ("", "en/"):
        page.goto(f"{hostile.url}{lang}data/{PACKAGE}/", wait_until="networkidle")
        item = page.locator("ul.corrections > li")
        assert item.count() == 1
        assert item.inner_text().endswith(CORRECTION_TEXT)
        link = item.locator("a")
        assert link.inner_text() == f"observations/{CORRECTED}"
        link.click()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("location.hash") == f"#row-{CORRECTED}"
        assert page.locator(f"#row-{CORRECTED}").is_visible()
        assert_inert(page)
