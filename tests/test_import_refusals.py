"""A refused import changes no byte of the package and names the cell (its sheet, column and row) or the file, in
Chinese and English, with the fix; the marked copy of the workbook highlights the cell."""

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from scripts.__main__ import main
from scripts.data.messages import Text
from scripts.maintain.importer import MARK, import_workbook
from tests.conftest import FIXTURE_DATASETS, FIXTURE_SOURCES
from tests.maintain_support import CITY, SOURCE, WINDOW, csv_bytes, draft, filled_copy, letter, put, row_where
from tests.problem_support import find_problem


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return draft(SOURCE, FIXTURE_DATASETS, FIXTURE_SOURCES, tmp_path_factory.mktemp("drafts") / f"{SOURCE}.xlsx")


@pytest.fixture(scope="module")
def book(drafted: Path):
    return openpyxl.load_workbook(drafted)


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
