"""`make validate` fires on each kind of bad input with a message naming file, row and field, and a fix,
in Chinese and in English (on a copy of the fictional fixture package)."""

import json

from tests.problem_support import find_problem


def assert_fails(result, *fragments):
    assert result.returncode == 1, result.stdout
    return find_problem(result.stdout, *fragments)[1]


def at(workspace, table: str, key: str) -> str:
    return f"{table}.csv, row {workspace.row(table, key)}"


def test_wrong_type_names_file_row_field_and_fix(workspace):
    workspace.set("observations", "water-sections-before", "value", "12个")
    line = assert_fails(workspace.validate(), at(workspace, "observations", "water-sections-before"), "“value”")
    assert "“12个” is not a valid number" in line and "no units" in line


def test_full_width_digits_are_refused_not_coerced(workspace):
    workspace.set("observations", "water-sections-after", "value", "９")
    line = assert_fails(workspace.validate(), at(workspace, "observations", "water-sections-after"), "“value”")
    assert "full-width" in line


def test_duplicate_primary_key(workspace):
    where = at(workspace, "observations", "water-sections-after")
    workspace.set("observations", "water-sections-after", "observation_id", "water-sections-before")
    line = assert_fails(workspace.validate(), where, "observation_id")
    assert "repeats the key" in line


def test_dangling_foreign_key(workspace):
    workspace.set("observations", "city-pilot-units", "unit_id", "fictional")
    line = assert_fails(workspace.validate(), at(workspace, "observations", "city-pilot-units"), "unit_id")
    assert "“fictional” does not exist in units" in line


def test_excerpt_not_in_source(workspace):
    workspace.set("observations", "city-sections-cut", "excerpt", "全市市直部门共精简内设机构40个")
    line = assert_fails(workspace.validate(), at(workspace, "observations", "city-sections-cut"), "“excerpt”")
    assert "not in source" in line


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


def test_value_that_differs_from_its_excerpt(workspace):
    workspace.set("observations", "city-window-items-accepted", "value", "12.6")
    line = assert_fails(workspace.validate(), at(workspace, "observations", "city-window-items-accepted"), "“value”")
    assert "12.6 is not stated in its excerpt (numbers there: 126000)" in line


def test_derived_value_that_does_not_recompute(workspace):
    workspace.set("observations", "water-sections-reduction-rate", "value", "24")
    line = assert_fails(workspace.validate(), at(workspace, "observations", "water-sections-reduction-rate"), "“value”")
    assert "gives 25" in line


def test_derived_formula_with_an_unknown_input(workspace):
    workspace.set("observations", "water-sections-cut", "formula", "{water-sections-before} - {water-after}")
    assert_fails(workspace.validate(), at(workspace, "observations", "water-sections-cut"), "“formula”", "water-after")


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


def test_descriptor_naming_a_missing_file(workspace):
    workspace.table("milestones").unlink()
    line = assert_fails(workspace.validate(), "datapackage.json", "milestones")
    assert "does not exist" in line


def test_gbk_csv_is_refused_with_the_encoding_and_the_fix(workspace):
    path = workspace.table("units")
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    line = assert_fails(workspace.validate(), "units.csv", "GBK")
    assert "UTF-8" in line and "另存为" in line
    assert "\ufffd" not in workspace.validate().stdout


def test_utf8_bom_from_excel_is_accepted_with_a_warning(workspace):
    path = workspace.table("units")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = workspace.validate()
    assert result.returncode == 0, result.stdout
    assert "WARNING datasets" not in result.stdout or "byte-order mark" in result.stdout


def test_milestone_date_must_match_its_excerpt_and_period(workspace):
    for field, value in (("date", "2025-H2"), ("start_date", "2025-07-01"), ("end_date", "2025-12-31")):
        workspace.set("milestones", "citywide-rollout", field, value)
    assert_fails(workspace.validate(), at(workspace, "milestones", "citywide-rollout"), "“date”", "2025年下半年")


def test_section_must_be_named_in_its_change_excerpt(workspace):
    workspace.set("change-sections", "market-online-section", "section_zh", "网络交易科")
    assert_fails(workspace.validate(), at(workspace, "change-sections", "market-online-section"), "section_zh")


def test_missing_source_text_warns_and_skips_only_the_excerpt_check(workspace, tmp_path):
    empty = tmp_path / "no-sources"
    empty.mkdir()
    workspace.set("observations", "city-sections-cut", "excerpt", "全市市直部门共精简内设机构40个")
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
