"""Releases of a package: the entries of its CHANGELOG.md, and the rows each release added, removed or changed."""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from scripts.data.changelog import Correction, read_changelog
from scripts.data.model import Package
from scripts.data.packages import DESCRIPTOR
from scripts.site.outputs.versions import release_folder

Rows = dict[str, dict[str, dict[str, str]]]  # table → key → row


@dataclass(frozen=True)
class TableDiff:
    table: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Release:
    version: str
    date: date
    notes: list[str]
    diffs: list[TableDiff] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)  # rows this release corrects, from CHANGELOG.md


def read_rows(folder: Path) -> Rows:
    """A package's rows by table and key, from the files of its folder (or of a version's frozen folder)."""

    def read(path: str) -> str:
        return (folder / path).read_text(encoding="utf-8").removeprefix("\ufeff")

    tables: Rows = {}
    for resource in json.loads(read(DESCRIPTOR))["resources"]:
        rows = csv.DictReader(io.StringIO(read(resource["path"]), newline=""))
        tables[resource["name"]] = {
            " / ".join(row.get(f, "") for f in resource["schema"]["primaryKey"]): row for row in rows
        }
    return tables


def diff(previous: Rows, current: Rows) -> list[TableDiff]:
    diffs = []
    for table in sorted(set(previous) | set(current)):
        old, new = previous.get(table, {}), current.get(table, {})
        changed = [key for key in new if key in old and new[key] != old[key]]
        result = TableDiff(table, [k for k in new if k not in old], [k for k in old if k not in new], changed)
        if result.added or result.removed or result.changed:
            diffs.append(result)
    return diffs


def releases(package: Package) -> list[Release]:
    """Every release with its notes and its row changes against the release before it (newest first): the current
    one's rows read from the package's files, earlier ones' from their frozen copies (no git history is needed). A
    release without either is listed without row changes (the build stops on it: versions.versions)."""
    entries, _ = read_changelog(package.folder)
    folders = [package.folder if v == package.version else release_folder(package.folder, v) for v, *_ in entries]
    # each version's rows read once; each release against the one before it, the oldest against nothing
    snapshots = [read_rows(folder) if folder.is_dir() else None for folder in folders] + [{}]
    result = []
    for (version, day, notes, corrections), current, previous in zip(entries, snapshots, snapshots[1:], strict=False):
        diffs = diff(previous, current) if current is not None and previous is not None else []
        result.append(Release(version, day, notes, diffs, corrections))
    return result
