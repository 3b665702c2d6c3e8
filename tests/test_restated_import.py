"""A report that restates held figures, disagrees with two and adds one (the fictional follow-up): the draft matches
each restated figure to its observation; the import makes it a statement, or the preferred value, all or nothing."""

import shutil
from pathlib import Path

import openpyxl
import pytest

from scripts.checks.validate import validate_package
from scripts.data.paths import DATASETS
from scripts.data.problems import errors
from scripts.data.statements import STATED
from scripts.maintain.importer import import_workbook
from scripts.maintain.workbook import MATCH_COLUMNS
from tests.conftest import FIXTURE_DATASETS, FIXTURE_SOURCES, Workspace
from tests.maintain_support import csv_bytes, draft, header, letter, put, records, row_where, rows

SOURCE = "fictional-2026-03-01-followup"
NEW = {"value": 15, "locator": 8}  # 15 river and lake patrol posts: no held observation states it
PREFERRED = "city-window-completion-rate"  # 99.2% where the first report gives 99%
REASON = (
    "回访报道给出的办结率有一位小数，网站采用这个数字。",
    "The follow-up gives the completion rate to one decimal.",
)


def before_followup(folder: Path) -> tuple[Workspace, list[dict[str, str]]]:
    """The fixture as it stood before the follow-up (its statements and source row removed), and those statements."""
    workspace = Workspace(folder / "package")
    statements = rows(workspace.table("statements"))
    workspace.table("statements").write_text(",".join(statements[0]) + "\n", encoding="utf-8")
    sources = workspace.table("sources").read_text(encoding="utf-8").splitlines(keepends=True)
    workspace.table("sources").write_text("".join(s for s in sources if SOURCE not in s), encoding="utf-8")
    return workspace, statements


@pytest.fixture(scope="module")
def followup_draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("followup")
    return draft(SOURCE, before_followup(folder)[0].datasets, FIXTURE_SOURCES, folder / f"{SOURCE}.xlsx")


@pytest.fixture
def prepared(followup_draft: Path, tmp_path: Path):
    return *before_followup(tmp_path), Path(shutil.copy(followup_draft, tmp_path))


def test_the_draft_matches_every_restated_figure_to_its_observation(prepared):
    workspace, statements, drafted = prepared
    sheet = openpyxl.load_workbook(drafted)["observations"]
    assert header(sheet)[-len(MATCH_COLUMNS) :] == list(MATCH_COLUMNS)
    offered = records(sheet)
    held = {r["observation_id"]: r for r in rows(workspace.table("observations"))}
    for statement in statements:  # 市水务局的内设机构数量从12个压减到9个: by its unit and indicator, 12 and 9 in order
        at = (int(statement["locator"]), float(statement["value"]))
        row = next(r for r in offered if (r["locator"], r["value"]) == at)
        observation = held[statement["observation_id"]]
        agrees = statement["value"] == observation["value"]
        assert (row["observation_id"], row["match"]) == (observation["observation_id"], "same" if agrees else "differs")
        assert row["held_value"] == float(observation["value"])
        cell = sheet[f"{letter('match')}{row_where(sheet, observation_id=statement['observation_id'])}"]
        assert cell.fill.fgColor.rgb.endswith("FFF2CC" if agrees else "F8CBAD")
    new = next(r for r in offered if (r["locator"], r["value"]) == (NEW["locator"], NEW["value"]))
    assert new["match"] == "new" and not new["observation_id"]


def test_only_an_unambiguous_match_by_unit_and_indicator_counts(tmp_path):
    """市水务局现有内设机构数9个 fits the bureau's sections before and after the reform alike: it stays new."""
    text = "虚构报道（仅供测试）\n市水务局现有内设机构数9个。\n全市政务服务窗口的办结率为99.5%。\n"
    (tmp_path / "fictional-match.txt").write_text(text, encoding="utf-8")
    book = openpyxl.load_workbook(draft("fictional-match", FIXTURE_DATASETS, tmp_path, tmp_path / "match.xlsx"))
    matched = [(r["value"], r["match"], r["observation_id"]) for r in records(book["observations"])]
    assert matched == [(9, "new", None), (99.5, "differs", PREFERRED)]


def test_a_restatement_of_the_real_report_is_matched_figure_by_figure(archived_source, tmp_path):
    """Its 市发改委… in the real report's words, its 全市29家…精简了70个内设机构 in its own."""
    for text in (archived_source, FIXTURE_SOURCES / "fictional-2026-02-01-restated.txt"):
        shutil.copy(text, tmp_path)
    book = openpyxl.load_workbook(draft("fictional-2026-02-01-restated", DATASETS, tmp_path, tmp_path / "r.xlsx"))
    assert [(r["value"], r["observation_id"], r["match"]) for r in records(book["observations"])] == [
        (29, "drc-sections-before", "same"),
        (22, "drc-sections-after", "same"),
        (29, "city-departments-cutting-sections", "same"),
        (70, "city-sections-cut", "differs"),
    ]


