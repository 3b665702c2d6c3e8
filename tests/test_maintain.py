"""Adding a report without a programmer: draft a workbook from its text, fill it as a maintainer would, import it.

The report is fictional (tests/fixtures/fictional-2026-01-10-report.txt), written for these tests and never
published. Every refusal must leave each CSV byte for byte as it was and name the sheet and the cell.
"""

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from scripts.__main__ import main
from scripts.checks.validate import validate_package
from scripts.data.paths import DATASETS
from scripts.data.problems import errors
from scripts.maintain.importer import MARK, import_workbook, marked_path
from scripts.maintain.workbook import LISTS, NOT_FIGURES, READ_ME
from tests.conftest import PACKAGE

FICTIONAL = Path(__file__).parent / "fixtures" / "fictional-2026-01-10-report.txt"
SOURCE = "fictional-2026-01-10-report"
NEW_UNIT = "fictional-training-centre"
NEW_INDICATOR = "fictional_cadres_trained"


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sources")
    shutil.copy(FICTIONAL, folder / f"{SOURCE}.txt")
    return folder


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory, sources: Path) -> Path:
    output = tmp_path_factory.mktemp("drafts") / f"{SOURCE}.xlsx"
    assert main(["draft", SOURCE, "--sources", str(sources), "--output", str(output)]) == 0
    return output


