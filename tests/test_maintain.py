"""Adding a report without a programmer: draft a workbook from its text, fill it as a maintainer would, import it.

The report is fictional (tests/fixtures/sources/fictional-2026-01-10-report.txt), written for these tests and never
published; like the real one it puts its figures under headings that name the reform's strands. It is drafted against
and imported into the fictional fixture package (tests/fixtures/datasets). Every refusal must leave each CSV byte for
byte as it was and name the sheet and the cell.
"""

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
from scripts.data.problems import errors
from scripts.maintain.importer import MARK, import_workbook
from scripts.maintain.workbook import LISTS, NOT_FIGURES, READ_ME
from tests.conftest import FIXTURE, FIXTURE_DATASETS, FIXTURE_SOURCES, Workspace
from tests.problem_support import find_problem

SOURCE = "fictional-2026-01-10-report"
FICTIONAL = FIXTURE_SOURCES / f"{SOURCE}.txt"
PACKAGE_DIR = FIXTURE_DATASETS / FIXTURE
CITY = "fictional-city"
NEW_UNIT = "fictional-training-centre"
NEW_INDICATOR = "fictional_cadres_trained"
NEW_TERM = "yewu-peixun"
DESCRIPTOR = json.loads((PACKAGE_DIR / "datapackage.json").read_text(encoding="utf-8"))
SCHEMAS = {r["name"]: r["schema"] for r in DESCRIPTOR["resources"]}
WINDOW = {"value": 499000, "locator": 8}  # 49.9万件, a city-level figure under the heading of reshaping


@pytest.fixture(scope="module")
def sources() -> Path:
    return FIXTURE_SOURCES


def draft(source: str, datasets: Path, sources: Path, output: Path) -> Path:
    assert main(["draft", source, "--datasets", str(datasets), "--sources", str(sources), "--output", str(output)]) == 0
    return output


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory, sources: Path) -> Path:
    return draft(SOURCE, FIXTURE_DATASETS, sources, tmp_path_factory.mktemp("drafts") / f"{SOURCE}.xlsx")


