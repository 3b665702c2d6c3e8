"""Statements by other reports (the fictional follow-up report restates held figures and disagrees with one): each is
held to the provenance rules of every excerpt, and a conflict names its reason (on copies of the fixture package)."""

import pytest

from tests.conftest import FIXTURE_SOURCES
from tests.test_validation_errors import assert_fails, bad

STM = "statements"
FOLLOW_UP = "fictional-2026-03-01-followup"
AGREES = "water-sections-before-followup"  # 12, as the first report states it
CONFLICT = "city-sections-cut-followup"  # 42 where the first report gives 40
WANG = "市委编办主任王某"  # quoted in the first report only

BAD_STATEMENTS = {
    "not-verbatim": bad(STM, AGREES, "excerpt", "市水务局内设机构由12个减至9个", "excerpt-not-verbatim"),
    "elsewhere": bad(STM, AGREES, "locator", "7", "excerpt-elsewhere", first=5),
    "unstated": bad(STM, AGREES, "value", "13", "value-not-in-excerpt", value=13),
    "misqualified": bad(STM, AGREES, "qualifier", "at-least", "qualifier-against-wording"),
    "untranslated": bad(STM, AGREES, "excerpt_en", "", "value-required"),
    "speaker-elsewhere": bad(STM, AGREES, "speaker_zh", WANG, "speaker-not-in-source", speaker=WANG),
    "conflict-without-reason": bad(
        STM, CONFLICT, "rank_reason_zh", "", "statement-conflict-without-reason", value="42", held="40"
    ),
    "reason-in-one-language": bad(STM, CONFLICT, "rank_reason_en", "", "statement-conflict-without-reason"),
    "two-preferred-values": bad(STM, CONFLICT, "rank", "preferred", "statement-second-preferred", held="40"),
    "causal-reason": bad(STM, CONFLICT, "rank_reason_zh", "回访报道随之更正", "causal-wording"),
    "unknown-observation": bad(STM, AGREES, "observation_id", "water-sections", "code-not-found"),
    "unknown-rank": bad(STM, AGREES, "rank", "best", "value-not-allowed"),
}


@pytest.mark.parametrize("case", list(BAD_STATEMENTS))
def test_a_bad_statement_is_refused_naming_its_file_row_and_field(case, workspace):
    table, key, field, value, code, params = BAD_STATEMENTS[case]
    row = workspace.row(table, key)
    workspace.set(table, key, field, value)
    assert_fails(workspace, code, f"{table}.csv", row, field, **params)


def test_a_deprecated_statement_says_why_though_it_agrees(workspace):
    row = workspace.row(STM, AGREES)
    workspace.set(STM, AGREES, "rank", "deprecated")
    assert_fails(workspace, "statement-conflict-without-reason", f"{STM}.csv", row, "rank_reason_zh", rank="deprecated")


def test_a_statement_repeating_the_observations_own_citation_is_refused(workspace):
    row = workspace.row(STM, AGREES)
    workspace.set(STM, AGREES, "source_id", "fictional-2025-06-01-report")
    workspace.set(STM, AGREES, "locator", "7")
    assert_fails(workspace, "statement-repeats-observation", f"{STM}.csv", row, "locator", locator="7")


def test_a_report_states_an_observation_once_at_a_paragraph(workspace):
    row = workspace.row(STM, "water-sections-after-followup")
    workspace.set(STM, "water-sections-after-followup", "observation_id", "water-sections-before")
    workspace.set(STM, "water-sections-after-followup", "value", "12")
    assert_fails(workspace, "statement-repeated", f"{STM}.csv", row, "locator", first_row=workspace.row(STM, AGREES))


def test_the_follow_up_reports_statements_validate(workspace):
    """Restated figures (normal) and the conflicting one (deprecated, with its reason) pass every check."""
    assert (FIXTURE_SOURCES / f"{FOLLOW_UP}.txt").read_text(encoding="utf-8").startswith("虚构报道（仅供测试")
    statements = workspace.table(STM).read_text(encoding="utf-8")
    assert statements.count(FOLLOW_UP) == 7 and ",deprecated," in statements
    result = workspace.validate()
    assert result.returncode == 0, result.stdout
