"""Adding a report without a programmer: draft a workbook from its text, fill it as a maintainer would, import it.

The fictional report (tests/fixtures/sources) puts its figures under headings that name the reform's strands, like the
real one; it is drafted against and imported into the fixture package. A refusal changes no byte and names the cell."""

import csv
import datetime as dt
import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from scripts.__main__ import main
from scripts.checks.validate import validate_package
from scripts.data.messages import Text
from scripts.data.paths import sources_dir
from scripts.data.problems import errors
from scripts.maintain.importer import MARK, import_workbook
from scripts.maintain.workbook import LISTS, NOT_FIGURES, READ_ME
from tests.conftest import FIXTURE, FIXTURE_DATASETS, FIXTURE_SOURCES, PACKAGE, Workspace
from tests.problem_support import find_problem
from tests.site_support import build_site

SOURCE = "fictional-2026-01-10-report"
FICTIONAL = FIXTURE_SOURCES / f"{SOURCE}.txt"
PACKAGE_DIR = FIXTURE_DATASETS / FIXTURE
CITY = "fictional-city"
NEW_UNIT = "fictional-training-centre"
NEW_INDICATOR = "fictional_cadres_trained"
NEW_TERM = "yewu-peixun"
SCHEMAS = {r["name"]: r["schema"] for r in json.loads((PACKAGE_DIR / "datapackage.json").read_bytes())["resources"]}
WINDOW = {"value": 499000, "locator": 8}  # 49.9万件, a city-level figure under the heading of reshaping


def draft(source: str, datasets: Path, sources: Path, output: Path) -> Path:
    assert main(["draft", source, "--datasets", str(datasets), "--sources", str(sources), "--output", str(output)]) == 0
    return output


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return draft(SOURCE, FIXTURE_DATASETS, FIXTURE_SOURCES, tmp_path_factory.mktemp("drafts") / f"{SOURCE}.xlsx")


@pytest.fixture(scope="module")
def book(drafted: Path):
    return openpyxl.load_workbook(drafted)


