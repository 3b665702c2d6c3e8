"""A report that restates held figures, disagrees with one and adds one (tests/fixtures/sources, fictional): the draft
matches each restated figure to the observation it restates, and the import turns them into statements of it, all or
nothing. Expectations come from the fixture's own statements of that report."""

import csv
from pathlib import Path

import openpyxl
import pytest

from scripts.checks.validate import validate_package
from scripts.data.problems import errors
from scripts.maintain.importer import import_workbook
from scripts.maintain.workbook import MATCH_COLUMNS
from tests.conftest import FIXTURE_SOURCES, Workspace
from tests.maintain_support import csv_bytes, draft, header, put, records, row_where

SOURCE = "fictional-2026-03-01-followup"
NEW = {"value": 15, "locator": 8}  # 15 river and lake patrol posts: no held observation states it
PREFERRED = (
    "回访报道给出的办结率有一位小数，网站采用这个数字。",
    "The follow-up report gives the completion rate to one decimal place, and the site uses its figure.",
)


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def before_the_report(workspace: Workspace) -> list[dict[str, str]]:
    """The fixture as it stood before the follow-up report: its statements and source row removed; returns them."""
    statements = rows(workspace.table("statements"))
    workspace.table("statements").write_text(",".join(statements[0]) + "\n", encoding="utf-8")
    sources = workspace.table("sources").read_text(encoding="utf-8").splitlines(keepends=True)
    workspace.table("sources").write_text("".join(s for s in sources if SOURCE not in s), encoding="utf-8")
    return statements


@pytest.fixture
def prepared(tmp_path: Path):
    workspace = Workspace(tmp_path / "package")
    statements = before_the_report(workspace)
    drafted = draft(SOURCE, workspace.datasets, FIXTURE_SOURCES, tmp_path / f"{SOURCE}.xlsx")
    return workspace, statements, drafted


def test_the_draft_matches_every_restated_figure_to_its_observation(prepared):
    workspace, statements, drafted = prepared
    sheet = openpyxl.load_workbook(drafted)["observations"]
    assert header(sheet)[-len(MATCH_COLUMNS) :] == list(MATCH_COLUMNS)
    offered = records(sheet)
    held = {r["observation_id"]: r for r in rows(workspace.table("observations"))}
    for statement in statements:
        row = next(
            r for r in offered if r["locator"] == int(statement["locator"]) and r["value"] == float(statement["value"])
        )
        assert row["observation_id"] == statement["observation_id"]
        agrees = statement["value"] == held[statement["observation_id"]]["value"]
        assert row["match"] == ("same" if agrees else "differs")
        assert row["held_value"] == float(held[statement["observation_id"]]["value"])
        if not agrees:
            number = row_where(sheet, observation_id=statement["observation_id"])
            assert sheet[f"{letter_of(sheet, 'match')}{number}"].fill.fgColor.rgb.endswith("F8CBAD")
    new = next(r for r in offered if r["locator"] == NEW["locator"] and r["value"] == NEW["value"])
    assert new["match"] == "new" and not new["observation_id"]


def letter_of(sheet, name: str) -> str:
    return openpyxl.utils.get_column_letter(header(sheet).index(name) + 1)


def fill(drafted: Path, statements: list[dict[str, str]], reason: bool = True, prefer: str = "") -> Path:
    """Translate the restated figures as the fixture does, give the conflicts their reason (preferring this report's
    value of one observation, if told), keep the new figure."""
    book = openpyxl.load_workbook(drafted)
    put(book["sources"], 2, publisher_zh="测试用虚构来源", publisher_en="Fictional source for tests",
        title_en="A fictional report (for tests only, never published): the “big section” reform revisited",
        authors_zh="记者 虚构", published="2026-03-01T09:00:00+08:00",
        url="https://example.invalid/followup")  # fmt: skip
    sheet = book["observations"]
    for statement in statements:
        number = row_where(sheet, observation_id=statement["observation_id"])
        reasons = {k: statement[k] for k in ("rank", "rank_reason_zh", "rank_reason_en") if reason and statement[k]}
        put(sheet, number, excerpt_en=statement["excerpt_en"], **reasons)
        if statement["observation_id"] == prefer:
            put(sheet, number, rank="preferred", rank_reason_zh=PREFERRED[0], rank_reason_en=PREFERRED[1])
    put(book["indicators"], 2, indicator_id="patrol_posts", name_zh="巡查岗位数", name_en="Patrol posts",
        definition_zh="新设的河湖巡查岗位数量", definition_en="River and lake patrol posts created",
        unit_zh="个", unit_en="posts")  # fmt: skip
    put(sheet, row_where(sheet, **NEW), observation_id="water-patrol-posts", unit_id="water-bureau",
        indicator_id="patrol_posts", strand_id="strengthening", period="not-stated",
        excerpt_en="the Municipal Water Bureau created 15 river and lake patrol posts")  # fmt: skip
    path = drafted.with_name("filled.xlsx")
    book.save(path)
    return path


