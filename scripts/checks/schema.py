"""Frictionless validation (types, constraints, primary and foreign keys), reported in maintainers' terms."""

import copy
import hashlib
import json
import re
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Package, Resource

from scripts.data.packages import DESCRIPTOR, RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem

FULL_WIDTH = re.compile(r"[\uff10-\uff19\uff0c\uff0e]")
THOUSANDS = re.compile(r"^[+-]?\d{1,3}([,，]\d{3})+(\.\d+)?$")
CHINESE_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?\s*$")
SLASH_DATE = re.compile(r"^\s*(\d{4})[/.](\d{1,2})(?:[/.](\d{1,2}))?\s*$")
CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)
SHAPE_ERRORS = {"extra-cell", "missing-cell", "blank-row"}
FRICTIONLESS = version("frictionless")
REMEMBERED = 64  # resources' reports kept in a process (`make serve`'s checker validates after every edit)

TYPE_NAMES_ZH = {
    "number": "数字",
    "integer": "整数",
    "date": "日期",
    "datetime": "日期时间",
    "boolean": "布尔值",
    "year": "年份",
    "string": "文本",
}
TYPE_FIXES = {
    "number": "write a plain number with the digits 0-9 and a decimal point: no units, no %, "
    "no thousands separators (1,234 → 1234), no full-width digits (２９ → 29)",
    "integer": "write a whole number with the digits 0-9: no units, no thousands separators, no full-width digits",
    "date": "write the date as YYYY-MM-DD, e.g. 2023年2月1日 → 2023-02-01",
    "datetime": "write the time as YYYY-MM-DDThh:mm:ss+08:00, e.g. 2025-04-18T09:33:00+08:00",
    "boolean": "write true or false",
    "year": "write four digits, e.g. 2024",
}
TYPE_FIXES_ZH = {
    "number": "只写半角数字 0-9 和小数点：不带单位、不带 %、不用千位分隔符（1,234 → 1234）、不用全角数字（２９ → 29）",
    "integer": "只写半角数字 0-9 组成的整数：不带单位、不用千位分隔符、不用全角数字",
    "date": "日期写成 YYYY-MM-DD，例如 2023年2月1日 → 2023-02-01",
    "datetime": "时间写成 YYYY-MM-DDThh:mm:ss+08:00，例如 2025-04-18T09:33:00+08:00",
    "boolean": "写 true 或 false",
    "year": "写四位数字，例如 2024",
}
SPACE_FIX = ("删除单元格开头或结尾的空格", "remove the space(s) at the start or end of the cell")


def _type_name(field_type: str, lang: str) -> str:
    return TYPE_NAMES_ZH.get(field_type, field_type) if lang == "zh" else field_type


def check_with_frictionless(package: RawPackage) -> list[Problem]:
    descriptor = copy.deepcopy(package.descriptor)
    for resource in descriptor["resources"]:
        if resource.get("name") in package.bom_resources:
            resource["encoding"] = "utf-8-sig"
    where = display(package.folder / DESCRIPTOR)
    try:
        checked = Package(descriptor, basepath=str(package.folder))
        try:
            checked.to_descriptor(validate=True)  # what Package.validate() checks first, and alone if it fails
        except FrictionlessException as invalid:
            return [_descriptor_problem(where, error) for error in invalid.to_errors()]
        tasks = [_validated(resource, descriptor, package.folder) for resource in checked.resources]
    except FrictionlessException as exception:
        return [
            Problem(
                where,
                f"frictionless cannot read the descriptor: {exception.error.message}",
                "correct the descriptor as the message says (see datapackage.org for the format)",
                message_zh=f"frictionless 无法读取描述文件：{exception.error.message}",
                fix_zh="按提示改正描述文件（格式见 datapackage.org）",
            )
        ]
    problems: list[Problem] = []
    for place, name, found in tasks:
        file = display(package.folder / place) if place else where
        shifted = {e.get("rowNumber") for e in found if e.get("type") in SHAPE_ERRORS}
        rows = [
            _row_problem(file, e, _schema(package, name), package)
            for e in found
            if e.get("rowNumber") not in shifted or e.get("type") in SHAPE_ERRORS
        ]  # a row whose cells do not line up with the header: its other errors are consequences
        problems += _merge_repeats(rows)
    return problems


def _descriptor_problem(where: str, error: Any) -> Problem:
    return Problem(
        where,
        f"{error.message}",
        "correct the descriptor as the message says",
        field=getattr(error, "field_name", None),
        message_zh=f"描述文件有误：{error.message}",
        fix_zh="按提示改正描述文件",
    )


