"""Invisible and control characters: refused wherever text comes from, with where they are and how to remove them.

A zero-width space pasted from a web page makes a code differ from its twin without anyone seeing why; a
direction override (U+202E) would reverse the text after it on the public site. Neither belongs in the data.
"""

import unicodedata
from collections.abc import Iterator
from typing import Any

from scripts.data.packages import RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem

REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # controls, format (bidi, zero-width), unassigned
ALLOWED = {"\n", "\r"}  # line breaks inside a quoted cell are kept as they are
BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


def refused_characters(text: str) -> list[tuple[int, str]]:
    """(position from 1, character) of each character that may not appear in the data."""
    if text.isprintable():  # no control, format, surrogate, private, unassigned or separator character at all
        return []
    return [
        (i, c)
        for i, c in enumerate(text, start=1)
        if c not in ALLOWED and unicodedata.category(c) in REFUSED_CATEGORIES
    ]


def describe(found: list[tuple[int, str]]) -> tuple[str, str]:
    """The characters found, in Chinese and English: U+200B ZERO WIDTH SPACE at position 4."""
    parts = [(position, f"U+{ord(c):04X} {unicodedata.name(c, 'CONTROL CHARACTER')}") for position, c in found[:3]]
    more = len(found) - len(parts)
    zh = "、".join(f"第 {position} 个字符处的 {name}" for position, name in parts)
    en = ", ".join(f"{name} at position {position}" for position, name in parts)
    if more:
        zh, en = f"{zh} 等 {len(found)} 个", f"{en} and {more} more"
    return zh, en


def character_problem(file: str, found: list[tuple[int, str]], row: int | None, field: str | None) -> Problem:
    where_zh, where_en = describe(found)
    if any(c in BIDI for _, c in found):
        return Problem(
            file,
            f"the text contains a direction-control character ({where_en}), which would reorder the text around "
            "it on the site",
            "delete the character: retype the text, or copy it again from a plain-text source",
            row,
            field,
            message_zh=f"文本中有控制书写方向的不可见字符（{where_zh}），会在网站上打乱前后文字的顺序",
            fix_zh="删除该字符：重新输入这段文字，或从纯文本来源重新复制",
        )
    return Problem(
        file,
        f"the text contains an invisible or control character ({where_en}), usually pasted from a web page or "
        "a Word document",
        "delete the character: retype the text, or copy it again from a plain-text source; "
        "in VS Code such characters are highlighted",
        row,
        field,
        message_zh=f"文本中有不可见字符或控制字符（{where_zh}），通常是从网页或 Word 文档粘贴进来的",
        fix_zh="删除该字符：重新输入这段文字，或从纯文本来源重新复制；VS Code 会高亮显示这类字符",
    )


def check_cells(package: RawPackage) -> list[Problem]:
    problems: list[Problem] = []
    for name, rows in package.tables.items():
        file = display(package.table_path(name))
        for row_number, row in enumerate(rows, start=2):
            for field, cell in row.items():
                if isinstance(field, str) and isinstance(cell, str):
                    found = refused_characters(cell)
                    if found:
                        problems.append(character_problem(file, found, row_number, field))
    return problems


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, path)
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def check_descriptor_characters(where: str, descriptor: dict[str, Any]) -> list[Problem]:
    problems = []
    for path, text in _strings(descriptor):
        found = refused_characters(text)
        if found:
            problems.append(character_problem(where, found, None, path or None))
    return problems


FORMULA_PREFIXES = ("=", "+", "-", "@")


def check_formula_prefixes(package: RawPackage) -> list[Problem]:
    """Text that a spreadsheet would run as a formula when a download is opened (CSV injection) is refused.

    Only string fields: -3 in a number field is a number, and frictionless reads it as one.
    """
    problems: list[Problem] = []
    for resource in package.descriptor.get("resources", []):
        rows = package.tables.get(resource.get("name"), [])
        fields = resource.get("schema", {}).get("fields", [])
        texts = [f["name"] for f in fields if isinstance(f, dict) and f.get("type", "string") == "string"]
        file = display(package.table_path(resource["name"])) if rows else ""
        for row_number, row in enumerate(rows, start=2):
            for field in texts:
                cell = row.get(field)
                if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
                    problems.append(formula_problem(file, cell, row_number, field))
    return problems


def formula_problem(file: str, cell: str, row: int | None, field: str | None) -> Problem:
    first = cell[0]
    return Problem(
        file,
        f"the text “{cell[:40]}” begins with “{first}”, so a spreadsheet would run it as a formula when the "
        "file is opened",
        f"begin the text with another character: drop the “{first}” or reword the text (write 负3 or minus 3, "
        "not -3, in a text)",
        row,
        field,
        message_zh=f"文本“{cell[:40]}”以“{first}”开头，用电子表格打开文件时会被当作公式执行",
        fix_zh=f"让文本以其他字符开头：删去“{first}”或改写这段文字（文本中写“负3”，不写 -3）",
    )