def header(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def column(sheet, name: str) -> str:
    return get_column_letter(header(sheet).index(name) + 1)


def records(sheet) -> list[dict]:
    names = header(sheet)
    return [dict(zip(names, row, strict=False)) for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]


def row_where(sheet, **wanted) -> int:
    names = header(sheet)
    for cells in sheet.iter_rows(min_row=2):
        values = dict(zip(names, (c.value for c in cells), strict=False))
        if all(values.get(k) == v for k, v in wanted.items()):
            return cells[0].row
    raise AssertionError(f"no row of {sheet.title} with {wanted}")


def put(sheet, row: int, **values) -> None:
    names = header(sheet)
    for name, value in values.items():
        sheet.cell(row=row, column=names.index(name) + 1).value = value


def append(sheet, **values) -> int:
    row = sheet.max_row + 1
    put(sheet, row, **values)
    return row


def fill(book) -> None:
    """What a maintainer does in Excel: complete the source, add a unit, an indicator and a glossary term, choose the
    codes (keeping two pre-filled strands, choosing overview for the third), translate every excerpt with the
    glossary's renderings, state the scope of the city-level figures, and give ids."""
    put(book["sources"], 2, publisher_zh="测试用虚构来源", publisher_en="Fictional source for tests",
        title_en="A fictional report (for tests only, never published): the “big section” reform one year on brings "
        "new outcomes", authors_zh="记者 虚构", published="2026-01-10T08:00:00+08:00",
        url="https://example.invalid/fictional-report")  # fmt: skip
    append(book["units"], unit_id=NEW_UNIT, name_zh="虚构培训中心", name_en="Fictional Training Centre",
        short_name_zh="培训中心", short_name_en="Training Centre", unit_type="government")  # fmt: skip
    append(book["indicators"], indicator_id=NEW_INDICATOR, name_zh="参加培训的干部数", name_en="Cadres trained",
        definition_zh="参加业务培训的干部人数", definition_en="Cadres who attended professional training",
        unit_zh="名", unit_en="cadres")  # fmt: skip
    append(book["glossary"], term_id=NEW_TERM, term_zh="业务培训", pinyin="yèwù péixùn",
        term_en="professional training", definition_zh="干部参加的业务知识和技能培训",
        definition_en="Training of cadres in the knowledge and skills of their work",
        rendering_source_zh="本站译名", rendering_source_en="Our rendering")  # fmt: skip
    obs = book["observations"]
    put(obs, row_where(obs, value=120), observation_id="fictional-cadres-trained", unit_id=NEW_UNIT,
        indicator_id=NEW_INDICATOR, period="2025",
        excerpt_en="120 cadres attended professional training at the Municipal Cadre Training Centre over the year",
    )  # fmt: skip
    put(obs, row_where(obs, **WINDOW), observation_id="fictional-window-items", unit_id=CITY,
        indicator_id="window_items_accepted", period="2025", scope_zh="全市政务服务窗口",
        scope_en="the city’s government service windows",
        excerpt_en="government service windows accepted 499,000 items over the year")  # fmt: skip
    put(obs, row_where(obs, value=12), observation_id="fictional-rules-revised", unit_id=CITY,
        indicator_id="rules_revised", strand_id="overview", period="not-stated", scope_zh="全市",
        scope_en="the city as a whole", excerpt_en="more than 12 rules were revised")  # fmt: skip
    milestones = book["milestones"]
    put(milestones, row_where(milestones, date="2025-03"), milestone_id="fictional-notice", unit_id=CITY,
        event_type="launch", event_zh="印发通知", event_en="Notice issued",
        excerpt_en="in March 2025 the Municipal Party Committee’s Commission Office for Public Sector Reform issued "
        "document Huaibian [2025] No. 3")  # fmt: skip


def filled_copy(drafted: Path, folder: Path, change: Callable | None = None) -> Path:
    book = openpyxl.load_workbook(drafted)
    fill(book)
    if change:
        change(book)
    path = folder / "filled.xlsx"
    book.save(path)
    return path


def csv_bytes(package: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((package / "data").glob("*.csv"))}


def listed(book, table: str, name: str) -> tuple[list[str], str] | None:
    """The codes of a column's drop-down, read from the hidden sheet its range points at, and its error style."""
    sheet = book[table]
    letter = column(sheet, name)
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list" and str(validation.sqref).startswith(f"{letter}2:"):
            target, cells = validation.formula1.split("!")
            assert target == f"'{LISTS}'" and "," not in cells  # a range of the hidden sheet, never an inline list
            first, last = cells.replace("$", "").split(":")
            codes = [c.value for row in book[LISTS][f"{first}:{last}"] for c in row if c.value]
            return codes, validation.errorStyle
    return None


def prompt(book, table: str, name: str) -> str:
    letter = column(book[table], name)
    return next(v.prompt for v in book[table].data_validations.dataValidation if str(v.sqref).startswith(f"{letter}2:"))


def read_me(book) -> list[tuple[str, str]]:
    return [(str(a or ""), str(b or "")) for a, b, *_ in book[READ_ME].iter_rows(values_only=True)]


# ---- the draft ---------------------------------------------------------------------------------------------------


def test_the_draft_offers_every_figure_with_its_paragraph_clause_value_qualifier_and_strand(drafted):
    book = openpyxl.load_workbook(drafted)
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


def test_every_sheet_has_its_tables_columns_as_the_descriptor_lists_them(drafted):
    book = openpyxl.load_workbook(drafted)
    for table, schema in SCHEMAS.items():
        if table == "strands":
            assert table not in book.sheetnames  # the report's parts: a closed list the workbook cannot add to
            continue
        assert header(book[table]) == [f["name"] for f in schema["fields"]], table
    assert {"strand_id", "excerpt_en", "lower", "upper", "scope_zh", "scope_en"} <= set(header(book["observations"]))
    assert {"strand_id", "excerpt_en"} <= set(header(book["changes"]))
    assert "excerpt_en" in header(book["milestones"]) and "strand_id" not in header(book["indicators"])


def test_a_report_without_strand_headings_leaves_the_strand_to_the_maintainer(tmp_path):
    lines = FICTIONAL.read_text(encoding="utf-8").splitlines()
    flat = "\n".join(line for line in lines if "“强身”" not in line and "“塑身”" not in line)
    (tmp_path / f"{SOURCE}.txt").write_text(flat, encoding="utf-8")
    book = openpyxl.load_workbook(draft(SOURCE, FIXTURE_DATASETS, tmp_path, tmp_path / "flat.xlsx"))
    assert {r["strand_id"] for r in records(book["observations"])} == {None}
    assert any("strand_id" in zh and "strand_id is not pre-filled" in en for zh, en in read_me(book))


def test_dates_ordinals_document_numbers_and_word_yi_are_not_offered_but_listed_with_the_reason(drafted):
    book = openpyxl.load_workbook(drafted)
    listed = {(r["as written 原文"], r["reason"]) for r in records(book[NOT_FIGURES])}
    assert ("〔2025〕3号", "a document, licence or registration number") in listed
    assert ("第一", "an ordinal") in listed
    assert ("一线", next(reason for text, reason in listed if text == "一线")) in listed
    assert any(text == "一体化" and "part of a word" in reason for text, reason in listed)
    assert ("2025年3月", "a date or time") in listed
    milestones = {(r["date"], r["precision"], r["start_date"], r["end_date"]) for r in records(book["milestones"])}
    assert ("2025-03", "month", "2025-03-01", "2025-03-31") in milestones
    assert ("2025-H1", "half-year", "2025-01-01", "2025-06-30") in milestones


def test_the_read_me_explains_in_both_languages_what_the_maintainer_fills(drafted):
    book = openpyxl.load_workbook(drafted)
    assert book.sheetnames[0] == READ_ME
    lines = read_me(book)
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


def test_every_column_has_a_bilingual_input_message_from_its_field_description(drafted):
    book = openpyxl.load_workbook(drafted)
    for table, schema in SCHEMAS.items():
        if table not in book.sheetnames:
            continue
        for spec in schema["fields"]:
            message = prompt(book, table, spec["name"])
            assert len(message) <= 255, (table, spec["name"])  # Excel drops a longer input message
            zh, en = spec["description"], spec["description_en"]
            assert message.startswith(zh[:30]) and en[:30] in message, (table, spec["name"], message)
            comment = book[table][f"{column(book[table], spec['name'])}1"].comment.text
            assert zh in comment and en in comment  # the whole text, where the message had to shorten it
    assert "not-stated" in prompt(book, "observations", "period")


def test_coded_columns_have_drop_downs_on_the_hidden_lists_sheet(drafted):
    book = openpyxl.load_workbook(drafted)
    assert book[LISTS].sheet_state == "hidden"
    fields = {name: {f["name"]: f for f in schema["fields"]} for name, schema in SCHEMAS.items()}
    with (PACKAGE_DIR / "data" / "units.csv").open(encoding="utf-8", newline="") as file:
        units = [row["unit_id"] for row in csv.DictReader(file)]
    assert listed(book, "observations", "unit_id") == (units, "warning")  # a new unit is a row of the units sheet
    strands = fields["strands"]["strand_id"]["constraints"]["enum"]
    assert listed(book, "observations", "strand_id") == (strands, "stop") == listed(book, "changes", "strand_id")
    for table, name in (("observations", "qualifier"), ("observations", "basis"), ("units", "unit_type")):
        assert listed(book, table, name) == (fields[table][name]["constraints"]["enum"], "stop"), name
    assert "estimated" in listed(book, "observations", "basis")[0]
    assert "unstated" in listed(book, "units", "unit_type")[0]
    assert listed(book, "observations", "period") is None  # a pattern, not a list: its message names the codes
    assert SOURCE in listed(book, "observations", "source_id")[0]


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


# ---- the import ----------------------------------------------------------------------------------------------------


def test_a_filled_workbook_is_imported_appended_and_the_package_still_validates(drafted, sources, workspace, tmp_path):
    before = csv_bytes(workspace.package)
    outcome = import_workbook(filled_copy(drafted, tmp_path), workspace.datasets, sources)
    assert outcome.ok, "\n".join(outcome.lines)
    added = {"sources": 1, "observations": 3, "milestones": 1, "units": 1, "indicators": 1, "glossary": 1}
    assert outcome.added == added
    assert "10 in observations" in outcome.lines[1] and "observations 表 10 行" in outcome.lines[0]
    after = csv_bytes(workspace.package)
    for name, old in before.items():
        assert after[name].startswith(old), name  # appended: every old byte where it was
    assert after["units.csv"].endswith(
        b"fictional-training-centre,\xe8\x99\x9a\xe6\x9e\x84\xe5\x9f\xb9\xe8\xae\xad\xe4\xb8\xad\xe5\xbf\x83,"
        b"Fictional Training Centre,\xe5\x9f\xb9\xe8\xae\xad\xe4\xb8\xad\xe5\xbf\x83,Training Centre,government\n"
    )
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
    assert errors(validate_package(workspace.package, sources).problems) == []


def test_rows_are_written_in_each_files_own_line_endings_and_quoting(drafted, sources, workspace, tmp_path):
    units = workspace.table("units")
    units.write_bytes(units.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))  # CRLF, no final newline
    old = units.read_bytes()
    assert import_workbook(filled_copy(drafted, tmp_path), workspace.datasets, sources).ok
    new = units.read_bytes()
    assert new.startswith(old) and new[len(old) :].startswith(b"\r\nfictional-training-centre,")
    assert new.endswith(b",government\r\n") and b"\n" not in new.replace(b"\r\n", b"")


