"""Frictionless validation (types, constraints, primary and foreign keys), reported in maintainers' terms."""

import copy
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from frictionless import FrictionlessException, Package

from scripts.data.messages import Text, parameters
from scripts.data.packages import DESCRIPTOR, RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem

FULL_WIDTH = re.compile(r"[\uff10-\uff19\uff0c\uff0e]")
THOUSANDS = re.compile(r"^[+-]?\d{1,3}([,，]\d{3})+(\.\d+)?$")
CHINESE_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?\s*$")
SLASH_DATE = re.compile(r"^\s*(\d{4})[/.](\d{1,2})(?:[/.](\d{1,2}))?\s*$")
CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)
SHAPE_ERRORS = {"extra-cell", "missing-cell", "blank-row"}

TYPES = {  # the types a cell is checked against, by name: how to write each
    "number": (Text("type.number"), Text("fix.number")),
    "integer": (Text("type.integer"), Text("fix.integer")),
    "date": (Text("type.date"), Text("fix.date")),
    "datetime": (Text("type.datetime"), Text("fix.datetime")),
    "boolean": (Text("type.boolean"), Text("fix.boolean")),
    "year": (Text("type.year"), Text("fix.year")),
}
STRING = Text("type.string")
SPACES = Text("fix.spaces")


def _type_name(field_type: str) -> Text | str:
    return TYPES[field_type][0] if field_type in TYPES else STRING if field_type == "string" else field_type


def check_with_frictionless(package: RawPackage) -> list[Problem]:
    descriptor = copy.deepcopy(package.descriptor)
    for resource in descriptor["resources"]:
        if resource.get("name") in package.bom_resources:
            resource["encoding"] = "utf-8-sig"
    where = display(package.folder / DESCRIPTOR)
    try:
        report = Package(descriptor, basepath=str(package.folder)).validate()
        errors = report.errors  # the descriptor's own: validate() checks it first, and reads no table if it fails
    except FrictionlessException as exception:  # refused as it is read: its reasons say what is wrong, and where
        errors = exception.reasons or [exception.error]
    if errors:
        return [
            Problem(where, "descriptor-invalid", {"detail": e.message}, field=getattr(e, "field_name", None))
            for e in errors
        ]
    problems: list[Problem] = []
    for task in report.tasks:
        file = display(package.folder / task.place) if task.place else where
        found = [error.to_descriptor() for error in task.errors]
        shifted = {e.get("rowNumber") for e in found if e.get("type") in SHAPE_ERRORS}
        rows = [
            _row_problem(file, e, package.resource(task.name).get("schema", {}), package)
            for e in found
            if e.get("rowNumber") not in shifted or e.get("type") in SHAPE_ERRORS
        ]  # a row whose cells do not line up with the header: its other errors are consequences
        problems += _merge_repeats(rows)
    return problems


def _merge_repeats(problems: list[Problem]) -> list[Problem]:
    """One problem for the same mistake in many rows (a misspelt code used everywhere), listing the rows."""
    same: dict[object, list[Problem]] = {}
    for p in problems:
        same.setdefault((p.message_in("en"), p.fix_in("en"), p.field) if p.row is not None else id(p), []).append(p)
    return [replace(group[0], also=tuple(p.row for p in group[1:] if p.row is not None)) for group in same.values()]


def check_plain_digits(package: RawPackage) -> Iterator[Problem]:
    """Frictionless accepts any Unicode digit in numbers and dates (２９ as 29); readers' tools do not."""
    for file, row, field, kind, cell in package.cells_of_types(*TYPES):
        if cell and not cell.isascii():
            invalid = {"value": cell, "type": _type_name(kind), "fix": _value_fix(cell, kind)}
            yield Problem(file, "value-not-ascii", invalid, row, field)


def iso_date(cell: str, day_needed: bool) -> str | None:
    """2023年2月 or 2023/2/1 as ISO 8601 (2023-02, 2023-02-01), if the cell is such a date."""
    match = CHINESE_DATE.match(cell) or SLASH_DATE.match(cell)
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    day = f"-{int(match[3]):02d}" if match[3] else "-01" if day_needed else ""
    return f"{match[1]}-{int(match[2]):02d}{day}"