Task = tuple[str, str, list[dict[str, Any]]]  # a resource's place, name and errors, as frictionless reports them
_remembered: dict[str, Task] = {}


def _validated(resource: Resource, descriptor: dict[str, Any], folder: Path) -> Task:
    """What frictionless finds validating the resource in its package (as Package.validate() does, one resource after
    another), remembered in this process by everything it depends on: frictionless, the descriptor, and the bytes of
    the resource's file and of the files its foreign keys look in. After an edit of one table, `make serve`'s checker
    validates again only that table and those whose foreign keys point at it."""
    before = _inputs(resource, descriptor, folder)
    if before in _remembered:
        return _remembered[before]
    task = resource.validate().tasks[0]
    validated = (task.place, task.name, [error.to_descriptor() for error in task.errors])
    if before is not None and _inputs(resource, descriptor, folder) == before:  # no file changed while it was read
        if len(_remembered) >= REMEMBERED:
            _remembered.clear()
        _remembered[before] = validated
    return validated


def _inputs(resource: Resource, descriptor: dict[str, Any], folder: Path) -> str | None:
    """The digest of everything validating the resource reads; None when it reads something other than the
    descriptor and the data files in the package's folder (a schema or dialect in a file of its own, say)."""
    if any(isinstance(r.get(part), str) for r in descriptor["resources"] for part in ("schema", "dialect")):
        return None
    paths = {r.get("name"): r.get("path") for r in descriptor["resources"]}
    keys = resource.schema.foreign_keys if resource.schema else []
    looked_in = {str(fk["reference"].get("resource") or resource.name) for fk in keys}
    digest = hashlib.sha256(json.dumps([FRICTIONLESS, str(folder), descriptor, resource.name], sort_keys=True).encode())
    for name in sorted(looked_in | {resource.name}):
        path = paths.get(name)
        if not isinstance(path, str) or "://" in path:
            return None
        try:
            digest.update(hashlib.sha256((folder / path).read_bytes()).digest())
        except OSError:
            return None
    return digest.hexdigest()


def _merge_repeats(problems: list[Problem]) -> list[Problem]:
    """One problem for the same mistake in many rows (a misspelt code used everywhere), listing the rows."""
    rows: dict[tuple[str, str, str | None], list[int]] = {}
    for p in problems:
        if p.row is not None:
            rows.setdefault((p.message, p.fix, p.field), []).append(p.row)
    merged, done = [], set()
    for p in problems:
        key = (p.message, p.fix, p.field)
        others = rows.get(key, [])[1:]
        if key in done:
            continue
        if p.row is not None and others:
            done.add(key)
            p = replace(p, also=tuple(others))
        merged.append(p)
    return merged


def check_plain_digits(package: RawPackage) -> list[Problem]:
    """Frictionless accepts any Unicode digit in numbers and dates (２９ as 29); readers' tools do not."""
    problems: list[Problem] = []
    for name, rows in package.tables.items():
        schema = _schema(package, name)
        typed = [f["name"] for f in schema.get("fields", []) if f.get("type") in TYPE_FIXES]
        file = display(package.table_path(name))
        for row_number, row in enumerate(rows, start=2):
            for field in typed:
                cell = row.get(field) or ""
                if not cell.isascii():
                    field_type = next(f["type"] for f in schema["fields"] if f["name"] == field)
                    fix_zh, fix = _value_fix(cell, field_type)
                    problems.append(
                        Problem(
                            file,
                            f"“{cell}” is not a valid {field_type} (it contains full-width "
                            "or other non-ASCII characters)",
                            fix,
                            row_number,
                            field,
                            message_zh=f"“{cell}”不是有效的{_type_name(field_type, 'zh')}"
                            "（含有全角或其他非 ASCII 字符）",
                            fix_zh=fix_zh,
                        )
                    )
    return problems


def _schema(package: RawPackage, resource_name: str) -> dict[str, Any]:
    for resource in package.descriptor["resources"]:
        if resource.get("name") == resource_name:
            return resource.get("schema", {})
    return {}


def iso_date(cell: str, day_needed: bool) -> str | None:
    """2023年2月 or 2023/2/1 as ISO 8601 (2023-02, 2023-02-01), if the cell is such a date."""
    match = CHINESE_DATE.match(cell) or SLASH_DATE.match(cell)
    if not match:
        return None
    year, month, day = match.group(1), int(match.group(2)), match.group(3)
    if not 1 <= month <= 12:
        return None
    text = f"{year}-{month:02d}"
    if day:
        return f"{text}-{int(day):02d}"
    return f"{text}-01" if day_needed else text