def fill(drafted: Path, statements: list[dict[str, str]], reason: bool = True, prefer: dict | None = None) -> Path:
    """Translate the restated figures as the fixture does, give the conflicts their reasons (or prefer PREFERRED's
    new value), keep the new figure."""
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
        if prefer and statement["observation_id"] == PREFERRED:
            put(sheet, number, rank="preferred", rank_reason_zh=REASON[0], rank_reason_en=REASON[1], **prefer)
    put(book["indicators"], 2, indicator_id="patrol_posts", name_zh="巡查岗位数", name_en="Patrol posts",
        definition_zh="新设的河湖巡查岗位数量", definition_en="River and lake patrol posts created",
        unit_zh="个", unit_en="posts")  # fmt: skip
    put(sheet, row_where(sheet, **NEW), observation_id="water-patrol-posts", unit_id="water-bureau",
        indicator_id="patrol_posts", strand_id="strengthening", period="not-stated",
        excerpt_en="the Municipal Water Bureau created 15 river and lake patrol posts")  # fmt: skip
    book.save(drafted.with_name("filled.xlsx"))
    return drafted.with_name("filled.xlsx")


def test_conflicts_without_their_reasons_are_refused_at_their_cells_and_nothing_is_written(prepared):
    workspace, statements, drafted = prepared
    before = csv_bytes(workspace.package)
    outcome = import_workbook(filled := fill(drafted, statements, reason=False), workspace.datasets, FIXTURE_SOURCES)
    assert not outcome.ok and csv_bytes(workspace.package) == before
    sheet = openpyxl.load_workbook(filled)["observations"]
    conflicts = [s["observation_id"] for s in statements if s["rank_reason_zh"]]
    where = [f"observations!{letter('rank_reason_zh')}{row_where(sheet, observation_id=c)}" for c in conflicts]
    found = [p for p in outcome.problems if p.code == "statement-conflict-without-reason"]
    assert sorted(p.file for p in found) == sorted(where) and len(where) == 2
    assert str(found[0]) in "\n".join(outcome.lines)


def test_two_rows_preferring_new_values_for_one_observation_are_refused_at_the_second(prepared):
    workspace, statements, drafted = prepared
    before = csv_bytes(workspace.package)
    book = openpyxl.load_workbook(filled := fill(drafted, statements, prefer={"held_rank": ""}))
    first, second = sorted(
        [row_where(book["observations"], observation_id=PREFERRED), row_where(book["observations"], **NEW)]
    )
    put(book["observations"], row_where(book["observations"], **NEW), observation_id=PREFERRED, match="differs",
        rank="preferred", rank_reason_zh=REASON[0], rank_reason_en=REASON[1])  # fmt: skip
    book.save(filled)
    outcome = import_workbook(filled, workspace.datasets, FIXTURE_SOURCES)
    assert not outcome.ok and csv_bytes(workspace.package) == before
    [problem] = [p for p in outcome.problems if p.code == "preferred-twice"]
    assert problem.file == f"observations!{letter('rank')}{second}" and problem.params["first_row"] == first
    assert str(problem) in "\n".join(outcome.lines)


@pytest.mark.parametrize("held_rank", [None, "", "deprecated"], ids=["held-kept", "new-preferred", "held-deprecated"])
def test_the_new_figure_imports_as_an_observation_the_restated_ones_as_statements_or_as_a_preferred_value(
    prepared, held_rank
):
    """A preferred new value takes its observation's row; the held one becomes a statement ranked held_rank."""
    workspace, statements, drafted = prepared
    lines = workspace.table("observations").read_text(encoding="utf-8").splitlines()
    held = rows(workspace.table("observations"))
    prefer = None if held_rank is None else {"held_rank": held_rank}
    outcome = import_workbook(fill(drafted, statements, prefer=prefer), workspace.datasets, FIXTURE_SOURCES)
    assert outcome.ok, "\n".join(outcome.lines)
    assert errors(validate_package(workspace.package, FIXTURE_SOURCES).problems) == []
    assert [r["observation_id"] for r in rows(workspace.table("observations"))[len(held) :]] == ["water-patrol-posts"]
    after = workspace.table("observations").read_text(encoding="utf-8").splitlines()
    changed = [held[n - 1] for n, line in enumerate(lines) if after[n] != line]  # the header is line 0
    imported = rows(workspace.table("statements"))
    stated = [s for s in statements if prefer is None or s["observation_id"] != PREFERRED]
    fields = ("observation_id", "value", "qualifier", "rank", "rank_reason_en", *STATED[2:])
    restated = [[r[f] for f in fields] for r in imported if r["source_id"] == SOURCE]
    assert restated == [[s[f] for f in fields] for s in stated]
    if prefer:
        [was] = changed  # nothing else moves
        now = next(r for r in rows(workspace.table("observations")) if r["observation_id"] == PREFERRED)
        assert now == was | {k: next(s for s in statements if s["observation_id"] == PREFERRED)[k] for k in STATED}
        [former] = [r for r in imported if r["source_id"] != SOURCE]
        rank = {"rank": held_rank or "normal", "rank_reason_zh": REASON[0], "rank_reason_en": REASON[1]}
        assert former == former | {k: was[k] for k in STATED} | rank | {
            "statement_id": f"{PREFERRED}-{was['source_id']}"
        }
    else:
        assert changed == [] and outcome.added == {"sources": 1, "observations": 1, "statements": 7, "indicators": 1}
    again = records(openpyxl.load_workbook(draft(SOURCE, workspace.datasets, FIXTURE_SOURCES, drafted))["held"])
    held_by = {value for r in again for key, value in r.items() if key.startswith("held by")}
    ours = {r["statement_id"] for r in imported if r["source_id"] == SOURCE} | {"water-patrol-posts"}
    assert ours | ({PREFERRED} if prefer else set()) <= held_by  # so none is offered again
