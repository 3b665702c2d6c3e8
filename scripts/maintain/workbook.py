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


def problem(where: str, message: str, fix: str, message_zh: str, fix_zh: str, field_name: str | None = None) -> Problem:
    return Problem(where, message, fix, None, field_name, message_zh=message_zh, fix_zh=fix_zh)


# ---- the file itself, before openpyxl parses anything -----------------------------------------------------------


def check_file(path: Path) -> list[Problem]:
    """Refuse what is not a plain .xlsx workbook of sane size, before any of its XML is parsed."""
    where = str(path)
    if not path.is_file():
        return [problem(where, "there is no such file", "give the path of the filled workbook (.xlsx)",
                        "没有这个文件", "给出填好的工作簿（.xlsx）的路径")]  # fmt: skip
    size = path.stat().st_size
    if size > MAX_BYTES:
        return [
            problem(
                where,
                f"the file is {size / 2**20:.1f} MiB, over the limit of {MAX_BYTES // 2**20} MiB for a workbook",
                "import the rows of one report at a time; delete pictures and unused sheets",
                f"文件大小 {size / 2**20:.1f} MiB，超过工作簿上限 {MAX_BYTES // 2**20} MiB",
                "每次只导入一篇报道的行；删除图片和无用的工作表",
            )
        ]
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE2_MAGIC:
        return [
            problem(
                where,
                "the workbook is password-protected (encrypted) or an old .xls file, which cannot be checked",
                "remove the password (Excel: 文件 → 信息 → 保护工作簿 → 用密码进行加密, clear it; "
                "WPS: 文件 → 文档加密) and save as an Excel workbook (.xlsx)",
                "工作簿设置了密码（已加密）或是旧的 .xls 文件，无法检查",
                "取消密码（Excel：文件 → 信息 → 保护工作簿 → 用密码进行加密，清空；WPS：文件 → 文档加密），"
                "并另存为 Excel 工作簿（.xlsx）",
            )
        ]
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
        return [
            problem(
                where,
                "the workbook's parts are encrypted",
                "save the workbook again without a password, as an Excel workbook (.xlsx)",
                "工作簿的内容经过加密",
                "不设密码，重新另存为 Excel 工作簿（.xlsx）",
            )
        ]
    if any(marker.encode() in content_types for marker in MACRO_MARKERS) or any(
        m.filename.endswith("vbaProject.bin") for m in members
    ):
        return [
            problem(
                where,
                "the workbook contains macros (.xlsm), which the import never opens",
                "save it as an Excel workbook (.xlsx, 文件 → 另存为 → Excel 工作簿), which drops the macros",
                "工作簿含有宏（.xlsm），导入不会打开含宏的文件",
                "另存为 Excel 工作簿（.xlsx，文件 → 另存为 → Excel 工作簿），宏会被去掉",
            )
        ]
    total = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or ratio > MAX_RATIO:
        return [
            problem(
                where,
                f"the workbook unpacks to {len(members)} parts and {total / 2**20:.0f} MiB (at most {MAX_MEMBERS} "
                f"parts and {MAX_UNCOMPRESSED // 2**20} MiB, compressed at most {MAX_RATIO} times); "
                "it is not an ordinary workbook",
                "draft a new workbook with `make draft` and copy the rows into it",
                f"工作簿解压后有 {len(members)} 个部件、{total / 2**20:.0f} MiB（上限为 {MAX_MEMBERS} 个、"
                f"{MAX_UNCOMPRESSED // 2**20} MiB，压缩比不超过 {MAX_RATIO}），不是普通的工作簿",
                "用 `make draft` 生成新的工作簿，再把各行复制进去",
            )
        ]
    if "[Content_Types].xml" not in {m.filename for m in members} or not any(
        m.filename.startswith("xl/worksheets/") for m in members
    ):
        return [not_a_workbook(where)]
    return []