def _value_fix(cell: Any, field_type: str) -> tuple[str, str]:
    """How to correct a cell that is not a valid value of its field, in Chinese and English."""
    text = str(cell)
    if text != text.strip():
        return SPACE_FIX
    if field_type in {"number", "integer"} and THOUSANDS.match(text):
        plain = re.sub(r"[,，]", "", text)
        return (
            f"去掉千位分隔符：写 {plain}，不写 {text}",
            f"remove the thousands separator: write {plain}, not {text}",
        )
    if FULL_WIDTH.search(text):
        plain = "".join(chr(ord(c) - 0xFEE0) if FULL_WIDTH.match(c) else c for c in text)
        return (
            f"把全角数字改成半角：写 {plain}，不写 {text}（可在输入法中切换到半角）",
            f"use ASCII digits: write {plain}, not {text} (switch the input method to half-width)",
        )
    iso = iso_date(text, day_needed=field_type in {"date", "datetime"})
    if iso:
        return (
            f"日期写成 ISO 格式：写 {iso}，不写 {text}（Excel 中可把单元格格式设为“文本”，以免被改写）",
            f"write the date in ISO form: {iso}, not {text} (format the cells as text in Excel so that it "
            "is not rewritten)",
        )
    return (
        TYPE_FIXES_ZH.get(field_type, f"写一个有效的{_type_name(field_type, 'zh')}"),
        TYPE_FIXES.get(field_type, f"write a valid {field_type}"),
    )


def _row_problem(file: str, e: dict[str, Any], schema: dict[str, Any], package: RawPackage) -> Problem:
    fields = {f["name"]: f for f in schema.get("fields", [])}
    kind, row, field = e.get("type"), e.get("rowNumber"), e.get("fieldName")
    cell = e.get("cell")
    field_type = fields.get(field, {}).get("type", "value")

    if kind == "type-error":
        fix_zh, fix = _value_fix(cell, field_type)
        full = bool(FULL_WIDTH.search(str(cell)))
        return Problem(
            file,
            f"“{cell}” is not a valid {field_type}{' (it contains full-width characters)' if full else ''}",
            fix,
            row,
            field,
            message_zh=f"“{cell}”不是有效的{_type_name(field_type, 'zh')}{'（含有全角字符）' if full else ''}",
            fix_zh=fix_zh,
        )
    if kind == "constraint-error":
        match = CONSTRAINT_NOTE.search(e.get("note", ""))
        name, limit = match.groups() if match else ("", "")
        (what_zh, what), (fix_zh, fix) = _constraint(name, limit, cell, field_type)
        return Problem(file, what, fix, row, field, message_zh=what_zh, fix_zh=fix_zh)
    if kind == "primary-key":
        key = ", ".join(schema.get("primaryKey", []))
        cells = ", ".join(map(str, e.get("cells", [])))
        return Problem(
            file,
            f"this row repeats the key ({key}) “{cells}” of an earlier row",
            "give every row its own key, or delete the duplicate row",
            row,
            key,
            message_zh=f"这一行的主键（{key}）“{cells}”与前面某一行重复",
            fix_zh="给每一行一个不同的主键，或删除重复的行",
        )
    if kind == "foreign-key":
        return _foreign_key_problem(file, e, row, package)
    if kind == "missing-cell":
        return Problem(
            file,
            f"the row has no cell for “{field}”",
            "add the missing value (or an empty cell) so that the row has as many cells as the header",
            row,
            field,
            message_zh=f"这一行缺少“{field}”列的单元格",
            fix_zh="补上缺少的值（或一个空单元格，即多写一个逗号），使这一行的单元格数与表头相同",
        )
    if kind == "extra-cell":
        extra, extra_zh = (f" (the extra cell holds “{cell}”)", f"（多出的单元格内容为“{cell}”）") if cell else ("", "")
        return Problem(
            file,
            f"the row has more cells than the header{extra}",
            "a number must not contain a thousands separator (1,234 → 1234), and a text containing a comma "
            "must be wrapped in double quotes; remove stray commas",
            row,
            message_zh=f"这一行的单元格比表头多{extra_zh}",
            fix_zh="数字不要用千位分隔符（1,234 → 1234）；含逗号的文本要用英文双引号括起来；删除多余的逗号",
        )
    if kind == "blank-row":
        return Problem(file, "the row is empty", "delete the empty row", row, message_zh="空行", fix_zh="删除这一空行")
    if kind in {"incorrect-label", "missing-label", "extra-label", "duplicate-label", "blank-label"}:
        return Problem(
            file,
            f"the header does not match the schema: {e.get('message')}",
            "make the first line list exactly the schema's field names, in order",
            1,
            field,
            message_zh=f"表头与字段定义不符：{e.get('message')}",
            fix_zh="第一行必须按顺序、一字不差地列出描述文件中定义的字段名",
        )
    if kind == "unique-error":
        return Problem(
            file,
            f"“{cell}” appears in an earlier row too",
            "each value in this column must be unique",
            row,
            field,
            message_zh=f"“{cell}”在前面的行中已经出现过",
            fix_zh="这一列的每个值都必须唯一",
        )
    return Problem(
        file,
        e.get("message", kind),
        "correct the file as the message says",
        row,
        field,
        message_zh=f"frictionless 报告：{e.get('message', kind)}",
        fix_zh="按提示改正文件",
    )


