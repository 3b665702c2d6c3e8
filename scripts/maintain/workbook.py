"""The maintainers' workbook: its layout, shared by draft and import, and reading a filled one safely (checked as a zip
before openpyxl parses its XML through defusedxml; every cell read as the value it holds, or refused by cell)."""

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from scripts.data.messages import Text
from scripts.data.packages import ZIP_MAGIC, RawPackage
from scripts.data.problems import Problem
from scripts.data.statements import STATEMENTS

if not openpyxl.DEFUSEDXML:  # without it openpyxl parses XML with the standard library: entity expansion attacks
    raise ImportError("openpyxl is not using defusedxml: install defusedxml (it is pinned in uv.lock) before importing")

READ_ME = "read-me"
HELD = "held"
NOT_FIGURES = "not-figures"
LISTS = "lists"
PACKAGE_CELL, SOURCE_CELL = "B2", "B3"  # on the read-me sheet: which package and source the draft is for

# the observations sheet's columns after its fields, in a package with statements → the catalogue entry describing each
MATCH_COLUMNS = {
    "match": "workbook.column-match",
    "held_value": "workbook.column-held-value",
    "rank": "workbook.column-rank",
    "rank_reason_zh": "workbook.column-rank-reason-zh",
    "rank_reason_en": "workbook.column-rank-reason-en",
    "held_rank": "workbook.column-held-rank",
}

MAX_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 500
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200  # compressed XML of a real workbook shrinks 5-30 times; a zip bomb far more
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def provenance_tables(package: RawPackage) -> list[str]:
    """Tables whose rows cite a source, and tables that refer to them."""
    names = [r["name"] for r in package.descriptor["resources"]]
    cited = {n for n in names if {"source_id", "locator", "excerpt"} <= set(field_names(package, n))}
    refers = {
        n: {fk["reference"]["resource"] for fk in package.resource(n)["schema"].get("foreignKeys", [])} for n in names
    }
    return [n for n in names if n in cited or refers[n] & cited]


def fixed_codes(package: RawPackage, table: str) -> list[str]:
    """The codes of a table whose key takes only the values its schema lists (strands): a workbook adds none."""
    key = id_field(package, table)
    spec = next(f for f in fields(package, table) if f["name"] == key)
    return [str(code) for code in spec.get("constraints", {}).get("enum", [])]


def table_sheets(package: RawPackage) -> list[str]:
    """One sheet per table that can gain rows: sources, then the tables that cite sources, then code lists."""
    names = [r["name"] for r in package.descriptor["resources"] if not fixed_codes(package, r["name"])]
    cited = provenance_tables(package)
    return sorted(names, key=lambda name: (name != "sources", name not in cited))


def field_names(package: RawPackage, table: str) -> list[str]:
    return [f["name"] for f in fields(package, table)]


def fields(package: RawPackage, table: str) -> list[dict[str, Any]]:
    return package.resource(table)["schema"]["fields"]


def extra_columns(package: RawPackage, table: str) -> list[dict[str, Any]]:
    """The match columns after the observations sheet's fields, in a package that holds statements."""
    if table != "observations" or STATEMENTS not in [r["name"] for r in package.descriptor["resources"]]:
        return []
    kinds = {"held_value": "number"}
    described = ((name, kinds.get(name, "string"), Text(code)) for name, code in MATCH_COLUMNS.items())
    return [dict(name=n, type=k, description=t.render("zh"), description_en=t.render("en")) for n, k, t in described]


def columns(package: RawPackage, table: str) -> list[dict[str, Any]]:
    """A sheet's columns, in order: its table's fields, then the observations sheet's match columns."""
    return [*fields(package, table), *extra_columns(package, table)]


def id_field(package: RawPackage, table: str) -> str:
    """The field whose cell decides whether a row is imported: the first of the primary key."""
    key = package.resource(table)["schema"].get("primaryKey") or [field_names(package, table)[0]]
    return key[0] if isinstance(key, list) else key