@pytest.fixture(scope="module")
def filled(drafted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return filled_copy(drafted, tmp_path_factory.mktemp("filled"))


def header(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def letter(name: str, table: str = "observations") -> str:
    """The column of a field, on its table's sheet (which lists the fields in the descriptor's order)."""
    return get_column_letter([f["name"] for f in SCHEMAS[table]["fields"]].index(name) + 1)


def records(sheet) -> list[dict]:
    names = header(sheet)
    return [dict(zip(names, row, strict=False)) for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]


def row_where(sheet, **wanted) -> int:
    return next(r + 2 for r, row in enumerate(records(sheet)) if all(row.get(k) == v for k, v in wanted.items()))


def put(sheet, row: int, **values) -> None:
    names = header(sheet)
    for name, value in values.items():
        sheet.cell(row=row, column=names.index(name) + 1).value = value


def fill(book, city: str = CITY) -> None:
    """What a maintainer does in Excel: complete the source; add a unit, an indicator, a glossary term; choose codes
    (overview for one strand); translate with the glossary's renderings; state city-level scopes; give ids."""
    put(book["sources"], 2, publisher_zh="测试用虚构来源", publisher_en="Fictional source for tests",
        title_en="A fictional report (for tests only, never published): the “big section” reform one year on brings "
        "new outcomes", authors_zh="记者 虚构", published="2026-01-10T08:00:00+08:00",
        url="https://example.invalid/fictional-report")  # fmt: skip
    put(book["units"], 2, unit_id=NEW_UNIT, name_zh="虚构培训中心", name_en="Fictional Training Centre",
        short_name_zh="培训中心", short_name_en="Training Centre", unit_type="government")  # fmt: skip
    put(book["indicators"], 2, indicator_id=NEW_INDICATOR, name_zh="参加培训的干部数", name_en="Cadres trained",
        definition_zh="参加业务培训的干部人数", definition_en="Cadres who attended professional training",
        unit_zh="名", unit_en="cadres")  # fmt: skip
    put(book["glossary"], 2, term_id=NEW_TERM, term_zh="业务培训", pinyin="yèwù péixùn",
        term_en="professional training", definition_zh="干部参加的业务知识和技能培训",
        definition_en="Training of cadres in the knowledge and skills of their work",
        rendering_source_zh="本站译名", rendering_source_en="Our rendering")  # fmt: skip
    obs = book["observations"]
    put(obs, row_where(obs, value=120), observation_id="fictional-cadres-trained", unit_id=NEW_UNIT,
        indicator_id=NEW_INDICATOR, period="2025",
        excerpt_en="120 cadres attended professional training at the Municipal Cadre Training Centre over the year",
    )  # fmt: skip
    put(obs, row_where(obs, **WINDOW), observation_id="fictional-window-items", unit_id=city,
        indicator_id="window_items_accepted", period="2025", scope_zh="全市政务服务窗口",
        scope_en="the city’s government service windows",
        excerpt_en="government service windows accepted 499,000 items over the year")  # fmt: skip
    put(obs, row_where(obs, value=12), observation_id="fictional-rules-revised", unit_id=city,
        indicator_id="rules_revised", strand_id="overview", period="not-stated", scope_zh="全市",
        scope_en="the city as a whole", excerpt_en="more than 12 rules were revised")  # fmt: skip
    milestones = book["milestones"]
    put(milestones, row_where(milestones, date="2025-03"), milestone_id="fictional-notice", unit_id=city,
        event_type="launch", event_zh="印发通知", event_en="Notice issued",
        excerpt_en="in March 2025 the Municipal Party Committee’s Commission Office for Public Sector Reform issued "
        "document Huaibian [2025] No. 3")  # fmt: skip


def filled_copy(drafted: Path, folder: Path, change: Callable | dict | None = None, city: str = CITY) -> Path:
    """The draft as fill() leaves it, then changed: by a function of the workbook, or in fields of the 49.9万 row."""
    book = openpyxl.load_workbook(drafted)
    fill(book, city)
    if isinstance(change, dict):
        put(book["observations"], row_where(book["observations"], **WINDOW), **change)
    elif change:
        change(book)
    path = folder / "filled.xlsx"
    book.save(path)
    return path


def csv_bytes(package: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((package / "data").glob("*.csv"))}


def listed(book, table: str, name: str) -> tuple[list[str], str] | None:
    """The codes of a column's drop-down, read from the hidden sheet its range points at, and its error style."""
    for validation in book[table].data_validations.dataValidation:
        if validation.type == "list" and str(validation.sqref).startswith(f"{letter(name, table)}2:"):
            target, cells = validation.formula1.split("!")
            assert target == f"'{LISTS}'" and "," not in cells  # a range of the hidden sheet, never an inline list
            codes = [c.value for row in book[LISTS][cells.replace("$", "")] for c in row if c.value]
            return codes, validation.errorStyle
    return None


def prompt(book, table: str, name: str) -> str:
    validations = book[table].data_validations.dataValidation
    return next(v.prompt for v in validations if str(v.sqref).startswith(f"{letter(name, table)}2:"))


def test_the_draft_offers_every_figure_with_its_paragraph_clause_value_qualifier_and_strand(book):
    rows = records(book["observations"])
    offered = [(r["locator"], r["value"], r["qualifier"], r["strand_id"], r["excerpt"]) for r in rows]
    assert offered == [
        (4, 5, "exact", "overview", "第一批选取5家单位深入一线开展调研"),  # before the first heading
        (6, 120, "exact", "strengthening", "市干部培训中心全年共有一百二十名干部参加业务培训"),
        (6, 60, "exact", "strengthening", "其中百分之六十来自基层"),
        (8, 499000, "approx", "reshaping", "政务服务窗口全年受理事项49.9万件"),  # rounded to the thousand
        (8, 98, "approx", "reshaping", "群众满意率约98%"),
        (9, 120000000, "approx", "reshaping", "全市统筹资金1.2亿元"),
        (9, 23000000, "exact", "reshaping", "其中两千三百万元用于一体化平台建设"),
        (10, 499000, "approx", "reshaping", "线上办件量达四十九点九万件"),
        (10, 20, "approx", "reshaping", "较上年增长20%左右"),
        (11, 30, "approx", "reshaping", "近30个部门完成流程再造"),
        (11, 12, "at-least", "reshaping", "超过12项制度得到修订"),
        (11, 8000, "at-least", "reshaping", "逾8000名群众参与评议"),
        (11, 50, "at-least", "reshaping", "审批时限压缩50%以上"),
    ]
    for name in ("observation_id", "unit_id", "period", "excerpt_en", "scope_zh", "scope_en", "lower", "upper"):
        assert all(r[name] is None for r in rows), f"{name} is the maintainer's to fill"
    assert {(r["source_id"], r["basis"]) for r in rows} == {(SOURCE, "reported")}


def test_every_sheet_has_its_tables_columns_with_a_bilingual_input_message_and_coded_ones_a_drop_down(book):
    assert "strands" not in book.sheetnames  # the report's parts: a closed list the workbook cannot add to
    for table, schema in ((t, s) for t, s in SCHEMAS.items() if t != "strands"):
        assert header(book[table]) == [f["name"] for f in schema["fields"]], table
        for spec in schema["fields"]:
            message = prompt(book, table, spec["name"])
            assert len(message) <= 255, (table, spec["name"])  # Excel drops a longer input message
            zh, en = spec["description"], spec["description_en"]
            assert message.startswith(zh[:30]) and en[:30] in message, (table, spec["name"], message)
            comment = book[table][f"{letter(spec['name'], table)}1"].comment.text
            assert zh in comment and en in comment  # the whole text, where the message had to shorten it
    assert "not-stated" in prompt(book, "observations", "period")
    assert book[LISTS].sheet_state == "hidden"
    fields = {name: {f["name"]: f for f in schema["fields"]} for name, schema in SCHEMAS.items()}
    with (PACKAGE_DIR / "data" / "units.csv").open(encoding="utf-8", newline="") as file:
        units = [row["unit_id"] for row in csv.DictReader(file)]
    assert listed(book, "observations", "unit_id") == (units, "warning")  # a new unit is a row of the units sheet
    strands = fields["strands"]["strand_id"]["constraints"]["enum"]
    assert listed(book, "observations", "strand_id") == (strands, "stop") == listed(book, "changes", "strand_id")
    for table, name in (("observations", "qualifier"), ("observations", "basis"), ("units", "unit_type")):
        assert listed(book, table, name) == (fields[table][name]["constraints"]["enum"], "stop"), name
    assert listed(book, "observations", "period") is None  # a pattern, not a list: its message names the codes
    assert SOURCE in listed(book, "observations", "source_id")[0]


def test_a_report_without_strand_headings_leaves_the_strand_to_the_maintainer(tmp_path):
    lines = FICTIONAL.read_text(encoding="utf-8").splitlines()
    flat = "\n".join(line for line in lines if "“强身”" not in line and "“塑身”" not in line)
    (tmp_path / f"{SOURCE}.txt").write_text(flat, encoding="utf-8")
    book = openpyxl.load_workbook(draft(SOURCE, FIXTURE_DATASETS, tmp_path, tmp_path / "flat.xlsx"))
    assert {r["strand_id"] for r in records(book["observations"])} == {None}
    read_me = book[READ_ME].iter_rows(values_only=True)
    assert any("strand_id" in str(zh) and "strand_id is not pre-filled" in str(en) for zh, en, *_ in read_me)


def test_dates_ordinals_document_numbers_and_word_yi_are_not_offered_but_listed_with_the_reason(book):
    reasons = {r["as written 原文"]: r["reason"] for r in records(book[NOT_FIGURES])}
    assert reasons["〔2025〕3号"] == "a document, licence or registration number" and reasons["第一"] == "an ordinal"
    assert "一线" in reasons and "part of a word" in reasons["一体化"] and reasons["2025年3月"] == "a date or time"
    milestones = {(r["date"], r["precision"], r["start_date"], r["end_date"]) for r in records(book["milestones"])}
    assert ("2025-03", "month", "2025-03-01", "2025-03-31") in milestones
    assert ("2025-H1", "half-year", "2025-01-01", "2025-06-30") in milestones


def test_the_read_me_explains_in_both_languages_what_the_maintainer_fills(book):
    assert book.sheetnames[0] == READ_ME
    lines = [(str(a or ""), str(b or "")) for a, b, *_ in book[READ_ME].iter_rows(values_only=True)]
    text = "\n".join(zh + "\n" + en for zh, en in lines)
    for words in ("observation_id", "units", "make import", "新增单位", "Adding a unit", "下拉列表", "not-stated"):
        assert words in text

    def says(zh_words: tuple[str, ...], en_words: tuple[str, ...]) -> bool:
        return any(all(w in zh for w in zh_words) and all(w in en for w in en_words) for zh, en in lines)

    assert says(("excerpt_en", "英文翻译", "每条摘录"), ("excerpt_en", "Every excerpt needs its English translation"))
    assert says(("scope_zh", "scope_en", "全市", "口径", CITY), ("scope_zh", "scope_en", "city-level"))
    assert says(("estimated", "lower", "upper", "范围"), ("estimated", "lower", "upper", "range"))
    assert says(("strand_id", "小标题", "overview"), ("strand_id", "heading", "overview"))
    assert says(("第 5 段", "“强身”", "strengthening", "第 7 段", "reshaping"), ("paragraph 5", "→ strengthening"))
    assert says(("glossary", "译名"), ("glossary", "rendering", "avoid_en", "strands"))
    with (PACKAGE_DIR / "data" / "glossary.csv").open(encoding="utf-8", newline="") as file:
        terms = {(t["term_zh"], t["term_en"]) for t in csv.DictReader(file) if not t["variants_zh"]}
    assert terms <= {(zh, en.split(" (not:")[0]) for zh, en in lines}  # 大科室 → big section (not: …)
    assert book["sources"]["A2"].value == SOURCE and book["sources"]["B2"].value.startswith("虚构报道")


def test_figures_the_package_already_holds_are_listed_apart_and_not_offered_again(workspace, tmp_path):
    source, removed = "fictional-2025-06-01-report", "city-window-completion-rate"  # the fixture's own report
    paragraph, value, strand = (workspace.get("observations", removed, f) for f in ("locator", "value", "strand_id"))
    workspace.edit_line("observations", removed, lambda line: None)  # a figure the package no longer holds
    book = openpyxl.load_workbook(draft(source, workspace.datasets, FIXTURE_SOURCES, tmp_path / "held.xlsx"))
    held = [r for r in records(book["held"]) if r["value"] is not None]  # figures; dates held by milestones aside
    with workspace.table("observations").open(encoding="utf-8", newline="") as file:
        reported = [r["observation_id"] for r in csv.DictReader(file) if r["basis"] == "reported"]
    assert sorted(r["held by 已由此行收录"] for r in held) == sorted(reported)
    offered = records(book["observations"])
    assert [(r["locator"], r["value"], r["strand_id"]) for r in offered] == [(int(paragraph), int(value), strand)]
    assert book["sources"].max_row == 1  # the source is already in sources.csv


def test_a_filled_workbook_is_appended_in_each_files_own_line_endings_and_the_package_still_validates(
    filled, workspace
):
    units = workspace.table("units")
    units.write_bytes(units.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))  # CRLF, no final newline
    before = csv_bytes(workspace.package)
    outcome = import_workbook(filled, workspace.datasets, FIXTURE_SOURCES)
    assert outcome.ok, "\n".join(outcome.lines)
    assert outcome.added == dict(sources=1, observations=3, milestones=1, units=1, indicators=1, glossary=1)
    assert "10 in observations" in outcome.lines[1] and "observations 表 10 行" in outcome.lines[0]
    after = csv_bytes(workspace.package)
    for name, old in before.items():
        assert after[name].startswith(old), name  # appended: every old byte where it was
    unit = f"\r\n{NEW_UNIT},虚构培训中心,Fictional Training Centre,培训中心,Training Centre,government\r\n"
    assert after["units.csv"] == before["units.csv"] + unit.encode()  # the file's CRLF, its last line ended first
    assert after["observations.csv"].count(b"\r") == 0  # and the other files' LF
    new = after["observations.csv"][len(before["observations.csv"]) :].decode().splitlines()
    assert new[0] == (
        "fictional-cadres-trained,fictional-training-centre,fictional_cadres_trained,strengthening,2025,120,exact,"
        f"reported,,,,,,,{SOURCE},6,市干部培训中心全年共有一百二十名干部参加业务培训,"
        "120 cadres attended professional training at the Municipal Cadre Training Centre over the year,,"
    )
    assert new[1].startswith(f"fictional-window-items,{CITY},window_items_accepted,reshaping,2025,499000,approx,")
    assert ",全市政务服务窗口,the city’s government service windows," in new[1]
    assert new[2].startswith(f"fictional-rules-revised,{CITY},rules_revised,overview,not-stated,12,at-least,")
    assert after["glossary.csv"][len(before["glossary.csv"]) :].decode().startswith(f"{NEW_TERM},业务培训,")
    assert after["change-types.csv"] == before["change-types.csv"]
    assert errors(validate_package(workspace.package, FIXTURE_SOURCES).problems) == []


def test_the_site_built_after_an_import_shows_the_new_figures(tmp_path):
    """Built from the real data (the site's pages cite its rows), with the fictional report imported into a copy."""
    workspace = Workspace(tmp_path / "real", real=True)
    drafted = draft(SOURCE, workspace.datasets, FIXTURE_SOURCES, tmp_path / "real.xlsx")
    filled = filled_copy(drafted, tmp_path, city="huaibei-city")  # the real package's city
    assert import_workbook(filled, workspace.datasets, FIXTURE_SOURCES).ok
    everything = tmp_path / "all-sources"
    shutil.copytree(sources_dir(), everything)
    shutil.copy(FICTIONAL, everything)
    site = tmp_path / "site"
    result = build_site(site, workspace.datasets, everything)
    assert result.returncode == 0, result.stdout + result.stderr
    table = (site / "data" / PACKAGE / "observations" / "index.html").read_text(encoding="utf-8")
    assert "fictional-cadres-trained" in table and "市干部培训中心全年共有一百二十名干部参加业务培训" in table
    departments = (site / "en" / "departments" / "index.html").read_text(encoding="utf-8")  # one record: no page
    assert "Fictional Training Centre" in departments and "figures/fictional-cadres-trained/" in departments
    figure = (site / "en" / "figures" / "fictional-cadres-trained" / "index.html").read_text(encoding="utf-8")
    assert "120 cadres attended professional training" in figure  # the translation beside the excerpt
    city = (site / "en" / "departments" / "huaibei-city" / "index.html").read_text(encoding="utf-8")
    assert "the city’s government service windows" in city  # the scope beside the city-level figure
    glossary = (site / "en" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "业务培训" in glossary and "professional training" in glossary
    quality = (site / "en" / "quality" / "index.html").read_text(encoding="utf-8")
    fictional = quality[quality.index(f"<code>{SOURCE}</code>") :].split("</li>")[0]
    assert "13 figures" in fictional and "3 held" in fictional


def rename_sheet(book) -> None:
    book["observations"].title = "观测值"


def rename_value_header(book) -> None:
    book["observations"][f"{letter('value')}1"] = "Value"


VALUE_HEADER = f"observations!{letter('value')}1"
NOT_SAID = "受理事项50万件"
FULL_WIDTH, NEW_YEAR = "４９９０００", dt.datetime(2025, 1, 1)
SEPARATED = {"fix": Text("fix.thousands-separator", {"plain": "499000", "value": "499,000"})}
FULL_WIDE = {"fix": Text("fix.full-width-digits", {"plain": "499000", "value": FULL_WIDTH})}
GLOSSLESS = {"excerpt_en": "the windows accepted 499,000 items over the year"}
HEADING = {"heading": "聚焦“塑身”,优化政务服务流程", "expected": "reshaping"}
ESTIMATE = {"basis": "estimated", "formula": "{fictional-cadres-trained} * 0 + 499000", "decimals": 0}  # recomputes
REFUSED = {  # case → (the values put in the 49.9万 row, or a change to the workbook; the problem's code; some of its
    # parameters; the field of that row whose cell is named, or the cell, when it is not the first field changed)
    "formula-in-a-data-cell": ({"value": "=499000"}, "cell-formula", {"formula": "=499000"}),
    "thousands-separator": ({"value": "499,000"}, "value-not-valid", SEPARATED),
    "full-width-digits": ({"value": FULL_WIDTH}, "value-not-ascii", FULL_WIDE),
    "excel-date-in-a-code": ({"period": NEW_YEAR}, "cell-date-for-text", {"value": "2025-01-01T00:00:00"}),
    "text-that-starts-like-a-formula": ({"note_zh": "+86 热线"}, "text-starts-like-a-formula", {"first": "+"}),
    "value-not-in-its-excerpt": ({"value": 49.9}, "value-not-in-excerpt", {"value": 49.9}),
    "excerpt-not-in-the-source": ({"excerpt": NOT_SAID}, "excerpt-not-verbatim", {"excerpt": NOT_SAID}),
    "unknown-unit": ({"unit_id": "no-such-unit"}, "code-not-found", {"values": "no-such-unit", "table": "units"}),
    "qualifier-against-its-wording": ({"qualifier": "exact"}, "qualifier-against-wording", {"wanted": "approx"}),
    "excerpt-without-translation": ({"excerpt_en": None}, "value-required", {}),
    "translation-without-the-glossary": (GLOSSLESS, "glossary-rendering-missing", {"rendering": "government service"}),
    "city-level-figure-without-scope": ({"scope_zh": None, "scope_en": None}, "city-figure-without-scope", {}),
    "strand-against-its-heading": ({"strand_id": "slimming"}, "strand-not-heading", HEADING),
    "estimate-without-its-range": (ESTIMATE, "estimate-without-range", {}, "lower"),
    "renamed-header": (rename_value_header, "column-renamed", {"name": "value", "header": "Value"}, VALUE_HEADER),
    "renamed-sheet": (rename_sheet, "sheet-missing", {"table": "observations"}, "observations!A1"),
}


FILE_REFUSALS = {  # case → (the file's bytes, or bytes put before parts of the drafted workbook; the refusal's code)
    "not-a-workbook": ("这不是工作簿".encode(), "not-a-workbook"),
    "password-protected": (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(4096), "workbook-encrypted-or-xls"),
    "oversized": (b"PK\x03\x04" + bytes(21 << 20), "workbook-too-large"),
    "zip-bomb": ({"xl/media/zeros.bin": bytes(1 << 20)}, "workbook-too-many-parts"),  # a ratio no workbook has
    "macro-workbook": ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}, "workbook-macros"),
    "entities": ({"xl/workbook.xml": b'<!DOCTYPE w [<!ENTITY a "a"><!ENTITY b "&a;&a;">]>'}, "workbook-xml-entities"),
}