def _foreign_key_problem(file: str, e: dict[str, Any], row: int | None, package: RawPackage) -> Problem:
    names = ", ".join(e.get("fieldNames") or [])
    found = re.search(r'values "([^"]*)" not found', e.get("message", ""))
    values = found.group(1) if found else "?"
    target = re.search(r'lookup table "([^"]+)"', e.get("message", ""))
    table = target.group(1) if target else "the referenced table"
    fix_zh, fix = (
        f"改正代码（检查拼写和空格），或先在 {table}.csv 中添加这一代码的行",
        f"correct the code (check spelling and spaces), or add a row for it to {table}.csv first",
    )
    if values != values.strip():
        fix_zh, fix = SPACE_FIX
    else:
        spaced = _spaced_keys(package, table, values)
        if spaced:
            fix_zh = f"{table}.csv 中这个代码写成了“{spaced}”（带空格）：删除那里的空格"
            fix = f"{table}.csv writes this code as “{spaced}” (with a space): remove the space there"
    return Problem(
        file,
        f"{names} “{values}” does not exist in {table}",
        fix,
        row,
        names,
        message_zh=f"{names}“{values}”在 {table} 中不存在",
        fix_zh=fix_zh,
    )


def _spaced_keys(package: RawPackage, table: str, value: str) -> str | None:
    """The key of the referenced table that equals the value once its surrounding spaces are removed."""
    for row in package.tables.get(table, []):
        for cell in row.values():
            if isinstance(cell, str) and cell != value and cell.strip() == value:
                return cell
    return None


def _constraint(name: str, limit: str, cell: Any, field_type: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """(Chinese, English) of what is wrong and of how to fix it, for a broken constraint."""
    text = str(cell)
    spaced = isinstance(cell, str) and text != text.strip()
    if name == "required":
        return ("单元格为空，但这一列必须填写", "the cell is empty but a value is required"), (
            "填写这个值",
            "fill in the value",
        )
    if spaced and name in {"enum", "pattern"}:
        return (f"“{text}”开头或结尾有空格", f"“{text}” has a space at its start or end"), SPACE_FIX
    if name == "enum":
        return (f"“{text}”不是允许的取值", f"“{text}” is not an allowed value"), (
            f"只能用以下之一：{limit}",
            f"use one of {limit}",
        )
    if name == "pattern":
        iso = iso_date(text, day_needed=False)
        if iso:
            return (f"“{text}”不是规定的日期写法", f"“{text}” is not written in the expected form"), (
                f"日期写成 ISO 格式：写 {iso}，不写 {text}",
                f"write the date in ISO form: {iso}, not {text}",
            )
        if "https?://" in limit:
            return (f"“{text}”不是网址", f"“{text}” is not a web address"), (
                "写完整的网址，以 https://（或 http://）开头，不含空格",
                "write the full address, starting with https:// (or http://), without spaces",
            )
        return (f"“{text}”的格式不符合要求", f"“{text}” does not have the expected form"), (
            f"按正则表达式 {limit} 的格式书写（代码只用小写字母、数字和连字符）",
            f"match the pattern {limit}",
        )
    if name in {"minimum", "maximum"}:
        below = name == "minimum"
        return (
            f"{text} {'小于最小值' if below else '大于最大值'} {limit}",
            f"{text} is {'below the minimum' if below else 'above the maximum'} {limit}",
        ), ("改正这个数值", "correct the value")
    if name in {"minLength", "maxLength"}:
        short = name == "minLength"
        return (
            f"文本{'太短' if short else '太长'}（限 {limit} 字）",
            f"the text is {'too short' if short else 'too long'} (limit {limit})",
        ), ("删减或补全文本", "shorten or complete the text")
    if name == "unique":
        return (f"“{text}”在前面的行中已经出现过", f"“{text}” appears in an earlier row too"), (
            "这一列的每个值都必须唯一",
            "each value in this column must be unique",
        )
    return (f"“{text}”违反约束 {name} = {limit}", f"“{text}” breaks the constraint {name} = {limit}"), (
        "改正这个值",
        "correct the value",
    )
