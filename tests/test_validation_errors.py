"""`make validate` fires on each kind of bad input with a message naming file, row and field, and a fix,
in Chinese and in English."""

import json

from tests.problem_support import find_problem

OBSERVATIONS = "datasets/huaibei-dakeshi-reform/data/observations.csv"


def assert_fails(result, *fragments):
    assert result.returncode == 1, result.stdout
    return find_problem(result.stdout, *fragments)[1]


def test_wrong_type_names_file_row_field_and_fix(workspace):
    workspace.replace("observations", "before-reform,29,", "before-reform,29个,")
    line = assert_fails(workspace.validate(), "observations.csv, row 3", "“value”")
    assert "“29个” is not a valid number" in line and "no units" in line


def test_full_width_digits_are_refused_not_coerced(workspace):
    workspace.replace("observations", "after-reform,22,", "after-reform,２２,")
    line = assert_fails(workspace.validate(), "row 4", "“value”")
    assert "full-width" in line


def test_duplicate_primary_key(workspace):
    workspace.replace("observations", "drc-sections-after,", "drc-sections-before,")
    line = assert_fails(workspace.validate(), "observations.csv, row 4", "observation_id")
    assert "repeats the key" in line


def test_dangling_foreign_key(workspace):
    workspace.replace("observations", "city-pilot-units,huaibei-city,", "city-pilot-units,huaibei,")
    line = assert_fails(workspace.validate(), "observations.csv, row 2", "unit_id")
    assert "“huaibei” does not exist in units" in line


def test_excerpt_not_in_source(workspace, archived_source):
    workspace.replace("observations", "精简率达20%", "精简率达到20%")
    line = assert_fails(workspace.validate(), "observations.csv, row 9", "“excerpt”")
    assert "not in source" in line


def test_excerpt_at_the_wrong_paragraph_names_the_right_one(workspace, archived_source):
    workspace.replace(
        "observations", "hbnews-2025-04-18-dakeshi,17,办结率达100%", "hbnews-2025-04-18-dakeshi,18,办结率达100%"
    )
    line = assert_fails(workspace.validate(), "row 32", "“locator”")
    assert "set the locator to 17" in line


def test_white_space_and_quote_style_do_not_matter_in_excerpts(workspace):
    workspace.replace("observations", "完成23件“高效办成一件事”", '完成 23 件"高效办成一件事"')
    assert workspace.validate().returncode == 0


def test_value_that_differs_from_its_excerpt(workspace):
    workspace.replace("observations", "2024,499000,", "2024,49.9,")
    line = assert_fails(workspace.validate(), "row 31", "“value”")
    assert "49.9 is not stated in its excerpt (numbers there: 499000)" in line


def test_derived_value_that_does_not_recompute(workspace):
    workspace.replace("observations", "reform-total,24.1,", "reform-total,24,")
    line = assert_fails(workspace.validate(), "row 6", "“value”")
    assert "gives 24.1" in line


def test_derived_formula_with_an_unknown_input(workspace):
    workspace.replace(
        "observations", "{drc-sections-before} - {drc-sections-after}", "{drc-sections-before} - {drc-after}"
    )
    assert_fails(workspace.validate(), "row 5", "“formula”", "drc-after")


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
    meta["resources"][5]["schema"]["fields"][1].pop("description_en")
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
    workspace.replace(
        "milestones",
        "citywide-rollout,2024-H1,half-year,2024-01-01,2024-06-30",
        "citywide-rollout,2024-H2,half-year,2024-07-01,2024-12-31",
    )
    assert_fails(workspace.validate(), "milestones.csv, row 6", "“date”", "2024年下半年")


def test_section_must_be_named_in_its_change_excerpt(workspace):
    workspace.replace("change-sections", "消费科,Consumption", "消费服务科,Consumption")
    assert_fails(workspace.validate(), "change-sections.csv, row 3", "section_zh")


def test_missing_source_text_warns_and_skips_only_the_excerpt_check(workspace, tmp_path):
    empty = tmp_path / "no-sources"
    empty.mkdir()
    workspace.replace("observations", "精简率达20%", "精简率达到20%")
    result = workspace.validate(sources=empty)
    assert result.returncode == 0, result.stdout
    assert "WARNING" in result.stdout and "not checked" in result.stdout


def test_a_table_is_checked_again_when_a_table_its_foreign_keys_point_at_changes(workspace):
    """Validation remembers each table's findings within a process (`make serve`'s checker validates after every
    edit): an edit of units.csv must still be found in the observations that point at it, unchanged though they are."""
    assert workspace.validate().returncode == 0
    workspace.replace("units", "\nhuaibei-city,", "\nhuaibei-town,")
    line = assert_fails(workspace.validate(), "observations.csv", "unit_id")
    assert "“huaibei-city” does not exist in units" in line
