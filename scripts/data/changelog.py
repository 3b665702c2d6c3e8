"""A package's CHANGELOG.md: its releases, newest first, each with a version, a date and notes."""

import re
from datetime import date
from pathlib import Path

from scripts.data.packages import CHANGELOG
from scripts.data.paths import display
from scripts.data.problems import Problem

HEADING = re.compile(r"^## (?P<version>\d+\.\d+\.\d+) — (?P<date>\d{4}-\d{2}-\d{2})\s*$")


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
