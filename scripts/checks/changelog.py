"""The changelog agrees with the descriptor: its newest release is the package's version, and versions only go up."""

from pathlib import Path

from scripts.data.changelog import read_changelog
from scripts.data.packages import CHANGELOG
from scripts.data.paths import display
from scripts.data.problems import Problem


def check_changelog(folder: Path, version: str) -> list[Problem]:
    releases, problems = read_changelog(folder)
    where = display(folder / CHANGELOG)
    if releases and releases[0].version != version:
        problems.append(Problem(where, "changelog-version", {"newest": releases[0].version, "version": version}))
    ordered = [tuple(map(int, release.version.split("."))) for release in releases]
    if ordered != sorted(ordered, reverse=True) or len(set(ordered)) != len(ordered):
        problems.append(Problem(where, "changelog-order"))
    return problems