def hostile(drafted: Path, path: Path, content: bytes | dict[str, bytes]) -> Path:
    """A file of these bytes, or the drafted workbook with bytes put before its parts (a new part: its content)."""
    if isinstance(content, bytes):
        path.write_bytes(content)
        return path
    with zipfile.ZipFile(drafted) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in dict.fromkeys([*source.namelist(), *content]):
            target.writestr(name, content.get(name, b"") + (source.read(name) if name in source.NameToInfo else b""))
    return path


@pytest.mark.parametrize("case", [*REFUSED, *FILE_REFUSALS])
def test_a_refused_import_changes_nothing_and_names_the_cell_or_the_file(case, drafted, book, workspace, tmp_path):
    before = csv_bytes(workspace.package)
    if case in FILE_REFUSALS:  # refused before any of its XML is parsed
        content, code = FILE_REFUSALS[case]
        path, params = hostile(drafted, tmp_path / f"{case}.xlsx", content), {}
        where = str(path)
    else:
        change, code, params, *named = REFUSED[case]
        field = named[0] if named else next(iter(change))
        where = field if "!" in field else f"observations!{letter(field)}{row_where(book['observations'], **WINDOW)}"
        path = filled_copy(drafted, tmp_path, change)
    outcome = import_workbook(path, workspace.datasets, FIXTURE_SOURCES)
    assert not outcome.ok and csv_bytes(workspace.package) == before
    problem = find_problem(outcome.problems, code, where, None, **params)
    assert problem.file == where and str(problem) in "\n".join(outcome.lines)  # printed, in Chinese and English
    if case in FILE_REFUSALS:
        assert outcome.problems == [problem] and outcome.marked is None
    else:
        sheet, cell = where.split("!")
        marked = openpyxl.load_workbook(outcome.marked)
        if sheet in marked.sheetnames:  # a renamed sheet keeps its new name on the marked copy
            assert marked[sheet][cell].fill.fgColor.rgb.endswith(MARK.fgColor.rgb[-6:])
            assert problem.text("en") in marked[sheet][cell].comment.text


