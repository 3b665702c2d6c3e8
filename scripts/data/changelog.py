"""A package's CHANGELOG.md: its releases, newest first, each with a version, a date, notes and corrections.

A release may list the errors it corrects under the sub-heading CORRECTIONS, one item per corrected row, naming the
row as `table/id` before a colon: “- `observations/drc-sections-after`: 数值由 5 改为 6 … / the value …”.
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


def _malformed(where: str, number: int, line: str, what_en: str, what_zh: str) -> Problem:
    return Problem(
        where,
        f"{what_en}: “{line}”",
        f"list each corrected row under “{CORRECTIONS}” as “- `table/id`: what was corrected”, e.g. {EXAMPLE}",
        row=number,
        message_zh=f"{what_zh}：“{line}”",
        fix_zh=f"在“{CORRECTIONS}”下每条更正写一项“- `表名/行编号`：更正了什么”，例如 {EXAMPLE}",
    )


def read_changelog(folder: Path) -> tuple[list[Entry], list[Problem]]:
    """Releases, newest first, as (version, date, notes, corrections)."""
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
    releases: list[Entry] = []
    problems: list[Problem] = []
    in_corrections = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("### "):
            in_corrections = line.strip() == CORRECTIONS and bool(releases)
            if line.strip() != CORRECTIONS:
                problems.append(
                    _malformed(
                        where,
                        number,
                        line,
                        f"a release's only sub-heading is “{CORRECTIONS}”",
                        f"版本下唯一可用的小标题是“{CORRECTIONS}”",
                    )
                )
            elif not releases:
                problems.append(
                    _malformed(
                        where,
                        number,
                        line,
                        "corrections stand under the release that makes them (after its “## VERSION — DATE” heading)",
                        "更正须写在作出更正的版本标题（“## 版本 — 日期”）之下",
                    )
                )
        elif in_corrections and line.strip() and not line.startswith("## "):
            match = CORRECTION.match(line)
            if match:
                releases[-1].corrections.append(Correction(match["table"], match["key"], match["text"].strip()))
            else:
                problems.append(
                    _malformed(
                        where,
                        number,
                        line,
                        "a correction does not name its row as “- `table/id`:” followed by what was corrected",
                        "更正条目没有以“- `表名/行编号`：”写明所更正的行及更正内容",
                    )
                )
        elif line.startswith("## "):
            in_corrections = False
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
            releases.append(Entry(match["version"], date.fromisoformat(match["date"]), [], []))
        elif line.startswith("- ") and releases:
            releases[-1].notes.append(line[2:].strip())
    return releases, problems


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