def header(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


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
    """What a maintainer does in Excel: complete the source, add a unit and an indicator, choose codes, give ids."""
    put(
        book["sources"],
        2,
        title_en="A fictional report for the tests",
        publisher_zh="测试用虚构来源",
        publisher_en="Fictional source for tests",
        authors_zh="记者 虚构",
        published="2026-01-10T08:00:00+08:00",
        url="https://example.invalid/fictional-report",
    )
    append(
        book["units"],
        unit_id=NEW_UNIT,
        name_zh="虚构培训中心",
        name_en="Fictional Training Centre",
        short_name_zh="培训中心",
        short_name_en="Training Centre",
        unit_type="government",
    )
    append(
        book["indicators"],
        indicator_id=NEW_INDICATOR,
        name_zh="参加培训的干部数",
        name_en="Cadres trained",
        definition_zh="参加业务培训的干部人数",
        definition_en="Cadres who attended training",
        unit_zh="名",
        unit_en="cadres",
        strand_id="strengthening",
    )
    obs = book["observations"]
    put(obs, row_where(obs, value=120), observation_id="fictional-cadres-trained", unit_id=NEW_UNIT,
        indicator_id=NEW_INDICATOR, period="2025")  # fmt: skip
    put(obs, row_where(obs, value=499000, locator=6), observation_id="fictional-window-items",
        unit_id="data-resources-bureau", indicator_id="window_items_accepted", period="2025")  # fmt: skip
    put(obs, row_where(obs, value=12), observation_id="fictional-rules-revised", unit_id="government-office",
        indicator_id="rules_revised", period="2025")  # fmt: skip
    milestones = book["milestones"]
    put(milestones, row_where(milestones, date="2025-03"), milestone_id="fictional-notice", unit_id="huaibei-city",
        event_type="launch", event_zh="印发通知", event_en="Notice issued")  # fmt: skip


def filled_copy(drafted: Path, folder: Path, change: Callable | None = None) -> Path:
    book = openpyxl.load_workbook(drafted)
    fill(book)
    if change:
        change(book)
    path = folder / "filled.xlsx"
    book.save(path)
    return path


def csv_bytes(datasets: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((datasets / PACKAGE / "data").glob("*.csv"))}


# ---- the draft ---------------------------------------------------------------------------------------------------


def test_the_draft_offers_every_figure_with_its_paragraph_clause_value_and_qualifier(drafted):
    book = openpyxl.load_workbook(drafted)
    rows = records(book["observations"])
    offered = [(r["locator"], r["value"], r["qualifier"], r["excerpt"]) for r in rows]
    assert offered == [
        (4, 5, "exact", "第一批选取5家单位深入一线开展调研"),
        (5, 120, "exact", "全市共有一百二十名干部参加业务培训"),
        (5, 60, "exact", "其中百分之六十来自基层"),
        (6, 499000, "exact", "政务服务窗口全年受理事项49.9万件"),
        (6, 98, "approx", "群众满意率约98%"),
        (7, 120000000, "exact", "全市统筹资金1.2亿元"),
        (7, 23000000, "exact", "其中两千三百万元用于一体化平台建设"),
        (8, 499000, "exact", "线上办件量达四十九点九万件"),
        (8, 20, "approx", "较上年增长20%左右"),
        (9, 30, "approx", "近30个部门完成流程再造"),
        (9, 12, "at-least", "超过12项制度得到修订"),
        (9, 8000, "at-least", "逾8000名群众参与评议"),
        (9, 50, "at-least", "审批时限压缩50%以上"),
    ]
    assert all(r["observation_id"] is None and r["unit_id"] is None and r["period"] is None for r in rows)
    assert {(r["source_id"], r["basis"]) for r in rows} == {(SOURCE, "reported")}
    assert header(book["observations"])[:5] == ["observation_id", "unit_id", "indicator_id", "period", "value"]


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


def test_the_workbook_explains_itself_and_its_drop_downs_refer_to_a_hidden_list(drafted):
    book = openpyxl.load_workbook(drafted)
    assert book.sheetnames[0] == READ_ME and book[LISTS].sheet_state == "hidden"
    readme = "\n".join(str(c.value) for row in book[READ_ME].iter_rows() for c in row if c.value)
    for words in ("observation_id", "units", "make import", "新增单位或指标", "Adding a unit", "下拉列表"):
        assert words in readme
    obs = book["observations"]
    for column, spec in zip("ABCD", ("观测值编号", "单位编号", "指标编号", "参照期"), strict=True):
        assert spec in obs[f"{column}1"].comment.text and "Observation id"[:2] in obs["A1"].comment.text
    lists = {str(v.sqref).split(":")[0]: v for v in obs.data_validations.dataValidation if v.type == "list"}
    unit_list = lists["B2"].formula1
    assert unit_list.startswith(f"'{LISTS}'!$") and "," not in unit_list  # a range, never an inline list
    target = book[LISTS]
    column = unit_list.split("!$")[1].split("$")[0]
    codes = [c.value for c in target[column][1:] if c.value]
    assert "huaibei-city" in codes and len(codes) == 15
    assert lists["F2"].errorStyle == "stop"  # qualifier: a closed list
    assert book["sources"]["A2"].value == SOURCE and book["sources"]["B2"].value.startswith("虚构报道")


def test_figures_the_package_already_holds_are_listed_apart_and_not_offered_again(archived_source, tmp_path):
    output = tmp_path / "real.xlsx"
    assert main(["draft", archived_source.stem, "--sources", str(archived_source.parent), "--output", str(output)]) == 0
    book = openpyxl.load_workbook(output)
    held = [r for r in records(book["held"]) if r["value"] is not None]  # figures; dates held by milestones aside
    assert len(held) == 28 and {"data-window-items-accepted", "drc-sections-before"} <= {
        r["held by 已由此行收录"] for r in held
    }
    offered = records(book["observations"])
    assert [(r["locator"], r["value"]) for r in offered] == [(18, 2)]  # quoted only in a change's excerpt
    assert book["sources"].max_row == 1  # the source is already in sources.csv


# ---- the import --------------------------------------------------------------------------------------------------


def test_a_filled_workbook_is_imported_appended_and_the_package_still_validates(drafted, sources, workspace, tmp_path):
    before = csv_bytes(workspace.datasets)
    outcome = import_workbook(filled_copy(drafted, tmp_path), workspace.datasets, sources)
    assert outcome.ok, "\n".join(outcome.lines)
    assert outcome.added == {"sources": 1, "observations": 3, "milestones": 1, "units": 1, "indicators": 1}
    assert "10 in observations" in outcome.lines[1] and "observations 表 10 行" in outcome.lines[0]
    after = csv_bytes(workspace.datasets)
    for name, old in before.items():
        assert after[name].startswith(old), name  # appended: every old byte where it was
    assert after["units.csv"].endswith(
        b"fictional-training-centre,\xe8\x99\x9a\xe6\x9e\x84\xe5\x9f\xb9\xe8\xae\xad\xe4\xb8\xad\xe5\xbf\x83,"
        b"Fictional Training Centre,\xe5\x9f\xb9\xe8\xae\xad\xe4\xb8\xad\xe5\xbf\x83,Training Centre,government\n"
    )
    new = after["observations.csv"][len(before["observations.csv"]) :].decode()
    assert new.splitlines()[0] == (
        "fictional-cadres-trained,fictional-training-centre,fictional_cadres_trained,2025,120,exact,reported,,,"
        f"{SOURCE},5,全市共有一百二十名干部参加业务培训,,"
    )
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


def test_the_site_built_after_an_import_shows_the_new_figures(drafted, sources, workspace, tmp_path):
    from tests.site_support import build_site

    assert import_workbook(filled_copy(drafted, tmp_path), workspace.datasets, sources).ok
    everything = tmp_path / "all-sources"
    shutil.copytree(sources, everything)
    from scripts.data.paths import sources_dir

    for text in sources_dir().glob("*.txt"):
        shutil.copy(text, everything / text.name)
    site = tmp_path / "site"
    result = build_site(site, DATASETS_DIR=str(workspace.datasets), SOURCES_DIR=str(everything))
    assert result.returncode == 0, result.stdout + result.stderr
    table = (site / "data" / PACKAGE / "observations" / "index.html").read_text(encoding="utf-8")
    assert "fictional-cadres-trained" in table and "全市共有一百二十名干部参加业务培训" in table
    department = (site / "departments" / NEW_UNIT / "index.html").read_text(encoding="utf-8")
    assert "虚构培训中心" in department and "120" in department
    quality = (site / "en" / "quality" / "index.html").read_text(encoding="utf-8")
    assert SOURCE in quality and "13 figures" in quality and "3 held" in quality


# ---- refusals: nothing written, the sheet and the cell named ----------------------------------------------------


def _value_cell(book) -> str:
    return f"E{row_where(book['observations'], value=499000, locator=6)}"


def _set(cell_of: Callable, value) -> Callable:
    def change(book) -> None:
        sheet, cell = cell_of(book).split("!")
        book[sheet][cell] = value

    return change


def _obs(column: str, value=None) -> Callable:
    return lambda book: f"observations!{column}{row_where(book['observations'], value=499000, locator=6)}"


REFUSED = {  # change to the filled workbook → (where, a fragment of the English line, of the Chinese line)
    "formula-in-a-data-cell": (_set(_obs("E"), "=499000"), _obs("E"), "holds a formula", "公式"),
    "thousands-separator": (_set(_obs("E"), "499,000"), _obs("E"), "write 499000", "千位分隔符"),
    "full-width-digits": (_set(_obs("E"), "４９９０００"), _obs("E"), "write 499000, not ４９９０００", "全角"),
    "excel-date-in-a-code": (_set(_obs("D"), dt.datetime(2025, 1, 1)), _obs("D"), "an Excel date", "Excel 日期"),
    "text-that-starts-like-a-formula": (_set(_obs("M"), "+86 热线"), _obs("M"), "begins with “+”", "公式"),
    "value-not-in-its-excerpt": (_set(_obs("E"), 49.9), _obs("E"), "not stated in its excerpt", "没有出现"),
    "excerpt-not-in-the-source": (_set(_obs("L"), "受理事项50万件"), _obs("L"), "word for word", "不一致"),
    "unknown-unit": (_set(_obs("B"), "no-such-unit"), _obs("B"), "does not exist in units", "不存在"),
    "renamed-header": (
        _set(lambda book: "observations!E1", "Value"),
        lambda book: "observations!E1",
        "must be “value”",
        "表头",
    ),
    "renamed-sheet": (
        lambda book: setattr(book["observations"], "title", "观测值"),
        lambda book: "observations!A1",
        "missing or was renamed",
        "改了名",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refused_workbook_changes_nothing_and_names_the_sheet_and_cell(case, drafted, sources, workspace, tmp_path):
    change, where_of, says, says_zh = REFUSED[case]
    before = csv_bytes(workspace.datasets)
    probe = openpyxl.load_workbook(drafted)
    fill(probe)
    where = where_of(probe)
    workbook = filled_copy(drafted, tmp_path, change)
    outcome = import_workbook(workbook, workspace.datasets, sources)
    assert not outcome.ok
    assert csv_bytes(workspace.datasets) == before
    english = next((line for line in outcome.lines if line.startswith(f"ERROR {where}") and says in line), None)
    assert english, "\n".join(outcome.lines)
    chinese = outcome.lines[outcome.lines.index(english) - 1]
    assert chinese.startswith(f"错误 {where}") and says_zh in chinese and "改法：" in chinese, chinese
    assert "Fix: " in english
    marked = openpyxl.load_workbook(outcome.marked)
    sheet, cell = where.split("!")
    if sheet in marked.sheetnames:
        assert marked[sheet][cell].fill.fgColor.rgb.endswith(MARK.fgColor.rgb[-6:])
        assert says in marked[sheet][cell].comment.text


def _zip_with(drafted: Path, path: Path, extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(drafted) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info.filename)))
        for name, data in extra.items():
            target.writestr(name, data)
    return path


def _files() -> dict[str, Callable[[Path, Path], Path]]:
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

    return {
        "not-a-workbook": write("notes.xlsx", "这不是工作簿".encode()),
        "password-protected": write("locked.xlsx", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4096),
        "oversized": write("huge.xlsx", b"PK\x03\x04" + b"\0" * (21 << 20)),
        "zip-bomb": bomb,
        "macro-workbook": macro,
        "xml-entities": entity,
    }


FILE_REFUSALS = {
    "not-a-workbook": "not an Excel workbook",
    "password-protected": "password-protected",
    "oversized": "over the limit",
    "zip-bomb": "not an ordinary workbook",
    "macro-workbook": "macros",
    "xml-entities": "declares entities",
}


@pytest.mark.parametrize("case", list(FILE_REFUSALS))
def test_a_file_that_is_not_a_plain_workbook_is_refused_before_it_is_parsed(
    case, drafted, sources, workspace, tmp_path
):
    before = csv_bytes(workspace.datasets)
    path = _files()[case](drafted, tmp_path)
    outcome = import_workbook(path, workspace.datasets, sources)
    assert not outcome.ok and outcome.marked is None
    assert csv_bytes(workspace.datasets) == before
    assert any(line.startswith(f"ERROR {path}") and FILE_REFUSALS[case] in line for line in outcome.lines), (
        outcome.lines
    )
    assert any(line.startswith(f"错误 {path}") for line in outcome.lines)


def test_a_row_without_an_id_is_left_out_and_counted(drafted, sources, workspace, tmp_path):
    def unfill(book) -> None:
        put(book["milestones"], row_where(book["milestones"], milestone_id="fictional-notice"), milestone_id=None)

    outcome = import_workbook(filled_copy(drafted, tmp_path, unfill), workspace.datasets, sources)
    assert outcome.ok and "milestones" not in outcome.added
    assert "3 in milestones" in outcome.lines[1]  # the two dates offered, and this one


def test_the_command_line_prints_the_problems_and_exits_1(drafted, sources, workspace, tmp_path, capsys):
    workbook = filled_copy(drafted, tmp_path, _set(_obs("E"), "=1+1"))
    code = main(["import", str(workbook), "--datasets", str(workspace.datasets), "--sources", str(sources)])
    out = capsys.readouterr().out
    assert code == 1 and "observations!E" in out and "nothing in the package was changed" in out
    assert marked_path(workbook).is_file()


@pytest.mark.skipif(
    not shutil.which("soffice"), reason="LibreOffice (Debian's libreoffice-calc-nogui) is not installed"
)
def test_libreoffice_opens_the_draft_and_a_workbook_it_saves_imports(drafted, sources, workspace, tmp_path):
    filled = filled_copy(drafted, tmp_path)
    out = tmp_path / "libreoffice"
    command = [
        "soffice",
        f"-env:UserInstallation=file://{tmp_path / 'profile'}",
        "--headless",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(filled),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    resaved = out / filled.name
    book = openpyxl.load_workbook(resaved)
    assert book.sheetnames == openpyxl.load_workbook(drafted).sheetnames
    assert book[LISTS].sheet_state == "hidden"
    assert any(v.type == "list" for v in book["observations"].data_validations.dataValidation)
    outcome = import_workbook(resaved, workspace.datasets, sources)
    assert outcome.ok, "\n".join(outcome.lines)
    assert outcome.added["observations"] == 3


def test_openpyxl_reads_back_every_sheet_of_the_draft(drafted):
    data = drafted.read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert {"sources", "observations", "changes", "milestones", "units", "indicators", "change-types"} <= set(
        book.sheetnames
    )
    assert DATASETS.is_dir()