def _value_fix(cell: Any, field_type: str) -> Text:
    """How to correct a cell that is not a valid value of its field."""
    text = str(cell)
    if text != text.strip():
        return SPACES
    if field_type in {"number", "integer"} and THOUSANDS.match(text):
        return Text("fix.thousands-separator", {"plain": re.sub(r"[,，]", "", text), "value": text})
    if FULL_WIDTH.search(text):
        plain = "".join(chr(ord(c) - 0xFEE0) if FULL_WIDTH.match(c) else c for c in text)
        return Text("fix.full-width-digits", {"plain": plain, "value": text})
    iso = iso_date(text, day_needed=field_type in {"date", "datetime"})
    if iso:
        return Text("fix.iso-date", {"iso": iso, "value": text})
    return TYPES[field_type][1] if field_type in TYPES else Text("fix.valid-value", {"type": _type_name(field_type)})


LABEL_ERRORS = {"incorrect-label", "missing-label", "extra-label", "duplicate-label", "blank-label"}
CODES = {  # the problem of a frictionless error, by its type or by the constraint it breaks
    "missing-cell": "cell-missing",
    "blank-row": "row-empty",
    "unique-error": "value-not-unique",
    **dict.fromkeys(LABEL_ERRORS, "header-mismatch"),
    "required": "value-required",
    "enum": "value-not-allowed",
    "minimum": "below-minimum",
    "maximum": "above-maximum",
    "minLength": "text-too-short",
    "maxLength": "text-too-long",
    "unique": "value-not-unique",
}


def _row_problem(file: str, e: dict[str, Any], schema: dict[str, Any], package: RawPackage) -> Problem:
    kind, row, field, cell = e.get("type"), e.get("rowNumber"), e.get("fieldName"), e.get("cell")
    field_type = next((f["type"] for f in schema.get("fields", []) if f["name"] == field), "value")
    if kind == "type-error":
        code = "value-not-valid-full-width" if FULL_WIDTH.search(str(cell)) else "value-not-valid"
        invalid = {"value": cell, "type": _type_name(field_type), "fix": _value_fix(cell, field_type)}
        return Problem(file, code, invalid, row, field)
    if kind == "primary-key":
        key = ", ".join(schema.get("primaryKey", []))
        cells = ", ".join(map(str, e.get("cells", [])))
        return Problem(file, "primary-key-repeated", {"key": key, "cells": cells}, row, key)
    if kind == "foreign-key":
        return _foreign_key_problem(file, e, row, package)
    if kind == "extra-cell":
        return (
            Problem(file, "cell-extra-holding", {"value": cell}, row) if cell else Problem(file, "cell-extra", row=row)
        )
    text, match = str(cell), CONSTRAINT_NOTE.search(e.get("note", "")) if kind == "constraint-error" else None
    name, limit = match.groups() if match else ("", "")
    if name in {"enum", "pattern"} and isinstance(cell, str) and text != text.strip():
        code = "code-with-spaces"
    elif name == "pattern":
        iso = iso_date(text, day_needed=False)
        code = "date-not-iso" if iso else "not-a-web-address" if "https?://" in limit else "pattern-mismatch"
    else:
        code = CODES.get(name or kind, "constraint-broken" if kind == "constraint-error" else "frictionless-other")
    pool = {"value": text, "limit": limit, "allowed": limit, "pattern": limit, "constraint": name, "field": field}
    pool |= {"iso": iso_date(text, day_needed=False), "detail": e.get("message", kind)}
    return Problem(file, code, {k: pool[k] for k in parameters(code)}, 1 if kind in LABEL_ERRORS else row, field)


def _foreign_key_problem(file: str, e: dict[str, Any], row: int | None, package: RawPackage) -> Problem:
    names, values, table = ", ".join(e["fieldNames"]), ", ".join(e["fieldCells"]), e["referenceName"]
    cells = (cell for row in package.tables.get(table, []) for cell in row.values() if isinstance(cell, str))
    spaced = next((cell for cell in cells if cell != values and cell.strip() == values), None)  # the key, once stripped
    if values != values.strip():
        fix = SPACES
    elif spaced:
        fix = Text("fix.code-spaced-there", {"table": table, "spaced": spaced})
    else:
        fix = Text("fix.add-code", {"table": table})
    return Problem(file, "code-not-found", {"fields": names, "values": values, "table": table, "fix": fix}, row, names)
