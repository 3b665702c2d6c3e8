"""`make validate` fires on each kind of bad input with a message naming file, row and field, and a fix,
in Chinese and in English (on a copy of the fictional fixture package)."""

import json

import pytest

from tests.problem_support import find_problem


def assert_fails(result, *fragments):
    assert result.returncode == 1, result.stdout
    return find_problem(result.stdout, *fragments)[1]


def at(workspace, table: str, key: str) -> str:
    return f"{table}.csv, row {workspace.row(table, key)}"


OBS = "observations"
BAD_CELLS = {  # table, row id, field, what it is set to; then fragments of the English line
    "wrong-type": (OBS, "water-sections-before", "value", "12个", "“12个” is not a valid number", "no units"),
    "full-width-digits": (OBS, "water-sections-after", "value", "９", "full-width"),
    "dangling-foreign-key": (OBS, "city-pilot-units", "unit_id", "fictional", "“fictional” does not exist in units"),
    "excerpt-not-in-source": (OBS, "city-sections-cut", "excerpt", "全市共精简内设机构40个", "not in source"),
    "unstated": (OBS, "city-window-items-accepted", "value", "12.6", "12.6 is not stated", "there: 126000)"),
    "derived-value-that-does-not-recompute": (OBS, "water-sections-reduction-rate", "value", "24", "gives 25"),
    "formula-with-an-unknown-input": (OBS, "water-sections-cut", "formula", "{water-after} * 1", "water-after"),
    "duplicate-key": (OBS, "water-sections-after", "observation_id", "water-sections-before", "repeats the key"),
    "section-not-named-in-its-change": (
        "change-sections",
        "market-online-section",
        "section_zh",
        "网络交易科",
        "excerpt",
    ),
}


@pytest.mark.parametrize("case", list(BAD_CELLS))
def test_a_bad_cell_is_refused_naming_its_file_row_and_field(case, workspace):
    table, key, field, value, *says = BAD_CELLS[case]
    where = at(workspace, table, key)
    workspace.set(table, key, field, value)
    line = assert_fails(workspace.validate(), where, f"“{field}”")
    assert all(fragment in line for fragment in says), line


def test_excerpt_at_the_wrong_paragraph_names_the_right_one(workspace):
    paragraph = workspace.get("observations", "city-window-completion-rate", "locator")
    workspace.set("observations", "city-window-completion-rate", "locator", str(int(paragraph) + 1))
    line = assert_fails(workspace.validate(), at(workspace, "observations", "city-window-completion-rate"), "“locator”")
    assert f"set the locator to {paragraph}" in line


def test_white_space_and_quote_style_do_not_matter_in_excerpts(workspace):
    excerpt = workspace.get("milestones", "reform-launch", "excerpt")
    assert "“" in excerpt
    workspace.set(
        "milestones", "reform-launch", "excerpt", excerpt.replace(",", ", ").translate(str.maketrans("“”", '""'))
    )
    assert workspace.validate().returncode == 0


def test_malformed_descriptor(workspace):
    path = workspace.package / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    version = json.loads(text)["version"]
    assert f'"version": "{version}",' in text
    path.write_text(text.replace(f'"version": "{version}",', f'"version": "{version}"'), encoding="utf-8")
    line = assert_fails(workspace.validate(), "datapackage.json", "not valid JSON")
    assert "line " in line and "column " in line


def test_descriptor_missing_essentials(workspace):
    path = workspace.package / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    del meta["description_en"]
    meta["version"] = "1.0"
    observations = next(r for r in meta["resources"] if r["name"] == "observations")
    next(f for f in observations["schema"]["fields"] if f["name"] == "unit_id").pop("description_en")
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    result = workspace.validate()
    assert_fails(result, "“description_en” is missing")
    assert_fails(result, "version", "not semver")
    assert_fails(result, "observations.unit_id has no “description_en”")


def test_gbk_csv_is_refused_with_the_encoding_and_the_fix(workspace):
    path = workspace.table("units")
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    line = assert_fails(workspace.validate(), "units.csv", "GBK")
    assert "UTF-8" in line and "另存为" in line
    assert "\ufffd" not in workspace.validate().stdout


def test_milestone_date_must_match_its_excerpt_and_period(workspace):
    for field, value in (("date", "2025-H2"), ("start_date", "2025-07-01"), ("end_date", "2025-12-31")):
        workspace.set("milestones", "citywide-rollout", field, value)
    assert_fails(workspace.validate(), at(workspace, "milestones", "citywide-rollout"), "“date”", "2025年下半年")


def test_missing_source_text_warns_and_skips_only_the_excerpt_check(workspace, tmp_path):
    empty = tmp_path / "no-sources"
    empty.mkdir()
    workspace.set("observations", "city-sections-cut", "excerpt", "全市共精简内设机构40个")
    result = workspace.validate(sources=empty)
    assert result.returncode == 0, result.stdout
    assert "WARNING" in result.stdout and "not checked" in result.stdout


def test_a_table_is_checked_again_when_a_table_its_foreign_keys_point_at_changes(workspace):
    """Validation remembers each table's findings within a process (`make serve`'s checker validates after every
    edit): an edit of units.csv must still be found in the observations that point at it, unchanged though they are."""
    assert workspace.validate().returncode == 0
    workspace.set("units", "fictional-city", "unit_id", "fictional-town")
    line = assert_fails(workspace.validate(), "observations.csv", "unit_id")
    assert "“fictional-city” does not exist in units" in line
