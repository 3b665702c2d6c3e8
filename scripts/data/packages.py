"""Find data packages and read their descriptors and CSV files, refusing what cannot be read faithfully."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.data.messages import Text
from scripts.data.paths import DATASETS, display
from scripts.data.problems import Problem

DESCRIPTOR = "datapackage.json"
CHANGELOG = "CHANGELOG.md"
UTF8_BOM = b"\xef\xbb\xbf"

SAVE_AS_UTF8 = Text("fix.save-as-utf8")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx workbook


@dataclass
class RawPackage:
    """A package as read from disk: its descriptor and each table's rows as text, keyed by resource name."""

    folder: Path
    descriptor: dict[str, Any]
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    bom_resources: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return str(self.descriptor.get("name", self.folder.name))

    def resource(self, name: str) -> dict[str, Any]:
        return next(r for r in self.descriptor["resources"] if r.get("name") == name)

    def table_path(self, name: str) -> Path:
        return self.folder / self.resource(name)["path"]

    def tables_with(self, *fields: str) -> Iterator[tuple[str, list[dict[str, str]]]]:
        """(file as shown, rows) of each table with rows that has all the fields."""
        for name, rows in self.tables.items():
            if rows and set(fields) <= rows[0].keys():
                yield display(self.table_path(name)), rows

    def rows_with(self, *fields: str) -> Iterator[tuple[str, int, dict[str, str]]]:
        """(file as shown, row number, row) of each row of those tables; row 1 is the header, as in Excel."""
        for file, rows in self.tables_with(*fields):
            for number, row in enumerate(rows, start=2):
                yield file, number, row

    def cells_of_types(self, *types: str) -> Iterator[tuple[str, int, str, str, str | None]]:
        """(file as shown, row number, field, its type, cell) of each cell of a field of one of the types."""
        for resource in self.descriptor.get("resources", []):
            fields = [f for f in resource.get("schema", {}).get("fields", []) if f.get("type", "string") in types]
            rows = self.tables.get(resource.get("name"), [])
            file = display(self.table_path(resource["name"])) if rows else ""
            for row_number, row in enumerate(rows, start=2):
                for f in fields:
                    yield file, row_number, f["name"], f.get("type", "string"), row.get(f["name"])


def discover(datasets: Path = DATASETS) -> tuple[list[Path], list[Problem]]:
    """Package folders under datasets/; a folder without a descriptor is an error, not something to skip."""
    folders, problems = [], []
    for entry in sorted(datasets.iterdir()) if datasets.is_dir() else []:
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        if (entry / DESCRIPTOR).is_file():
            folders.append(entry)
        else:
            problems.append(Problem(display(entry), "folder-without-descriptor", {"descriptor": DESCRIPTOR}))
    if not folders and not problems:
        problems.append(Problem(display(datasets), "no-packages", {"descriptor": DESCRIPTOR}))
    return folders, problems


def _not_utf8(where: str, data: bytes, error: UnicodeDecodeError) -> Problem:
    """Why a file is not UTF-8, in the terms of the program that saved it."""
    line = data[: error.start].count(b"\n") + 1
    if data.startswith(ZIP_MAGIC):
        return Problem(where, "csv-is-xlsx")
    if data.startswith(UTF16_BOMS):
        return Problem(where, "csv-utf16", {"fix": SAVE_AS_UTF8})
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return Problem(where, "csv-not-utf8", {"line": line, "fix": SAVE_AS_UTF8})
    return Problem(where, "csv-gbk", {"fix": SAVE_AS_UTF8}, row=line)


def load_raw(folder: Path) -> tuple[RawPackage | None, list[Problem]]:
    """Descriptor and table text of one package, with every problem that stops them being read."""
    where = display(folder / DESCRIPTOR)
    try:
        descriptor = json.loads((folder / DESCRIPTOR).read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [Problem(where, "descriptor-not-utf8")]
    except json.JSONDecodeError as error:
        found = {"error": error.msg, "line": error.lineno, "column": error.colno}
        return None, [Problem(where, "descriptor-not-json", found)]
    if not isinstance(descriptor, dict):
        return None, [Problem(where, "descriptor-not-object")]
    package, problems = RawPackage(folder, descriptor), []
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return package, [Problem(where, "no-resources", field="resources")]
    for index, resource in enumerate(resources):
        name, path = (resource.get("name"), resource.get("path")) if isinstance(resource, dict) else (None, None)
        if not isinstance(name, str) or not isinstance(path, str):
            problems.append(Problem(where, "resource-without-name-or-path", {"number": index + 1}, field="resources"))
            continue
        file = folder / path
        if not file.is_file():
            missing = {"name": name, "path": path, "file": display(file)}
            problems.append(Problem(where, "resource-file-missing", missing, field="path"))
            continue
        data = file.read_bytes()
        try:
            text = data.removeprefix(UTF8_BOM).decode("utf-8")
            package.tables[name] = list(csv.DictReader(io.StringIO(text, newline="")))
        except UnicodeDecodeError as error:
            problems.append(_not_utf8(display(file), data.removeprefix(UTF8_BOM), error))
        if data.startswith(UTF8_BOM):
            package.bom_resources.add(name)
            problems.append(Problem(display(file), "csv-bom", severity="warning"))
    return package, problems
