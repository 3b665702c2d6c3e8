"""A package's CHANGELOG.md: its releases, newest first (the newest the descriptor's version), each with a version,
a date, notes and the rows it corrects under CORRECTIONS (“- `observations/drc-sections-after`: 数值由 5 改为 6 …”).
"""

import re
from datetime import date
from pathlib import Path
from typing import NamedTuple

from scripts.data.packages import CHANGELOG
from scripts.data.paths import display
from scripts.data.problems import Problem

HEADING = re.compile(r"^## (?P<version>\d+\.\d+\.\d+) — (?P<date>\d{4}-\d{2}-\d{2})\s*$")
CORRECTIONS = "### 更正 · Corrections"
CORRECTION = re.compile(r"^- `(?P<table>[a-z0-9-]+)/(?P<key>[^`\s]+)`[:：]\s*(?P<text>\S.*)$")
EXAMPLE = "- `observations/drc-sections-after`: 数值由 5 改为 6（经核对原文第8段）/ the value changes from 5 to 6"


class Correction(NamedTuple):
    table: str
    key: str
    text: str


class Entry(NamedTuple):
    version: str
    date: date
    notes: list[str]
    corrections: list[Correction]


def _malformed(where: str, number: int, line: str, code: str) -> Problem:
    return Problem(where, code, {"line": line, "corrections": CORRECTIONS, "example": EXAMPLE}, row=number)


def read_changelog(folder: Path) -> tuple[list[Entry], list[Problem]]:
    """Releases, newest first, as (version, date, notes, corrections)."""
    path = folder / CHANGELOG
    where = display(path)
    if not path.is_file():
        return [], [Problem(where, "no-changelog")]
    releases: list[Entry] = []
    problems: list[Problem] = []
    in_corrections = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("### "):
            in_corrections = line.strip() == CORRECTIONS and bool(releases)
            if line.strip() != CORRECTIONS:
                problems.append(_malformed(where, number, line, "changelog-other-sub-heading"))
            elif not releases:
                problems.append(_malformed(where, number, line, "changelog-corrections-before-release"))
        elif in_corrections and line.strip() and not line.startswith("## "):
            match = CORRECTION.match(line)
            if match:
                releases[-1].corrections.append(Correction(match["table"], match["key"], match["text"].strip()))
            else:
                problems.append(_malformed(where, number, line, "changelog-correction-without-row"))
        elif line.startswith("## "):
            in_corrections = False
            match = HEADING.match(line)
            try:
                releases.append(Entry(match["version"], date.fromisoformat(match["date"]), [], []))
            except (TypeError, ValueError):  # no heading of a release, or not a date
                problems.append(Problem(where, "changelog-heading", {"line": line}, row=number))
        elif line.startswith("- ") and releases:
            releases[-1].notes.append(line[2:].strip())
    return releases, problems


def check_changelog(folder: Path, version: str) -> list[Problem]:
    releases, problems = read_changelog(folder)
    where = display(folder / CHANGELOG)
    if releases and releases[0].version != version:
        problems.append(Problem(where, "changelog-version", {"newest": releases[0].version, "version": version}))
    ordered = [tuple(map(int, release.version.split("."))) for release in releases]
    if ordered != sorted(ordered, reverse=True) or len(set(ordered)) != len(ordered):
        problems.append(Problem(where, "changelog-order"))
    return problems