def cell_name(sheet: str, row: int, column: int) -> str:
    return f"{sheet}!{get_column_letter(column)}{row}"


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
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            content_types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, OSError, KeyError):
        return [Problem(where, "not-a-workbook")]
    if any(m.flag_bits & 0x1 for m in members):
        return [Problem(where, "workbook-parts-encrypted")]
    names = " ".join(m.filename for m in members).encode()
    if b"vbaProject" in content_types + names or b"macroEnabled" in content_types:
        return [Problem(where, "workbook-macros")]
    total = sum(m.file_size for m in members)
    ratio = max(m.file_size / max(m.compress_size, 1) for m in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or ratio > MAX_RATIO:
        parts = {"parts": len(members), "size": total / 2**20}
        limits = {"max_parts": MAX_MEMBERS, "max_size": MAX_UNCOMPRESSED // 2**20, "max_ratio": MAX_RATIO}
        return [Problem(where, "workbook-too-many-parts", parts | limits)]
    if head[:4] != ZIP_MAGIC or not any(m.filename.startswith("xl/worksheets/") for m in members):
        return [Problem(where, "not-a-workbook")]
    return []


def open_workbook(path: Path) -> tuple[Workbook | None, list[Problem]]:
    """The workbook as openpyxl reads it (formulas as written, never their cached results), or why not."""
    from defusedxml import DefusedXmlException

    if found := check_file(path):
        return None, found
    try:
        return openpyxl.load_workbook(path, data_only=False, keep_vba=False, rich_text=False), []
    except Exception as error:  # openpyxl raises many kinds of error for a damaged or foreign file
        cause: BaseException | None = error
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__  # openpyxl wraps the parser's error in a ValueError
        return None, [Problem(str(path), "not-a-workbook" if cause is None else "workbook-xml-entities")]


@dataclass
class SheetRow:
    row: int  # as Excel numbers it
    values: dict[str, str]
    sheet: str = ""  # the sheet it was read from, where that is not its table's (a statement from observations)
    columns: dict[str, str] = field(default_factory=dict)  # field → the column of that sheet that gives it


@dataclass
class Filled:
    rows: dict[str, list[SheetRow]] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    replaced: dict[int, SheetRow] = field(default_factory=dict)  # observation rows (by index) a new value takes


def read_filled(book: Workbook, package: RawPackage) -> Filled:
    filled = Filled()
    expected = table_sheets(package)
    for name in book.sheetnames:
        if name not in expected and name not in (READ_ME, HELD, NOT_FIGURES, LISTS):
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
    header = [*next(sheet.iter_rows(max_row=1, values_only=True), ()), *[None] * len(names)]
    for index, name in enumerate(names, start=1):
        if header[index - 1] != name:
            renamed = {"column": get_column_letter(index), "name": name, "header": header[index - 1] or ""}
            filled.problems.append(Problem(cell_name(table, 1, index), "column-renamed", renamed, field=name))
    if any(p.file.startswith(f"{table}!") for p in filled.problems):
        return
    key = id_field(package, table)
    schema = columns(package, table)
    names = [f["name"] for f in schema]
    filled.rows[table], filled.left_out[table] = [], 0
    for cells in sheet.iter_rows(min_row=2):
        if all(c.value is None or c.value == "" for c in cells):
            continue
        values = dict.fromkeys(names, "")
        for cell in (c for c in cells if c.value is not None and c.value != ""):
            if cell.column > len(names):
                last = {"last": get_column_letter(len(names))}
                filled.problems.append(Problem(cell_name(table, cell.row, cell.column), "cell-outside-columns", last))
                continue
            values[names[cell.column - 1]], wrong = cell_text(cell, schema[cell.column - 1])
            filled.problems += [wrong] if wrong else []
        if values[key]:
            filled.rows[table].append(SheetRow(cells[0].row, values))
        else:
            filled.left_out[table] += 1


def cell_text(cell: Any, spec: dict[str, Any]) -> tuple[str, Problem | None]:
    """A cell's value as the CSV will hold it, or the problem that keeps it from being read faithfully."""
    where = cell_name(cell.parent.title, cell.row, cell.column)
    name, kind = spec["name"], spec.get("type", "string")
    value = cell.value
    if cell.data_type == "f":  # openpyxl reads array and data-table formulas as "f" too
        formula = str(getattr(value, "text", value))
        return "", Problem(where, "cell-formula", {"formula": formula[:40]}, field=name)
    if cell.data_type == "e":
        return "", Problem(where, "cell-error-value", {"value": value}, field=name)
    if isinstance(value, bool):
        return "", Problem(where, "cell-logical-value", {"value": str(value).upper()}, field=name)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        midnight = not isinstance(value, dt.datetime) or value.time() == dt.time(0)
        if kind == "date" and isinstance(value, dt.date) and midnight:
            return value.isoformat()[:10], None
        code = "cell-date-for-time" if kind == "datetime" else "cell-date-for-text"
        return "", Problem(where, code, {"value": value.isoformat()}, field=name)
    if isinstance(value, float) and kind not in {"number", "integer"}:
        return "", Problem(where, "cell-number-for-text", {"value": value}, field=name)
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)), None
    return str(value), None