def test_the_command_line_prints_the_problems_and_exits_1(drafted, book, workspace, tmp_path, capsys):
    workbook = filled_copy(drafted, tmp_path, {"value": "=1+1"})
    code = main(["import", str(workbook), "--datasets", str(workspace.datasets), "--sources", str(FIXTURE_SOURCES)])
    out = capsys.readouterr().out
    where = f"observations!{letter('value')}{row_where(book['observations'], **WINDOW)}"
    assert code == 1 and f"错误 {where}" in out and f"ERROR {where}" in out
    assert "nothing in the package was changed" in out and workbook.with_name("filled.problems.xlsx").is_file()


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice (Debian's libreoffice-calc-nogui)")
def test_libreoffice_opens_the_draft_and_a_workbook_it_saves_imports(drafted, filled, workspace, tmp_path):
    out = tmp_path / "libreoffice"
    command = ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to"]
    command += ["xlsx", "--outdir", str(out), str(filled)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    resaved = out / filled.name
    book = openpyxl.load_workbook(resaved)
    assert book.sheetnames == openpyxl.load_workbook(drafted).sheetnames
    assert book[LISTS].sheet_state == "hidden"
    assert any(v.type == "list" for v in book["observations"].data_validations.dataValidation)
    outcome = import_workbook(resaved, workspace.datasets, FIXTURE_SOURCES)
    assert outcome.ok, "\n".join(outcome.lines)
    assert outcome.added["observations"] == 3