def not_a_workbook(where: str) -> Problem:
    return problem(
        where,
        "the file is not an Excel workbook (.xlsx)",
        "open it in Excel or WPS and save it with 另存为 → Excel 工作簿 (*.xlsx)",
        "文件不是 Excel 工作簿（.xlsx）",
        "用 Excel 或 WPS 打开，再“另存为”→“Excel 工作簿（*.xlsx）”",
    )


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
        return None, [
            problem(
                str(path),
                "the workbook's XML declares entities or a DTD, which no spreadsheet program writes",
                "draft a new workbook with `make draft` and copy the rows into it",
                "工作簿的 XML 中声明了实体或 DTD，正常的电子表格软件不会这样写",
                "用 `make draft` 生成新的工作簿，再把各行复制进去",
            )
        ]


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
            filled.problems.append(
                problem(
                    f"{name}!A1",
                    f"the workbook has a sheet “{name}” that the import does not know "
                    f"(the tables are: {', '.join(expected)})",
                    "give the sheet back its table's name, or move its rows into that table's sheet and delete it",
                    f"工作簿中有导入程序不认识的工作表“{name}”（各表为：{'、'.join(expected)}）",
                    "把工作表改回它的表名，或把其中的行移到对应的表中后删除它",
                )
            )
    for table in expected:
        if table not in book.sheetnames:
            filled.problems.append(
                problem(
                    f"{table}!A1",
                    f"the sheet “{table}” is missing or was renamed",
                    f"give the sheet its name back: {table} (sheet names are how the import finds each table)",
                    f"缺少工作表“{table}”，或它被改了名",
                    f"把工作表名改回 {table}（导入按工作表名识别各表）",
                )
            )
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
            filled.problems.append(
                problem(
                    cell_name(table, 1, index),
                    f"column {get_column_letter(index)} must be “{name}”, but its header is “{found or ''}”",
                    f"restore the header “{name}”: the columns must stay as drafted, in their order",
                    f"第 {get_column_letter(index)} 列应为“{name}”，但表头是“{found or ''}”",
                    f"把表头改回“{name}”：各列必须保持草稿中的名称和顺序",
                    name,
                )
            )
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
                filled.problems.append(
                    problem(
                        cell_name(table, number, cell.column),
                        f"the cell is outside the table's columns (which end at {get_column_letter(len(names))})",
                        "move the value into its column, or delete it",
                        f"单元格在表的各列之外（最后一列是 {get_column_letter(len(names))}）",
                        "把内容移到对应的列，或删除它",
                    )
                )
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
        return "", problem(
            where,
            f"the cell holds a formula ({formula[:40]}), not a value",
            "type the value itself (copy the cell, then 选择性粘贴 → 数值 / Paste Special → Values)",
            f"单元格中是公式（{formula[:40]}），不是数值",
            "直接输入数值（复制该单元格，再“选择性粘贴”→“数值”）",
            name,
        )
    if cell.data_type == "e":
        return "", problem(
            where,
            f"the cell holds the error value {value}",
            "type the value itself",
            f"单元格中是错误值 {value}",
            "直接输入正确的值",
            name,
        )
    if isinstance(value, bool):
        return "", problem(
            where,
            f"the cell holds the logical value {str(value).upper()}",
            "type the value as text",
            f"单元格中是逻辑值 {str(value).upper()}",
            "以文本形式输入这个值",
            name,
        )
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return _date_cell(where, value, name, kind)
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if kind in {"number", "integer"}:
            return (str(int(value)) if value.is_integer() else repr(value)), None
        return "", problem(
            where,
            f"the cell holds the number {value!r} where a text belongs",
            "format the cell as text (设置单元格格式 → 文本) and type the value again",
            f"这一列应填文本，但单元格中是数字 {value!r}",
            "把单元格格式设为“文本”（设置单元格格式 → 文本），再重新输入",
            name,
        )
    return str(value), None


def _date_cell(where: str, value: Any, name: str, kind: str) -> tuple[str, Problem | None]:
    if kind == "date" and isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat(), None
    if kind == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat(), None
    shown = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if kind == "datetime":
        fix = (
            "format the cell as text (设置单元格格式 → 文本) and type the time with its zone: 2025-04-18T09:33:00+08:00"
        )
        fix_zh = "把单元格格式设为“文本”，再输入带时区的时间：2025-04-18T09:33:00+08:00"
    else:
        fix = (
            "Excel turned what was typed into a date; format the cell as text (设置单元格格式 → 文本) and type the "
            "code again (2023-02, not 2023/2 or 2月)"
        )
        fix_zh = (
            "Excel 把输入的内容变成了日期；把单元格格式设为“文本”（设置单元格格式 → 文本），"
            "再重新输入代码（写 2023-02）"
        )
    return "", problem(
        where,
        f"the cell holds an Excel date ({shown}) where {'a time with its zone' if kind == 'datetime' else 'text'} "
        "belongs",
        fix,
        f"这一列应填{'带时区的时间' if kind == 'datetime' else '文本'}，但单元格中是 Excel 日期（{shown}）",
        fix_zh,
        name,
    )
