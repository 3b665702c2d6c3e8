"""Invisible and control characters, refused wherever text comes from: a zero-width space pasted from a web page
makes a code differ from its twin unseen; a direction override (U+202E) would reverse the text after it on the site.
"""

import unicodedata
from collections.abc import Iterator
from typing import Any

from scripts.data.messages import Text
from scripts.data.packages import RawPackage
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


def character_problem(file: str, found: list[tuple[int, str]], row: int | None, field: str | None) -> Problem:
    """The characters found, in either language (U+200B ZERO WIDTH SPACE at position 4), the first three by name."""
    names = [(position, f"U+{ord(c):04X} {unicodedata.name(c, 'CONTROL CHARACTER')}") for position, c in found[:3]]
    parts = tuple(Text("phrase.character-at", {"position": position, "name": name}) for position, name in names)
    more = {"found": parts, "total": len(found), "more": len(found) - len(parts)}
    described = Text("phrase.characters-and-more", more) if more["more"] else parts
    code = "direction-control-character" if any(c in BIDI for _, c in found) else "invisible-character"
    return Problem(file, code, {"found": described}, row, field)


def check_cells(package: RawPackage) -> Iterator[Problem]:
    for file, row_number, row in package.rows_with():
        for field, cell in row.items():
            found = refused_characters(cell) if isinstance(field, str) and isinstance(cell, str) else []
            if found:
                yield character_problem(file, found, row_number, field)


def strings_in(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) of each string of a descriptor, keys too: resources[0].schema.fields[2].title."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key, path)
            yield from strings_in(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, f"{path}[{index}]")


FORMULA_PREFIXES = ("=", "+", "-", "@")


def check_formula_prefixes(package: RawPackage) -> list[Problem]:
    """Text a spreadsheet would run as a formula when a download is opened (CSV injection), in string fields only:
    -3 in a number field is a number."""
    return [
        Problem(file, "text-starts-like-a-formula", {"text": cell[:40], "first": cell[0]}, row, field)
        for file, row, field, _, cell in package.cells_of_types("string")
        if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES)
    ]
