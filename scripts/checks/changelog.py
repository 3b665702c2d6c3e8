"""The changelog agrees with the descriptor: its newest release is the package's version, and versions only go up."""

from pathlib import Path

from scripts.data.changelog import read_changelog
from scripts.data.packages import CHANGELOG
from scripts.data.paths import display
from scripts.data.problems import Problem


def check_changelog(folder: Path, version: str) -> list[Problem]:
    """The newest release in the changelog is the descriptor's version, and versions only go up."""
    releases, problems = read_changelog(folder)
    where = display(folder / CHANGELOG)
    if releases and releases[0].version != version:
        problems.append(
            Problem(
                where,
                f"the newest release is {releases[0].version} but datapackage.json says {version}",
                f"add a “## {version} — YYYY-MM-DD” section at the top, or correct the version",
                message_zh=f"更新记录的最新版本是 {releases[0].version}，但 datapackage.json 的版本是 {version}",
                fix_zh=f"在更新记录顶部加一节“## {version} — YYYY-MM-DD”，或改正版本号",
            )
        )
    ordered = [tuple(map(int, release.version.split("."))) for release in releases]
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