def test_restated_figures_import_as_statements_and_the_new_one_as_an_observation(prepared):
    workspace, statements, drafted = prepared
    observations = rows(workspace.table("observations"))
    outcome = import_workbook(fill(drafted, statements), workspace.datasets, FIXTURE_SOURCES)
    assert outcome.ok, "\n".join(outcome.lines)
    assert outcome.added == {"sources": 1, "observations": 1, "statements": len(statements), "indicators": 1}
    added = rows(workspace.table("observations"))[len(observations) :]
    assert [r["observation_id"] for r in added] == ["water-patrol-posts"]
    fields = ("observation_id", "source_id", "locator", "excerpt", "value", "qualifier", "rank", "rank_reason_en")
    imported = rows(workspace.table("statements"))
    assert [[r[f] for f in fields] for r in imported] == [[s[f] for f in fields] for s in statements]
    assert errors(validate_package(workspace.package, FIXTURE_SOURCES).problems) == []
    again = records(openpyxl.load_workbook(draft(SOURCE, workspace.datasets, FIXTURE_SOURCES, drafted))["held"])
    held = {value for r in again for key, value in r.items() if key.startswith("held by")}
    assert {r["statement_id"] for r in imported} | {"water-patrol-posts"} <= held  # so none is offered again


def test_a_conflict_without_its_reason_is_refused_at_its_cell_and_nothing_is_written(prepared):
    workspace, statements, drafted = prepared
    before = csv_bytes(workspace.package)
    filled = fill(drafted, statements, reason=False)
    outcome = import_workbook(filled, workspace.datasets, FIXTURE_SOURCES)
    assert not outcome.ok and csv_bytes(workspace.package) == before
    sheet = openpyxl.load_workbook(filled)["observations"]
    column = letter_of(sheet, "rank_reason_zh")
    conflicts = [s["observation_id"] for s in statements if s["rank_reason_zh"]]
    where = [f"observations!{column}{row_where(sheet, observation_id=c)}" for c in conflicts]
    found = [p for p in outcome.problems if p.code == "statement-conflict-without-reason"]
    assert sorted(p.file for p in found) == sorted(where) and len(where) == 2
    assert str(found[0]) in "\n".join(outcome.lines)


def test_a_new_value_the_maintainer_prefers_takes_the_observations_row_and_the_held_one_becomes_a_statement(prepared):
    workspace, statements, drafted = prepared
    preferred = next(s for s in statements if s["observation_id"] == "city-window-completion-rate")
    lines = workspace.table("observations").read_text(encoding="utf-8").splitlines(keepends=True)
    held = rows(workspace.table("observations"))
    filled = fill(drafted, statements, prefer=preferred["observation_id"])
    outcome = import_workbook(filled, workspace.datasets, FIXTURE_SOURCES)
    assert outcome.ok, "\n".join(outcome.lines)
    assert errors(validate_package(workspace.package, FIXTURE_SOURCES).problems) == []
    after = workspace.table("observations").read_text(encoding="utf-8").splitlines(keepends=True)
    changed = [n for n, line in enumerate(lines) if after[n] != line]
    assert [held[n - 1]["observation_id"] for n in changed] == [preferred["observation_id"]]  # nothing else moves
    stated = ("value", "qualifier", "source_id", "locator", "excerpt", "excerpt_en", "speaker_zh", "speaker_en")
    index = changed[0] - 1
    now = rows(workspace.table("observations"))[index]
    assert {k: now[k] for k in stated} == {k: preferred[k] for k in stated}
    assert {k: v for k, v in now.items() if k not in stated} == {
        k: v for k, v in held[index].items() if k not in stated
    }
    former = next(r for r in rows(workspace.table("statements")) if r["source_id"] == held[index]["source_id"])
    assert former["statement_id"] == f"{preferred['observation_id']}-{held[index]['source_id']}"
    assert {k: former[k] for k in stated} == {k: held[index][k] for k in stated}
    assert (former["rank"], former["rank_reason_zh"], former["rank_reason_en"]) == ("normal", *PREFERRED)
