"""`make validate` fires on each kind of bad input with a problem naming file, row and field, whose code the
message catalogue renders with a fix, in Chinese and in English."""

import json

from scripts.data.messages import Text
from tests.problem_support import ANY, find_problem, validation_problems

OBSERVATIONS = "datasets/huaibei-dakeshi-reform/data/observations.csv"


def assert_fails(workspace, code, file="", row=ANY, field=ANY, sources=None, **params):
    """The validate command fails, and among the problems it prints is this one."""
    result = workspace.validate(sources)
    assert result.returncode == 1, result.stdout
    problems = validation_problems(workspace.datasets, sources)
    return find_problem(problems, code, file, row, field, **params)


def test_wrong_type_names_file_row_field_and_fix(workspace):
    workspace.replace("observations", "before-reform,29,", "before-reform,29个,")
    problem = assert_fails(workspace, "value-not-valid", "observations.csv", 3, "value", value="29个")
    assert problem.params["type"] == Text("type.number") and problem.params["fix"] == Text("fix.number")


def test_full_width_digits_are_refused_not_coerced(workspace):
    workspace.replace("observations", "after-reform,22,", "after-reform,２２,")
    fix = Text("fix.full-width-digits", {"plain": "22", "value": "２２"})
    assert_fails(workspace, "value-not-ascii", "observations.csv", 4, "value", value="２２", fix=fix)


def test_duplicate_primary_key(workspace):
    workspace.replace("observations", "drc-sections-after,", "drc-sections-before,")
    assert_fails(workspace, "primary-key-repeated", "observations.csv", 4, "observation_id", key="observation_id")


def test_dangling_foreign_key(workspace):
    workspace.replace("observations", "city-pilot-units,huaibei-city,", "city-pilot-units,huaibei,")
    fix = Text("fix.add-code", {"table": "units"})
    assert_fails(
        workspace, "code-not-found", "observations.csv", 2, "unit_id", values="huaibei", table="units", fix=fix
    )


def test_excerpt_not_in_source(workspace, archived_source):
    workspace.replace("observations", "精简率达20%", "精简率达到20%")
    problem = assert_fails(workspace, "excerpt-not-verbatim", "observations.csv", 9, "excerpt")
    assert "精简率达到20%" in problem.params["excerpt"]


def test_excerpt_at_the_wrong_paragraph_names_the_right_one(workspace, archived_source):
    workspace.replace(
        "observations", "hbnews-2025-04-18-dakeshi,17,办结率达100%", "hbnews-2025-04-18-dakeshi,18,办结率达100%"
    )
    assert_fails(workspace, "excerpt-elsewhere", "observations.csv", 32, "locator", locator=18, first=17)


def test_white_space_and_quote_style_do_not_matter_in_excerpts(workspace):
    workspace.replace("observations", "完成23件“高效办成一件事”", '完成 23 件"高效办成一件事"')
    assert workspace.validate().returncode == 0


def test_value_that_differs_from_its_excerpt(workspace):
    workspace.replace("observations", "2024,499000,", "2024,49.9,")
    assert_fails(workspace, "value-not-in-excerpt", "observations.csv", 31, "value", value=49.9, numbers=("499000",))


def test_derived_value_that_does_not_recompute(workspace):
    workspace.replace("observations", "reform-total,24.1,", "reform-total,24,")
    assert_fails(workspace, "value-not-formula-result", "observations.csv", 6, "value", value=24, result=24.1)


def test_derived_formula_with_an_unknown_input(workspace):
    workspace.replace(
        "observations", "{drc-sections-before} - {drc-sections-after}", "{drc-sections-before} - {drc-after}"
    )
    error = Text("phrase.formula-unknown-id", {"ids": ("drc-after",)})
    assert_fails(workspace, "formula-not-computable", "observations.csv", 5, "formula", error=error)


def test_malformed_descriptor(workspace):
    path = workspace.package / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    version = json.loads(text)["version"]
    assert f'"version": "{version}",' in text
    path.write_text(text.replace(f'"version": "{version}",', f'"version": "{version}"'), encoding="utf-8")
    problem = assert_fails(workspace, "descriptor-not-json", "datapackage.json")
    assert problem.params["line"] > 1 and problem.params["column"] >= 1


def test_descriptor_missing_essentials(workspace):
    path = workspace.package / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    del meta["description_en"]
    meta["version"] = "1.0"
    meta["resources"][5]["schema"]["fields"][1].pop("description_en")
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    english = Text("phrase.english")
    assert_fails(workspace, "text-missing", "datapackage.json", None, "description_en", language=english)
    assert_fails(workspace, "version-not-semver", "datapackage.json", None, "version", version="1.0")
    label = "observations.unit_id"
    assert_fails(workspace, "field-description-missing", "datapackage.json", None, "description_en", label=label)


def test_descriptor_naming_a_missing_file(workspace):
    workspace.table("milestones").unlink()
    missing = {"name": "milestones", "path": "data/milestones.csv"}
    assert_fails(workspace, "resource-file-missing", "datapackage.json", None, "path", **missing)


def test_gbk_csv_is_refused_with_the_encoding_and_the_fix(workspace):
    path = workspace.table("units")
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    assert_fails(workspace, "csv-gbk", "units.csv", fix=Text("fix.save-as-utf8"))
    assert "\ufffd" not in workspace.validate().stdout


def test_utf8_bom_from_excel_is_accepted_with_a_warning(workspace):
    path = workspace.table("units")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = workspace.validate()
    assert result.returncode == 0, result.stdout
    problems = validation_problems(workspace.datasets)
    assert [p.code for p in problems] == ["csv-bom"]
    find_problem(problems, "csv-bom", "units.csv", None, None, severity="warning")


def test_milestone_date_must_match_its_excerpt_and_period(workspace):
    workspace.replace(
        "milestones",
        "citywide-rollout,2024-H1,half-year,2024-01-01,2024-06-30",
        "citywide-rollout,2024-H2,half-year,2024-07-01,2024-12-31",
    )
    assert_fails(workspace, "date-not-in-excerpt", "milestones.csv", 6, "date", label="2024年下半年")


def test_section_must_be_named_in_its_change_excerpt(workspace):
    workspace.replace("change-sections", "消费科,Consumption", "消费服务科,Consumption")
    assert_fails(workspace, "section-not-in-excerpt", "change-sections.csv", 3, "section_zh", section="消费服务科")


def test_missing_source_text_warns_and_skips_only_the_excerpt_check(workspace, tmp_path):
    empty = tmp_path / "no-sources"
    empty.mkdir()
    workspace.replace("observations", "精简率达20%", "精简率达到20%")
    result = workspace.validate(sources=empty)
    assert result.returncode == 0, result.stdout
    problems = validation_problems(workspace.datasets, empty)
    assert {p.code for p in problems} == {"source-text-missing"}
    find_problem(problems, "source-text-missing", "observations.csv", 2, "source_id", "warning", folder=empty)


def test_a_table_is_checked_again_when_a_table_its_foreign_keys_point_at_changes(workspace):
    """Validation remembers each table's findings within a process (`make serve`'s checker validates after every
    edit): an edit of units.csv must still be found in the observations that point at it, unchanged though they are."""
    assert workspace.validate().returncode == 0
    workspace.replace("units", "\nhuaibei-city,", "\nhuaibei-town,")
    assert_fails(workspace, "code-not-found", "observations.csv", field="unit_id", values="huaibei-city")
