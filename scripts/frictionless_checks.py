"""Frictionless validation (types, constraints, primary and foreign keys), reported in maintainers' terms."""

import copy
import re
from typing import Any

from frictionless import FrictionlessException, Package

from scripts.packages import DESCRIPTOR, RawPackage
from scripts.paths import display
from scripts.problems import Problem

FULL_WIDTH = re.compile(r"[\uff10-\uff19\uff0c\uff0e]")
CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)

TYPE_FIXES = {
    "number": "write a plain number with the digits 0-9 and a decimal point: no units, no %, "
    "no thousands separators (1,234 → 1234), no full-width digits (２９ → 29)",
    "integer": "write a whole number with the digits 0-9: no units, no thousands separators, no full-width digits",
    "date": "write the date as YYYY-MM-DD, e.g. 2023年2月1日 → 2023-02-01",
    "datetime": "write the time as YYYY-MM-DDThh:mm:ss+08:00, e.g. 2025-04-18T09:33:00+08:00",
    "boolean": "write true or false",
    "year": "write four digits, e.g. 2024",
}


def check_with_frictionless(package: RawPackage) -> list[Problem]:
    descriptor = copy.deepcopy(package.descriptor)
    for resource in descriptor["resources"]:
        if resource.get("name") in package.bom_resources:
            resource["encoding"] = "utf-8-sig"
    where = display(package.folder / DESCRIPTOR)
    try:
        report = Package(descriptor, basepath=str(package.folder)).validate()
    except FrictionlessException as exception:
        return [
            Problem(
                where,
                f"frictionless cannot read the descriptor: {exception.error.message}",
                "correct the descriptor as the message says (see datapackage.org for the format)",
            )
        ]
    problems: list[Problem] = []
    for error in report.errors:
        problems.append(
            Problem(
                where,
                f"{error.message}",
                "correct the descriptor as the message says",
                field=getattr(error, "field_name", None),
            )
        )
    for task in report.tasks:
        file = display(package.folder / task.place) if task.place else where
        for error in task.errors:
            problems.append(_row_problem(file, error.to_descriptor(), _schema(package, task.name)))
    return problems


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
                    problems.append(
                        Problem(
                            file,
                            f"“{cell}” is not a valid {field_type} (it contains full-width "
                            "or other non-ASCII characters)",
                            TYPE_FIXES[field_type],
                            row_number,
                            field,
                        )
                    )
    return problems


def _schema(package: RawPackage, resource_name: str) -> dict[str, Any]:
    for resource in package.descriptor["resources"]:
        if resource.get("name") == resource_name:
            return resource.get("schema", {})
    return {}


def _row_problem(file: str, e: dict[str, Any], schema: dict[str, Any]) -> Problem:
    fields = {f["name"]: f for f in schema.get("fields", [])}
    kind, row, field = e.get("type"), e.get("rowNumber"), e.get("fieldName")
    cell = e.get("cell")
    spaced = isinstance(cell, str) and cell != cell.strip()
    space_fix = "remove the space(s) at the start or end of the cell" if spaced else ""

    if kind == "type-error":
        field_type = fields.get(field, {}).get("type", "value")
        hint = " (it contains full-width characters)" if FULL_WIDTH.search(str(cell)) else ""
        return Problem(
            file,
            f"“{cell}” is not a valid {field_type}{hint}",
            space_fix or TYPE_FIXES.get(field_type, f"write a valid {field_type}"),
            row,
            field,
        )
    if kind == "constraint-error":
        match = CONSTRAINT_NOTE.search(e.get("note", ""))
        name, limit = match.groups() if match else ("", "")
        return Problem(file, *_constraint(name, limit, cell, space_fix), row=row, field=field)
    if kind == "primary-key":
        key = ", ".join(schema.get("primaryKey", []))
        return Problem(
            file,
            f"this row repeats the key ({key}) “{', '.join(map(str, e.get('cells', [])))}” of an earlier row",
            "give every row its own key, or delete the duplicate row",
            row,
            key,
        )
    if kind == "foreign-key":
        names = ", ".join(e.get("fieldNames") or [])
        found = re.search(r'values "([^"]*)" not found', e.get("message", ""))
        values = found.group(1) if found else "?"
        target = re.search(r'lookup table "([^"]+)"', e.get("message", ""))
        table = target.group(1) if target else "the referenced table"
        return Problem(
            file,
            f"{names} “{values}” does not exist in {table}",
            f"correct the code (check spelling and spaces), or add a row for it to {table}.csv first",
            row,
            names,
        )
    if kind == "missing-cell":
        return Problem(
            file,
            f"the row has no cell for “{field}”",
            "add the missing value (or an empty cell) so that the row has as many cells as the header",
            row,
            field,
        )
    if kind == "extra-cell":
        return Problem(
            file,
            "the row has more cells than the header",
            "a text containing a comma must be wrapped in double quotes; remove stray commas",
            row,
            field,
        )
    if kind == "blank-row":
        return Problem(file, "the row is empty", "delete the empty row", row)
    if kind in {"incorrect-label", "missing-label", "extra-label", "duplicate-label", "blank-label"}:
        return Problem(
            file,
            f"the header does not match the schema: {e.get('message')}",
            "make the first line list exactly the schema's field names, in order",
            1,
            field,
        )
    if kind == "unique-error":
        return Problem(
            file, f"“{cell}” appears in an earlier row too", "each value in this column must be unique", row, field
        )
    return Problem(file, e.get("message", kind), "correct the file as the message says", row, field)


def _constraint(name: str, limit: str, cell: Any, space_fix: str) -> tuple[str, str]:
    if name == "required":
        return "the cell is empty but a value is required", "fill in the value"
    if name == "enum":
        return f"“{cell}” is not an allowed value", space_fix or f"use one of {limit}"
    if name == "pattern":
        return f"“{cell}” does not have the expected form", space_fix or f"match the pattern {limit}"
    if name in {"minimum", "maximum"}:
        return (
            f"{cell} is {'below the minimum' if name == 'minimum' else 'above the maximum'} {limit}",
            "correct the value",
        )
    if name in {"minLength", "maxLength"}:
        return (
            f"the text is {'too short' if name == 'minLength' else 'too long'} (limit {limit})",
            "shorten or complete the text",
        )
    if name == "unique":
        return f"“{cell}” appears in an earlier row too", "each value in this column must be unique"
    return f"“{cell}” breaks the constraint {name} = {limit}", space_fix or "correct the value"
