"""The maintainers' workbook: its layout (shared by draft and import), and reading a filled one safely.

A workbook comes from outside: it is checked as a zip before openpyxl opens it (size, member count, compression
ratio, encryption, macros), openpyxl parses its XML through defusedxml, and every cell is read as the value it
holds: a formula, an Excel date where a text code belongs, an error value or a cell outside the table's columns
is refused, naming the sheet and the cell.
"""

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from scripts.data.packages import RawPackage
from scripts.data.problems import Problem

if not openpyxl.DEFUSEDXML:  # without it openpyxl parses XML with the standard library: entity expansion attacks
    raise ImportError("openpyxl is not using defusedxml: install defusedxml (it is pinned in uv.lock) before importing")

READ_ME = "read-me"
HELD = "held"
NOT_FIGURES = "not-figures"
LISTS = "lists"
INFO_SHEETS = (READ_ME, HELD, NOT_FIGURES, LISTS)
PACKAGE_CELL, SOURCE_CELL = "B2", "B3"  # on the read-me sheet: which package and source the draft is for
DATA_ROWS = 1000  # rows that carry input messages, drop-downs and the text format

MAX_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 500
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200  # compressed XML of a real workbook shrinks 5-30 times; a zip bomb far more
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MACRO_MARKERS = ("vbaProject.bin", "macroEnabled", "vbaProject")


def provenance_tables(package: RawPackage) -> list[str]:
    """Tables whose rows cite a source (observations, changes, milestones), and tables that depend on them."""
    names = [r["name"] for r in package.descriptor["resources"]]
    cited = [n for n in names if {"source_id", "locator", "excerpt"} <= set(field_names(package, n))]
    for name in names:
        refs = {fk["reference"]["resource"] for fk in package.resource(name)["schema"].get("foreignKeys", [])}
        if name not in cited and refs & set(cited):
            cited.append(name)
    return [n for n in names if n in cited]


def fixed_codes(package: RawPackage, table: str) -> list[str]:
    """The codes of a table whose key takes only the values its schema lists (strands): a workbook adds none."""
    key = id_field(package, table)
    spec = next(f for f in fields(package, table) if f["name"] == key)
    return [str(code) for code in spec.get("constraints", {}).get("enum", [])]


def table_sheets(package: RawPackage) -> list[str]:
    """One sheet per table that can gain rows, named after it: sources first, then the tables that cite sources, then
    code lists."""
    names = [r["name"] for r in package.descriptor["resources"] if not fixed_codes(package, r["name"])]
    cited = provenance_tables(package)
    first = [n for n in names if n == "sources"]
    return first + cited + [n for n in names if n not in cited and n not in first]


def field_names(package: RawPackage, table: str) -> list[str]:
    return [f["name"] for f in package.resource(table)["schema"]["fields"]]


def fields(package: RawPackage, table: str) -> list[dict[str, Any]]:
    return package.resource(table)["schema"]["fields"]


def id_field(package: RawPackage, table: str) -> str:
    """The field whose cell decides whether a row is imported: the first of the primary key."""
    key = package.resource(table)["schema"].get("primaryKey") or [field_names(package, table)[0]]
    return key[0] if isinstance(key, list) else key


def cell_name(sheet: str, row: int, column: int | None) -> str:
    return f"{sheet}!{get_column_letter(column)}{row}" if column else f"{sheet}!{row}:{row}"


# ---- the file itself, before openpyxl parses anything -----------------------------------------------------------


