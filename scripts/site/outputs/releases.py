"""Releases of a package: the entries of its CHANGELOG.md, and the rows each release added, removed or changed."""

import csv
import io
import json
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from scripts.data.changelog import Correction, read_changelog
from scripts.data.model import Package
from scripts.data.packages import DESCRIPTOR
from scripts.data.paths import ROOT

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


def rows_of(package: Package) -> Rows:
    return {
        name: {_key(table.primary_key, row): row for row in _text_rows(table.path.read_text("utf-8-sig"))}
        for name, table in package.tables.items()
    }


def _text_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _key(fields: list[str], row: dict[str, str]) -> str:
    return " / ".join(row.get(f, "") for f in fields)


def diff(previous: Rows, current: Rows) -> list[TableDiff]:
    diffs = []
    for table in sorted(set(previous) | set(current)):
        old, new = previous.get(table, {}), current.get(table, {})
        changed = [key for key in new if key in old and new[key] != old[key]]
        result = TableDiff(table, [k for k in new if k not in old], [k for k in old if k not in new], changed)
        if result.added or result.removed or result.changed:
            diffs.append(result)
    return diffs


def rows_at(commit: str, package: Package, repo: Path = ROOT) -> Rows:
    """The package's rows as committed at a commit, read with git (the descriptor of that commit names the files)."""
    relative = package.folder.resolve().relative_to(repo.resolve()).as_posix()
    descriptor = json.loads(_git_show(repo, commit, f"{relative}/{DESCRIPTOR}"))
    tables: Rows = {}
    for resource in descriptor["resources"]:
        text = _git_show(repo, commit, f"{relative}/{resource['path']}")
        key = resource["schema"]["primaryKey"]
        tables[resource["name"]] = {_key(key, row): row for row in _text_rows(text)}
    return tables


def _git_show(repo: Path, commit: str, path: str) -> str:
    return subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.removeprefix("\ufeff")


def release_commits(package: Package, repo: Path = ROOT) -> dict[str, str]:
    """For each version, the last commit whose descriptor carries it (empty outside a git checkout)."""
    try:
        relative = package.folder.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return {}
    log = subprocess.run(
        ["git", "log", "--format=%H", "--", f"{relative}/{DESCRIPTOR}"], cwd=repo, capture_output=True, text=True
    )
    commits: dict[str, str] = {}
    for commit in log.stdout.split():
        version = json.loads(_git_show(repo, commit, f"{relative}/{DESCRIPTOR}")).get("version")
        commits.setdefault(version, commit)
    return commits


def releases(package: Package, repo: Path = ROOT) -> list[Release]:
    """Every release with its notes and its row changes against the release before it (newest first).

    The current release is compared from the files on disk; earlier ones from the commits that carry them. A
    release whose data is not in the history (e.g. outside a git checkout) is listed without row changes.
    """
    entries, _ = read_changelog(package.folder)
    commits = release_commits(package, repo)

    def rows(version: str) -> Rows | None:
        if version == package.version:
            return rows_of(package)
        return rows_at(commits[version], package, repo) if version in commits else None

    result = []
    for index, (version, day, notes, corrections) in enumerate(entries):
        current, previous = rows(version), rows(entries[index + 1][0]) if index + 1 < len(entries) else {}
        diffs = diff(previous, current) if current is not None and previous is not None else []
        result.append(Release(version, day, notes, diffs, corrections))
    return result
