"""The validated packages as an in-memory model that every later build step reads (never the CSVs again)."""

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from scripts.data.packages import DESCRIPTOR

PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


@dataclass(frozen=True)
class Table:
    name: str
    resource: dict[str, Any]
    path: Path
    frame: pd.DataFrame
    _indexes: dict[str, dict[Any, list[dict[str, Any]]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.resource["schema"]["fields"]

    @property
    def primary_key(self) -> list[str]:
        return self.resource["schema"]["primaryKey"]

    def position(self, key: Any) -> int:
        """The row's place in the table (from 0), by the first field of its primary key."""
        if key not in self._positions:
            raise KeyError(f"{self.name} has no row {key!r}")
        return self._positions[key]

    def where(self, column: str, value: Any) -> list[dict[str, Any]]:
        """The rows whose column equals value, in table order, from an index built once per column."""
        if column not in self._indexes:
            index: dict[Any, list[dict[str, Any]]] = {}
            for row in self.records:
                index.setdefault(row[column], []).append(row)
            self._indexes[column] = index
        return self._indexes[column].get(value, [])

    @cached_property
    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values, empty cells None; built once: callers must not change them."""
        return [
            {key: (None if pd.isna(value) else value) for key, value in row.items()}
            for row in self.frame.astype(object).to_dict("records")
        ]

    @cached_property
    def by_key(self) -> dict[str, dict[str, Any]]:
        key = self.primary_key[0]
        return {row[key]: row for row in self.records}

    @cached_property
    def _positions(self) -> dict[Any, int]:
        key = self.primary_key[0]
        positions: dict[Any, int] = {}
        for index, row in enumerate(self.records):
            positions.setdefault(row[key], index)  # a composite key: the first row of its first field
        return positions


@dataclass(frozen=True)
class Package:
    folder: Path
    descriptor: dict[str, Any]
    tables: dict[str, Table]

    @property
    def name(self) -> str:
        return self.descriptor["name"]

    @property
    def version(self) -> str:
        return self.descriptor["version"]

    def table(self, name: str) -> Table:
        if name not in self.tables:
            raise KeyError(f"package {self.name} has no table {name!r} (it has: {', '.join(self.tables)})")
        return self.tables[name]

    @cached_property
    def observations(self) -> dict[str, dict[str, Any]]:
        return self.table("observations").by_key

    def city_first(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The city as a whole's rows before a department's, each in the order given."""
        units = self.table("units").by_key
        return sorted(rows, key=lambda row: units[row["unit_id"]]["unit_type"] != "city")


def load_package(folder: Path) -> Package:
    """Each CSV typed by its schema: strings stay strings (codes are never read as numbers), empty cells are NA."""
    descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8-sig"))
    tables: dict[str, Table] = {}
    for resource in descriptor["resources"]:
        dtypes = {f["name"]: PANDAS_TYPES.get(f["type"], "string") for f in resource["schema"]["fields"]}
        path = folder / resource["path"]
        frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
        tables[resource["name"]] = Table(resource["name"], resource, path, frame)
    return Package(folder, descriptor, tables)
