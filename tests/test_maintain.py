"""Adding a report without a programmer: the fictional report (tests/fixtures/sources, with strand headings like the
real one) drafted against the fixture package, filled as a maintainer would, imported; a refused import changes no byte
of the package and names the cell (sheet, column, row) or the file, in Chinese and English, with the fix, and the
marked copy of the workbook highlights the cell."""

import datetime as dt
import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from scripts.__main__ import main
from scripts.checks.validate import validate_package
from scripts.data.messages import Text
from scripts.data.problems import errors
from scripts.maintain.importer import MARK, import_workbook
from scripts.maintain.workbook import LISTS, MATCH_COLUMNS, NOT_FIGURES, READ_ME
from tests import maintain_support as support
from tests.conftest import FIXTURE_DATASETS, FIXTURE_SOURCES
from tests.maintain_support import CITY, SOURCE, WINDOW, draft, filled_copy, letter, put, records, row_where
from tests.problem_support import find_problem

SHA256 = hashlib.sha256(support.FICTIONAL.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return draft(SOURCE, FIXTURE_DATASETS, FIXTURE_SOURCES, tmp_path_factory.mktemp("drafts") / f"{SOURCE}.xlsx")


@pytest.fixture(scope="module")
def book(drafted: Path):
    return openpyxl.load_workbook(drafted)


@pytest.fixture(scope="module")
def filled(drafted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return filled_copy(drafted, tmp_path_factory.mktemp("filled"))


def validation(book, table: str, name: str):
    """A column's data validation: its input message, and for a coded column its drop-down."""
    validations = book[table].data_validations.dataValidation
    return next(v for v in validations if str(v.sqref).startswith(f"{letter(name, table)}2:"))


def listed(book, table: str, name: str) -> tuple[list[str], str] | None:
    """The codes of a column's drop-down, read from the hidden sheet its range points at, and its error style."""
    if (found := validation(book, table, name)).type != "list":
        return None
    target, cells = found.formula1.split("!")
    assert target == f"'{LISTS}'" and "," not in cells  # a range of the hidden sheet, never an inline list
    return [c.value for row in book[LISTS][cells.replace("$", "")] for c in row if c.value], found.errorStyle


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
    for table, schema in ((t, s) for t, s in support.SCHEMAS.items() if t != "strands"):
        matching = list(MATCH_COLUMNS) if table == "observations" else []  # a restated figure's match, after the fields
        assert support.header(book[table]) == [f["name"] for f in schema["fields"]] + matching, table
        for spec in schema["fields"]:
            message = validation(book, table, spec["name"]).prompt
            assert len(message) <= 255, (table, spec["name"])  # Excel drops a longer input message
            zh, en = spec["description"], spec["description_en"]
            assert message.startswith(zh[:30]) and en[:30] in message, (table, spec["name"], message)
            comment = book[table][f"{letter(spec['name'], table)}1"].comment.text
            assert zh in comment and en in comment  # the whole text, where the message had to shorten it
    assert "not-stated" in validation(book, "observations", "period").prompt
    assert book[LISTS].sheet_state == "hidden"
    fields = {name: {f["name"]: f for f in schema["fields"]} for name, schema in support.SCHEMAS.items()}
    units = [row["unit_id"] for row in support.rows(support.PACKAGE_DIR / "data" / "units.csv")]
    assert listed(book, "observations", "unit_id") == (units, "warning")  # a new unit is a row of the units sheet
    strands = fields["strands"]["strand_id"]["constraints"]["enum"]
    assert listed(book, "observations", "strand_id") == (strands, "stop") == listed(book, "changes", "strand_id")
    for table, name in (("observations", "qualifier"), ("observations", "basis"), ("units", "unit_type")):
        assert listed(book, table, name) == (fields[table][name]["constraints"]["enum"], "stop"), name
    assert listed(book, "observations", "period") is None  # a pattern, not a list: its message names the codes
    assert SOURCE in listed(book, "observations", "source_id")[0]


def test_a_report_without_strand_headings_leaves_the_strand_to_the_maintainer_and_a_verb_may_qualify(tmp_path):
    """约为, 约占: the word that makes a figure approximate is not always 约 alone, right before it."""
    lines = support.FICTIONAL.read_text(encoding="utf-8").splitlines()
    flat = [line for line in lines if "“强身”" not in line and "“塑身”" not in line]
    flat.append("全市精简内设机构40个，精简率约为19.6%，约占全市机构总数的一成。")
    (tmp_path / f"{SOURCE}.txt").write_text("\n".join(flat), encoding="utf-8")
    book = openpyxl.load_workbook(draft(SOURCE, FIXTURE_DATASETS, tmp_path, tmp_path / "flat.xlsx"))
    offered = records(book["observations"])
    assert {r["strand_id"] for r in offered} == {None}
    assert [(r["value"], r["qualifier"], r["excerpt"]) for r in offered[-2:]] == [
        (40, "exact", "全市精简内设机构40个"),
        (19.6, "approx", "精简率约为19.6%"),
    ]
    read_me = book[READ_ME].iter_rows(values_only=True)
    assert any("strand_id" in str(zh) and "strand_id is not pre-filled" in str(en) for zh, en, *_ in read_me)


def test_dates_ordinals_document_numbers_and_word_yi_are_not_offered_but_listed_with_the_reason(book):
    reasons = {r["as written 原文"]: r["reason"] for r in records(book[NOT_FIGURES])}
    assert reasons["〔2025〕3号"] == "a document, licence or registration number" and reasons["第一"] == "an ordinal"
    assert "一线" in reasons and "part of a word" in reasons["一体化"] and reasons["2025年3月"] == "a date or time"
    milestones = {(r["date"], r["precision"], r["start_date"], r["end_date"]) for r in records(book["milestones"])}
    assert ("2025-03", "month", "2025-03-01", "2025-03-31") in milestones
    assert ("2025-H1", "half-year", "2025-01-01", "2025-06-30") in milestones
    assert {r["locator"] for r in records(book["milestones"])} & {2, "2"} == set(), "the dateline is no milestone"


def test_the_read_me_explains_in_both_languages_what_the_maintainer_fills(book):
    assert book.sheetnames[0] == READ_ME
    lines = [(str(a or ""), str(b or "")) for a, b, *_ in book[READ_ME].iter_rows(values_only=True)]
    claims = ("claims", str(len(records(book["claims"]))), "observation_id")  # the report's own numbers
    for zh_words, en_words in [
        (("scope_zh", "scope_en", "全市", CITY), ("scope_zh", "scope_en", "city-level")),
        ((*claims, "候选说法"), (*claims, "candidate claims")),
        (("第 5 段", "“强身”", "strengthening", "第 7 段", "reshaping"), ("paragraph 5", "→ strengthening")),
        (("same", "differs", "preferred", "held_rank"), ("same", "differs", "preferred", "held_rank")),
    ]:
        assert any(all(w in zh for w in zh_words) and all(w in en for w in en_words) for zh, en in lines), en_words
    glossary = support.rows(support.PACKAGE_DIR / "data" / "glossary.csv")
    terms = {(t["term_zh"], t["term_en"]) for t in glossary if not t["variants_zh"]}
    assert terms <= {(zh, en.split(" (not:")[0]) for zh, en in lines}  # 大科室 → big section (not: …)
    assert book["sources"]["A2"].value == SOURCE and book["sources"]["B2"].value.startswith("虚构报道")
    assert book["sources"][f"{letter('sha256', 'sources')}2"].value == SHA256  # the text validation holds the rows to


@pytest.mark.parametrize(
    ("table", "removed", "fields"),
    [
        ("observations", "city-window-completion-rate", ("locator", "value", "strand_id")),
        ("claims", "city-public-satisfaction", ("locator", "excerpt")),
    ],
)
def test_rows_the_package_already_holds_are_listed_apart_and_not_offered_again(
    table, removed, fields, workspace, tmp_path
):
    source = "fictional-2025-06-01-report"  # the fixture's own report
    wanted = [workspace.get(table, removed, field) for field in fields]
    workspace.edit_line(table, removed, lambda line: None)  # a row the package no longer holds
    book = openpyxl.load_workbook(draft(source, workspace.datasets, FIXTURE_SOURCES, tmp_path / "held.xlsx"))
    assert [[str(r[f]) for f in fields] for r in records(book[table])] == [wanted]
    assert book["sources"].max_row == 1  # the source is already in sources.csv
    if table == "observations":
        held = [r["held by 已由此行收录"] for r in records(book["held"]) if r["value"] is not None]  # dates aside
        reported = [r["observation_id"] for r in support.rows(workspace.table(table)) if r["basis"] == "reported"]
        assert sorted(held) == sorted(reported)


def test_the_draft_offers_the_clauses_that_assert_an_effect_as_candidate_claims(book):
    rows = records(book["claims"])
    assert [(r["locator"], r["excerpt"], r["strand_id"]) for r in rows] == [
        (8, "群众满意率约98%", "reshaping"),  # with a figure: its observation is the maintainer's to name
        (8, "服务效率明显提升", "reshaping"),
        (11, "审批时限压缩50%以上", "reshaping"),
    ]  # and not the headings' 提升 and 优化, nor the title's 成效
    for name in ("claim_id", "unit_id", "excerpt_en", "speaker_zh", "observation_id"):
        assert all(r[name] is None for r in rows), f"{name} is the maintainer's to fill"
    assert {r["source_id"] for r in rows} == {SOURCE}


def test_a_filled_workbook_is_appended_in_each_files_own_line_endings_and_the_package_still_validates(
    filled, workspace
):
    units = workspace.table("units")
    units.write_bytes(units.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))  # CRLF, no final newline
    before = support.csv_bytes(workspace.package)
    outcome = import_workbook(filled, workspace.datasets, FIXTURE_SOURCES)
    assert outcome.ok, "\n".join(outcome.lines)
    assert outcome.added == dict(sources=1, observations=3, milestones=1, claims=1, units=1, indicators=1, glossary=1)
    assert "10 in observations" in outcome.lines[1] and "observations 表 10 行" in outcome.lines[0]
    after = support.csv_bytes(workspace.package)
    for name, old in before.items():
        assert after[name].startswith(old), name  # appended: every old byte where it was
    unit = f"\r\n{support.NEW_UNIT},虚构培训中心,Fictional Training Centre,培训中心,Training Centre,government\r\n"
    assert after["units.csv"] == before["units.csv"] + unit.encode()  # the file's CRLF, its last line ended first
    assert after["observations.csv"].count(b"\r") == 0  # and the other files' LF
    new = after["observations.csv"][len(before["observations.csv"]) :].decode().splitlines()
    assert new[0] == (
        "fictional-cadres-trained,fictional-training-centre,fictional_cadres_trained,strengthening,2025,120,exact,"
        f"reported,,,,,,,{SOURCE},6,市干部培训中心全年共有一百二十名干部参加业务培训,"
        "120 cadres attended professional training at the Municipal Cadre Training Centre over the year,,,,"
    )
    assert new[1].startswith(f"fictional-window-items,{CITY},window_items_accepted,reshaping,2025,499000,approx,")
    assert ",全市政务服务窗口,the city’s government service windows," in new[1]
    assert new[2].startswith(f"fictional-rules-revised,{CITY},rules_revised,overview,not-stated,12,at-least,")
    assert after["glossary.csv"][len(before["glossary.csv"]) :].decode().startswith(f"{support.NEW_TERM},业务培训,")
    assert after["change-types.csv"] == before["change-types.csv"]
    claim = f"service-efficiency,{CITY},reshaping,{SOURCE},8,服务效率明显提升,service efficiency rose,,,,,"
    assert after["claims.csv"][len(before["claims.csv"]) :].decode().splitlines() == [claim]
    source = after["sources.csv"][len(before["sources.csv"]) :].decode()
    assert source.startswith(SOURCE) and source.rstrip().endswith(SHA256)
    assert errors(validate_package(workspace.package, FIXTURE_SOURCES).problems) == []


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


def rename_sheet(book) -> None:
    book["observations"].title = "观测值"


def rename_value_header(book) -> None:
    book["observations"][f"{letter('value')}1"] = "Value"


def claim_a_figure(book) -> None:
    put(book["claims"], 2, claim_id="satisfaction", unit_id=CITY, excerpt_en="public satisfaction was about 98%")


VALUE_HEADER = f"observations!{letter('value')}1"
CLAIM = f"claims!{letter('observation_id', 'claims')}2"  # 群众满意率约98%, the first candidate claim
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
    "claim-stating-a-figure-without-its-observation": (claim_a_figure, "claim-figure-without-observation", {}, CLAIM),
    "logical-value": ({"note_zh": True}, "cell-logical-value", {"value": "TRUE"}),
    "number-for-text": ({"note_zh": 1.5}, "cell-number-for-text", {"value": 1.5}),
    "unknown-sheet": (lambda book: book.create_sheet("备注"), "sheet-unknown", {"sheet": "备注"}, "备注!A1"),
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
    before = support.csv_bytes(workspace.package)
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
    assert not outcome.ok and support.csv_bytes(workspace.package) == before
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