def _in_the_real_city(book) -> None:
    """The filled rows of the fixture's city, given to the real package's city instead."""
    for sheet in (book["observations"], book["milestones"]):
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, header(sheet).index("unit_id") + 1).value == CITY:
                put(sheet, row, unit_id="huaibei-city")


def test_the_site_built_after_an_import_shows_the_new_figures(sources, tmp_path):
    """Built from the real data (the site's pages cite its rows), with the fictional report imported into a copy."""
    from scripts.data.paths import sources_dir
    from tests.conftest import PACKAGE
    from tests.site_support import build_site

    workspace = Workspace(tmp_path / "real", real=True)
    drafted = draft(SOURCE, workspace.datasets, sources, tmp_path / "real.xlsx")
    assert import_workbook(filled_copy(drafted, tmp_path, _in_the_real_city), workspace.datasets, sources).ok
    everything = tmp_path / "all-sources"
    shutil.copytree(sources_dir(), everything)
    shutil.copy(FICTIONAL, everything)
    site = tmp_path / "site"
    result = build_site(site, DATASETS_DIR=str(workspace.datasets), SOURCES_DIR=str(everything))
    assert result.returncode == 0, result.stdout + result.stderr
    table = (site / "data" / PACKAGE / "observations" / "index.html").read_text(encoding="utf-8")
    assert "fictional-cadres-trained" in table and "市干部培训中心全年共有一百二十名干部参加业务培训" in table
    department = (site / "en" / "departments" / NEW_UNIT / "index.html").read_text(encoding="utf-8")
    assert "Fictional Training Centre" in department and "120" in department
    assert "120 cadres attended professional training" in department  # the translation beside the excerpt
    city = (site / "en" / "departments" / "huaibei-city" / "index.html").read_text(encoding="utf-8")
    assert "the city’s government service windows" in city  # the scope beside the city-level figure
    glossary = (site / "en" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "业务培训" in glossary and "professional training" in glossary
    quality = (site / "en" / "quality" / "index.html").read_text(encoding="utf-8")
    fictional = quality[quality.index(f"<code>{SOURCE}</code>") :].split("</li>")[0]
    assert "13 figures" in fictional and "3 held" in fictional
    if (everything / "hbnews-2025-04-18-dakeshi.txt").is_file():  # the real report: every reported value held
        real = quality[quality.index("<code>hbnews-2025-04-18-dakeshi</code>") :].split("</li>")[0]
        with (workspace.table("observations")).open(encoding="utf-8", newline="") as file:
            reported = [r for r in csv.DictReader(file) if r["basis"] == "reported" and r["source_id"] != SOURCE]
        assert f"{len(reported)} held" in real


# ---- refusals: nothing written, the sheet and the cell named ----------------------------------------------------


def _window(book) -> int:
    return row_where(book["observations"], **WINDOW)


def _at(name: str) -> Callable:
    """The cell of a field of the 49.9万 row, as the import names it."""
    return lambda book: f"observations!{column(book['observations'], name)}{_window(book)}"


def _change(**values) -> Callable:
    return lambda book: put(book["observations"], _window(book), **values)


def _rename_header(book) -> None:
    book["observations"][f"{column(book['observations'], 'value')}1"] = "Value"


REFUSED = {  # change to the filled workbook → (where, the problem's code, some of its parameters)
    "formula-in-a-data-cell": (_change(value="=499000"), _at("value"), "cell-formula", {"formula": "=499000"}),
    "thousands-separator": (
        _change(value="499,000"),
        _at("value"),
        "value-not-valid",
        {"fix": Text("fix.thousands-separator", {"plain": "499000", "value": "499,000"})},
    ),
    "full-width-digits": (
        _change(value="４９９０００"),
        _at("value"),
        "value-not-ascii",
        {"fix": Text("fix.full-width-digits", {"plain": "499000", "value": "４９９０００"})},
    ),
    "excel-date-in-a-code": (
        _change(period=dt.datetime(2025, 1, 1)),
        _at("period"),
        "cell-date-for-text",
        {"value": "2025-01-01T00:00:00"},
    ),
    "text-that-starts-like-a-formula": (
        _change(note_zh="+86 热线"),
        _at("note_zh"),
        "text-starts-like-a-formula",
        {"first": "+"},
    ),
    "value-not-in-its-excerpt": (_change(value=49.9), _at("value"), "value-not-in-excerpt", {"value": 49.9}),
    "excerpt-not-in-the-source": (
        _change(excerpt="受理事项50万件"),
        _at("excerpt"),
        "excerpt-not-verbatim",
        {"excerpt": "受理事项50万件"},
    ),
    "unknown-unit": (
        _change(unit_id="no-such-unit"),
        _at("unit_id"),
        "code-not-found",
        {"values": "no-such-unit", "table": "units"},
    ),
    "qualifier-against-its-wording": (
        _change(qualifier="exact"),
        _at("qualifier"),
        "qualifier-against-wording",
        {"wanted": "approx"},
    ),
    "excerpt-without-translation": (_change(excerpt_en=None), _at("excerpt_en"), "value-required", {}),
    "translation-without-the-glossary": (
        _change(excerpt_en="the windows accepted 499,000 items over the year"),
        _at("excerpt_en"),
        "glossary-rendering-missing",
        {"rendering": "government service"},
    ),
    "city-level-figure-without-scope": (
        _change(scope_zh=None, scope_en=None),
        _at("scope_zh"),
        "city-figure-without-scope",
        {},
    ),
    "strand-against-its-heading": (
        _change(strand_id="slimming"),
        _at("strand_id"),
        "strand-not-heading",
        {"heading": "聚焦“塑身”,优化政务服务流程", "expected": "reshaping"},
    ),
    "estimate-without-its-range": (
        _change(basis="estimated", formula="{fictional-cadres-trained} * 0 + 499000", decimals=0),  # it recomputes
        _at("lower"),
        "estimate-without-range",
        {},
    ),
    "renamed-header": (
        _rename_header,
        lambda book: f"observations!{column(book['observations'], 'value')}1",
        "column-renamed",
        {"name": "value", "header": "Value"},
    ),
    "renamed-sheet": (
        lambda book: setattr(book["observations"], "title", "观测值"),
        lambda book: "observations!A1",
        "sheet-missing",
        {"table": "observations"},
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refused_workbook_changes_nothing_and_names_the_sheet_and_cell(case, drafted, sources, workspace, tmp_path):
    change, where_of, code, params = REFUSED[case]
    before = csv_bytes(workspace.package)
    probe = openpyxl.load_workbook(drafted)
    fill(probe)
    where = where_of(probe)
    workbook = filled_copy(drafted, tmp_path, change)
    outcome = import_workbook(workbook, workspace.datasets, sources)
    assert not outcome.ok
    assert csv_bytes(workspace.package) == before
    problem = find_problem(outcome.problems, code, where, None, **params)
    assert problem.file == where
    assert str(problem) in "\n".join(outcome.lines)  # printed, in Chinese and English
    marked = openpyxl.load_workbook(outcome.marked)
    sheet, cell = where.split("!")
    if sheet in marked.sheetnames:
        assert marked[sheet][cell].fill.fgColor.rgb.endswith(MARK.fgColor.rgb[-6:])
        assert problem.text("en") in marked[sheet][cell].comment.text


def _zip_with(drafted: Path, path: Path, extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(drafted) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info.filename)))
        for name, data in extra.items():
            target.writestr(name, data)
    return path


def _files() -> dict[str, tuple[Callable[[Path, Path], Path], str]]:
    def write(name: str, data: bytes) -> Callable[[Path, Path], Path]:
        def make(_: Path, folder: Path) -> Path:
            (folder / name).write_bytes(data)
            return folder / name

        return make

    def entity(drafted: Path, folder: Path) -> Path:
        with zipfile.ZipFile(drafted) as source:
            workbook_xml = source.read("xl/workbook.xml")
        declaration, _, rest = (
            workbook_xml.partition(b"?>") if workbook_xml.startswith(b"<?xml") else (b"", b"", workbook_xml)
        )
        doctype = b'<!DOCTYPE w [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        hostile = (declaration + b"?>" if declaration else b"") + doctype + rest
        return _zip_with(drafted, folder / "entity.xlsx", {}, {"xl/workbook.xml": hostile})

    def bomb(drafted: Path, folder: Path) -> Path:
        return _zip_with(drafted, folder / "bomb.xlsx", {"xl/media/zeros.bin": b"\0" * (30 << 20)})

    def macro(drafted: Path, folder: Path) -> Path:
        return _zip_with(drafted, folder / "macro.xlsx", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})

    return {  # case → (how the file is made, the refusal's code)
        "not-a-workbook": (write("notes.xlsx", "这不是工作簿".encode()), "not-a-workbook"),
        "password-protected": (
            write("locked.xlsx", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4096),
            "workbook-encrypted-or-xls",
        ),
        "oversized": (write("huge.xlsx", b"PK\x03\x04" + b"\0" * (21 << 20)), "workbook-too-large"),
        "zip-bomb": (bomb, "workbook-too-many-parts"),
        "macro-workbook": (macro, "workbook-macros"),
        "xml-entities": (entity, "workbook-xml-entities"),
    }