def check_file(path: Path) -> list[Problem]:
    """Refuse what is not a plain .xlsx workbook of sane size, before any of its XML is parsed."""
    where = str(path)
    if not path.is_file():
        return [Problem(where, "workbook-missing")]
    size = path.stat().st_size
    if size > MAX_BYTES:
        return [Problem(where, "workbook-too-large", {"size": size / 2**20, "limit": MAX_BYTES // 2**20})]
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE2_MAGIC:
        return [Problem(where, "workbook-encrypted-or-xls")]
    if head[:4] != ZIP_MAGIC:
        return [not_a_workbook(where)]
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in archive.namelist() else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        return [not_a_workbook(where)]
    return _check_members(where, members, content_types)


def _check_members(where: str, members: list[zipfile.ZipInfo], content_types: bytes) -> list[Problem]:
    if any(m.flag_bits & 0x1 for m in members):
        return [Problem(where, "workbook-parts-encrypted")]
    if any(marker.encode() in content_types for marker in MACRO_MARKERS) or any(
        m.filename.endswith("vbaProject.bin") for m in members
    ):
        return [Problem(where, "workbook-macros")]
    total = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or ratio > MAX_RATIO:
        parts = {"parts": len(members), "size": total / 2**20}
        limits = {"max_parts": MAX_MEMBERS, "max_size": MAX_UNCOMPRESSED // 2**20, "max_ratio": MAX_RATIO}
        return [Problem(where, "workbook-too-many-parts", parts | limits)]
    if "[Content_Types].xml" not in {m.filename for m in members} or not any(
        m.filename.startswith("xl/worksheets/") for m in members
    ):
        return [not_a_workbook(where)]
    return []


def not_a_workbook(where: str) -> Problem:
    return Problem(where, "not-a-workbook")


def open_workbook(path: Path) -> tuple[Workbook | None, list[Problem]]:
    """The workbook as openpyxl reads it (formulas as written, never their cached results), or why not."""
    from defusedxml import DefusedXmlException

    found = check_file(path)
    if found:
        return None, found
    try:
        return openpyxl.load_workbook(path, data_only=False, keep_vba=False, rich_text=False), []
    except Exception as error:  # openpyxl raises many kinds of error for a damaged or foreign file
        cause: BaseException | None = error
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__  # openpyxl wraps the parser's error in a ValueError
        if cause is None:
            return None, [not_a_workbook(str(path))]
        return None, [Problem(str(path), "workbook-xml-entities")]


# ---- the filled rows ---------------------------------------------------------------------------------------------


@dataclass
class SheetRow:
    sheet: str
    row: int  # as Excel numbers it
    values: dict[str, str]


@dataclass
class Filled:
    """The rows of a filled workbook that are to be imported, the rows it leaves out, and what is wrong."""

    package: str
    source_id: str
    rows: dict[str, list[SheetRow]] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def draft_target(book: Workbook) -> tuple[str, str]:
    """The package and source a draft was made for, as the read-me sheet names them."""
    if READ_ME not in book.sheetnames:
        return "", ""
    sheet = book[READ_ME]
    return str(sheet[PACKAGE_CELL].value or ""), str(sheet[SOURCE_CELL].value or "")


def read_filled(book: Workbook, package: RawPackage) -> Filled:
    filled = Filled(package.name, draft_target(book)[1])
    expected = table_sheets(package)
    for name in book.sheetnames:
        if name not in expected and name not in INFO_SHEETS:
            filled.problems.append(Problem(f"{name}!A1", "sheet-unknown", {"sheet": name, "tables": tuple(expected)}))
    for table in expected:
        if table not in book.sheetnames:
            filled.problems.append(Problem(f"{table}!A1", "sheet-missing", {"table": table}))
            continue
        _read_sheet(book[table], table, package, filled)
    return filled


def _read_sheet(sheet: Any, table: str, package: RawPackage, filled: Filled) -> None:
    schema = fields(package, table)
    names = [f["name"] for f in schema]
    header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1), ())]
    for index, name in enumerate(names, start=1):
        found = header[index - 1] if index <= len(header) else None
        if found != name:
            renamed = {"column": get_column_letter(index), "name": name, "header": found or ""}
            filled.problems.append(Problem(cell_name(table, 1, index), "column-renamed", renamed, field=name))
    if any(p.file.startswith(f"{table}!") for p in filled.problems):
        return
    key = id_field(package, table)
    rows, left_out = [], 0
    for cells in sheet.iter_rows(min_row=2):
        if all(c.value is None or c.value == "" for c in cells):
            continue
        number = cells[0].row
        values: dict[str, str] = {}
        for cell in cells:
            if cell.value is None or cell.value == "":
                if cell.column <= len(names):
                    values[names[cell.column - 1]] = ""
                continue
            if cell.column > len(names):
                last = {"last": get_column_letter(len(names))}
                filled.problems.append(Problem(cell_name(table, number, cell.column), "cell-outside-columns", last))
                continue
            text, wrong = cell_text(cell, schema[cell.column - 1])
            if wrong:
                filled.problems.append(wrong)
            values[names[cell.column - 1]] = text
        for name in names:
            values.setdefault(name, "")
        if values[key] == "":
            left_out += 1
        else:
            rows.append(SheetRow(table, number, values))
    filled.rows[table] = rows
    filled.left_out[table] = left_out


def cell_text(cell: Any, spec: dict[str, Any]) -> tuple[str, Problem | None]:
    """A cell's value as the CSV will hold it, or the problem that keeps it from being read faithfully."""
    where = cell_name(cell.parent.title, cell.row, cell.column)
    name, kind = spec["name"], spec.get("type", "string")
    value = cell.value
    if cell.data_type == "f" or isinstance(value, (ArrayFormula, DataTableFormula)):
        formula = str(getattr(value, "text", value))
        return "", Problem(where, "cell-formula", {"formula": formula[:40]}, field=name)
    if cell.data_type == "e":
        return "", Problem(where, "cell-error-value", {"value": value}, field=name)
    if isinstance(value, bool):
        return "", Problem(where, "cell-logical-value", {"value": str(value).upper()}, field=name)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return _date_cell(where, value, name, kind)
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if kind in {"number", "integer"}:
            return (str(int(value)) if value.is_integer() else repr(value)), None
        return "", Problem(where, "cell-number-for-text", {"value": value}, field=name)
    return str(value), None


def _date_cell(where: str, value: Any, name: str, kind: str) -> tuple[str, Problem | None]:
    if kind == "date" and isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat(), None
    if kind == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat(), None
    shown = value.isoformat() if hasattr(value, "isoformat") else str(value)
    code = "cell-date-for-time" if kind == "datetime" else "cell-date-for-text"
    return "", Problem(where, code, {"value": shown}, field=name)
