"""Releases of a package: its CHANGELOG.md, and the rows each release added, removed or changed."""

import csv
import io
import json
import re
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from scripts.downloads import CHANGELOG
from scripts.model import Package
from scripts.packages import DESCRIPTOR
from scripts.paths import ROOT, display
from scripts.problems import Problem

HEADING = re.compile(r"^## (?P<version>\d+\.\d+\.\d+) — (?P<date>\d{4}-\d{2}-\d{2})\s*$")
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


def read_changelog(folder: Path) -> tuple[list[tuple[str, date, list[str]]], list[Problem]]:
    """Releases, newest first, as (version, date, notes)."""
    path = folder / CHANGELOG
    where = display(path)
    if not path.is_file():
        return [], [
            Problem(
                where,
                "the package has no CHANGELOG.md",
                "add one with a heading “## 1.0.0 — YYYY-MM-DD” and notes for each release",
                message_zh="数据包缺少 CHANGELOG.md 更新记录",
                fix_zh="新建该文件，每个版本写一个标题“## 1.0.0 — YYYY-MM-DD”及更新说明",
            )
        ]
    releases: list[tuple[str, date, list[str]]] = []
    problems: list[Problem] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("## "):
            match = HEADING.match(line)
            if not match or not _is_date(match["date"]):
                problems.append(
                    Problem(
                        where,
                        f"the heading “{line}” is not “## VERSION — YYYY-MM-DD”",
                        "write e.g. “## 1.1.0 — 2026-12-01” (with an em dash)",
                        row=number,
                        message_zh=f"标题“{line}”不是“## 版本 — YYYY-MM-DD”的格式",
                        fix_zh="例如写成“## 1.1.0 — 2026-12-01”（中间为长破折号）",
                    )
                )
                continue
            releases.append((match["version"], date.fromisoformat(match["date"]), []))
        elif line.startswith("- ") and releases:
            releases[-1][2].append(line[2:].strip())
    return releases, problems


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def check_changelog(folder: Path, version: str) -> list[Problem]:
    """The newest release in the changelog is the descriptor's version, and versions only go up."""
    releases, problems = read_changelog(folder)
    where = display(folder / CHANGELOG)
    if releases and releases[0][0] != version:
        problems.append(
            Problem(
                where,
                f"the newest release is {releases[0][0]} but datapackage.json says {version}",
                f"add a “## {version} — YYYY-MM-DD” section at the top, or correct the version",
                message_zh=f"更新记录的最新版本是 {releases[0][0]}，但 datapackage.json 的版本是 {version}",
                fix_zh=f"在更新记录顶部加一节“## {version} — YYYY-MM-DD”，或改正版本号",
            )
        )
    ordered = [tuple(map(int, v.split("."))) for v, _, _ in releases]
    if ordered != sorted(ordered, reverse=True) or len(set(ordered)) != len(ordered):
        problems.append(
            Problem(
                where,
                "release versions are not in strictly descending order",
                "list each release once, newest first",
                message_zh="版本号没有按从新到旧严格递减排列",
                fix_zh="每个版本只写一次，最新的在最上面",
            )
        )
    return problems


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
    result = []
    for index, (version, day, notes) in enumerate(entries):
        if version == package.version:
            current: Rows | None = rows_of(package)
        else:
            current = rows_at(commits[version], package, repo) if version in commits else None
        older = entries[index + 1][0] if index + 1 < len(entries) else None
        if older is None:
            previous: Rows | None = {}
        else:
            previous = rows_at(commits[older], package, repo) if older in commits else None
        diffs = diff(previous, current) if current is not None and previous is not None else []
        result.append(Release(version, day, notes, diffs))
    return result