FILE_REFUSALS = _files()


@pytest.mark.parametrize("case", list(FILE_REFUSALS))
def test_a_file_that_is_not_a_plain_workbook_is_refused_before_it_is_parsed(
    case, drafted, sources, workspace, tmp_path
):
    before = csv_bytes(workspace.package)
    make, code = FILE_REFUSALS[case]
    path = make(drafted, tmp_path)
    outcome = import_workbook(path, workspace.datasets, sources)
    assert not outcome.ok and outcome.marked is None
    assert csv_bytes(workspace.package) == before
    assert [(p.code, p.file) for p in outcome.problems] == [(code, str(path))]
    assert str(outcome.problems[0]) in "\n".join(outcome.lines)


def test_a_row_without_an_id_is_left_out_and_counted(drafted, sources, workspace, tmp_path):
    def unfill(book) -> None:
        put(book["milestones"], row_where(book["milestones"], milestone_id="fictional-notice"), milestone_id=None)

    outcome = import_workbook(filled_copy(drafted, tmp_path, unfill), workspace.datasets, sources)
    assert outcome.ok and "milestones" not in outcome.added
    assert "3 in milestones" in outcome.lines[1]  # the two dates offered, and this one


def test_the_command_line_prints_the_problems_and_exits_1(drafted, sources, workspace, tmp_path, capsys):
    workbook = filled_copy(drafted, tmp_path, _change(value="=1+1"))
    code = main(["import", str(workbook), "--datasets", str(workspace.datasets), "--sources", str(sources)])
    out = capsys.readouterr().out
    where = _at("value")(openpyxl.load_workbook(drafted))
    assert (
        code == 1 and f"错误 {where}" in out and f"ERROR {where}" in out and "nothing in the package was changed" in out
    )
    assert workbook.with_name("filled.problems.xlsx").is_file()


@pytest.mark.skipif(
    not shutil.which("soffice"), reason="LibreOffice (Debian's libreoffice-calc-nogui) is not installed"
)
def test_libreoffice_opens_the_draft_and_a_workbook_it_saves_imports(drafted, sources, workspace, tmp_path):
    filled = filled_copy(drafted, tmp_path)
    out = tmp_path / "libreoffice"
    command = ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to"]
    command += ["xlsx", "--outdir", str(out), str(filled)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    resaved = out / filled.name
    book = openpyxl.load_workbook(resaved)
    assert book.sheetnames == openpyxl.load_workbook(drafted).sheetnames
    assert book[LISTS].sheet_state == "hidden"
    assert any(v.type == "list" for v in book["observations"].data_validations.dataValidation)
    outcome = import_workbook(resaved, workspace.datasets, sources)
    assert outcome.ok, "\n".join(outcome.lines)
    assert outcome.added["observations"] == 3
