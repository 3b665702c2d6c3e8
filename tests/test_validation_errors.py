"""`make validate` fires on each kind of bad input with a problem naming file, row and field, whose code the
message catalogue renders with a fix, in Chinese and in English (on a copy of the fictional fixture package)."""

import hashlib
import json
import shutil

import pytest

from scripts.data.messages import Text
from tests.problem_support import ANY, find_problem, validation_problems


def assert_fails(workspace, code, file="", row=ANY, field=ANY, sources=None, **params):
    """The validate command fails, and among the problems it prints, in Chinese and English, is this one."""
    result = workspace.validate(sources)
    assert result.returncode == 1, result.stdout
    problems = validation_problems(workspace.datasets, sources or workspace.sources)
    problem = find_problem(problems, code, file, row, field, **params)
    assert str(problem) in result.stdout
    return problem


def bad(table: str, key: str, field: str, value: str, code: str, /, **params: object) -> tuple:
    """A cell set to a bad value (table, row id, field, value); the problem's code and some of its parameters."""
    return table, key, field, value, code, params


OBS, ID, SECTIONS, CLAIMS = "observations", "observation_id", "change-sections", "claims"
SOURCE = "fictional-2025-06-01-report"  # the fixture package's one source
EFFICIENCY = "govoffice-operating-efficiency"  # the fixture's claim with a figure (30%以上, paragraph 15)
UNKNOWN = Text("phrase.formula-unknown-id", {"ids": ("water-after",)})
WANG = "市委编办主任王某"  # the fictional report quotes him in paragraph 8 only
FULL_WIDTH_NINE = Text("fix.full-width-digits", {"plain": "9", "value": "９"})
BAD_CELLS = {
    "wrong-type": bad(OBS, "water-sections-before", "value", "12个", "value-not-valid", fix=Text("fix.number")),
    "full-width-digits": bad(OBS, "water-sections-after", "value", "９", "value-not-ascii", fix=FULL_WIDTH_NINE),
    "dangling-foreign-key": bad(OBS, "city-pilot-units", "unit_id", "fictional", "code-not-found", table="units"),
    "excerpt-elsewhere": bad(OBS, "city-window-completion-rate", "locator", "15", "excerpt-elsewhere", first=14),
    "excerpt-not-in-source": bad(OBS, "city-sections-cut", "excerpt", "全市共精简内设机构40个", "excerpt-not-verbatim"),
    "unstated": bad(OBS, "city-window-items-accepted", "value", "12.6", "value-not-in-excerpt", value=12.6),
    "not-recomputing": bad(OBS, "water-sections-reduction-rate", "value", "24", "value-not-formula-result", value=24),
    "unknown-input": bad(
        OBS, "water-sections-cut", "formula", "{water-after} * 1", "formula-not-computable", error=UNKNOWN
    ),
    "duplicate-key": bad(OBS, "water-sections-after", ID, "water-sections-before", "primary-key-repeated", key=ID),
    "unnamed-section": bad(
        SECTIONS, "market-online-section", "section_zh", "网络交易科", "section-not-in-excerpt", section="网络交易科"
    ),
    "estimate-without-its-range": bad(OBS, "city-sections-before", "lower", "", "estimate-without-range"),
    "city-figure-without-scope": bad(OBS, "city-pilot-units", "scope_zh", "", "city-figure-without-scope"),
    "misqualified": bad(OBS, "govoffice-rules-revised", "qualifier", "exact", "qualifier-against-wording"),
    "quote-without-speaker": bad(OBS, "city-sections-cut", "speaker_zh", "", "quote-without-speaker"),
    "speaker-elsewhere": bad(OBS, "water-sections-before", "speaker_zh", WANG, "speaker-not-in-source", speaker=WANG),
    # a claim: the figure its excerpt states is named, of its unit; the checks of every excerpt hold for it too
    "claim-figure-unnamed": bad(CLAIMS, EFFICIENCY, "observation_id", "", "claim-figure-without-observation"),
    "claim-figure-elsewhere": bad(
        CLAIMS, EFFICIENCY, "observation_id", "govoffice-rules-revised", "claim-observation-not-in-excerpt", value=20
    ),
    "claim-of-another-unit": bad(
        CLAIMS, EFFICIENCY, "unit_id", "fictional-city", "claim-observation-other-unit", other="government-office"
    ),
    "claim-quote-without-speaker": bad(CLAIMS, "city-staffing-returns", "speaker_zh", "", "quote-without-speaker"),
    "claim-speaker-elsewhere": bad(CLAIMS, "water-work-efficiency", "speaker_zh", WANG, "speaker-not-in-source"),
    "claim-not-verbatim": bad(
        CLAIMS, "city-public-satisfaction", "excerpt", "群众满意度显著提升", "excerpt-not-verbatim"
    ),
    "claim-other-strand": bad(CLAIMS, "water-work-efficiency", "strand_id", "reshaping", "strand-not-heading"),
    "claim-untranslated": bad(CLAIMS, "water-work-efficiency", "excerpt_en", "", "value-required"),
    "claim-causal-note": bad(CLAIMS, "city-public-satisfaction", "note_zh", "满意度随之提升", "causal-wording"),
}


@pytest.mark.parametrize("case", list(BAD_CELLS))
def test_a_bad_cell_is_refused_naming_its_file_row_and_field(case, workspace):
    table, key, field, value, code, params = BAD_CELLS[case]
    row = workspace.row(table, key)
    workspace.set(table, key, field, value)
    assert_fails(workspace, code, f"{table}.csv", row, field, **params)


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
    problem = assert_fails(workspace, "descriptor-not-json", "datapackage.json")
    assert problem.params["line"] > 1 and problem.params["column"] >= 1


def test_descriptor_missing_essentials(workspace):
    path = workspace.package / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    del meta["description_en"]
    del meta["rights"]  # what the licence covers, and that the excerpts are not ours
    meta["version"] = "1.0"
    observations = next(r for r in meta["resources"] if r["name"] == "observations")
    next(f for f in observations["schema"]["fields"] if f["name"] == "unit_id").pop("description_en")
    next(r for r in meta["resources"] if r["name"] == "units")["schema"]["fields"] = {"unit_id": "string"}
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    english = Text("phrase.english")
    assert_fails(workspace, "text-missing", "datapackage.json", None, "description_en", language=english)
    assert_fails(workspace, "text-missing", "datapackage.json", None, "rights", language=Text("phrase.chinese"))
    assert_fails(workspace, "version-not-semver", "datapackage.json", None, "version", version="1.0")
    label = "observations.unit_id"
    assert_fails(workspace, "field-description-missing", "datapackage.json", None, "description_en", label=label)
    assert_fails(workspace, "fields-not-objects", "datapackage.json", None, "fields", name="units")


def test_a_descriptor_frictionless_refuses_is_reported_with_frictionless_reason(workspace):
    path = workspace.package / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["resources"][0]["schema"]["fields"][0]["constraints"] = {"maxLength": "x"}
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    problem = assert_fails(workspace, "descriptor-invalid", "datapackage.json")
    assert "'x' is not of type 'integer' at property 'constraints/maxLength'" in problem.params["detail"]


def test_a_missing_source_text_fails_validation_with_the_way_to_get_it(workspace, tmp_path):
    empty = tmp_path / "no-sources"
    empty.mkdir()
    missing = {"source_id": SOURCE, "path": empty / f"{SOURCE}.txt", "folder": empty}
    problem = assert_fails(workspace, "source-text-missing", "sources.csv", 2, "source_id", sources=empty, **missing)
    assert "make sources" in problem.fix_in("en") and "SOURCES_DIR" in problem.fix_in("en")
    assert "make sources" in problem.fix_in("zh") and "SOURCES_DIR" in problem.fix_in("zh")
    cited = len(workspace.table("sources").read_text(encoding="utf-8").splitlines()) - 1
    assert [p.code for p in validation_problems(workspace.datasets, empty)] == ["source-text-missing"] * cited


def test_an_archived_text_other_than_the_one_recorded_is_refused_naming_the_source_file_and_both_hashes(
    workspace, tmp_path
):
    sources = tmp_path / "sources"
    shutil.copytree(workspace.sources, sources)
    text = sources / f"{SOURCE}.txt"
    recorded = hashlib.sha256(text.read_bytes()).hexdigest()
    assert workspace.get("sources", SOURCE, "sha256") == recorded
    text.write_bytes(text.read_bytes() + b"\n")  # a blank line more: the same paragraphs, not the same text
    found = hashlib.sha256(text.read_bytes()).hexdigest()
    changed = {"source_id": SOURCE, "path": text, "expected": recorded, "found": found}
    problem = assert_fails(workspace, "source-text-changed", "sources.csv", 2, "sha256", sources=sources, **changed)
    assert all(shown in problem.text(lang) for shown in (SOURCE, str(text), recorded, found) for lang in ("zh", "en"))
    assert f"set sha256 to {found}" in problem.fix_in("en") and "restore the archived text" in problem.fix_in("en")
    workspace.set("sources", SOURCE, "sha256", found)  # re-archived on purpose: the new text's hash recorded
    assert workspace.validate(sources).returncode == 0


def test_milestone_date_must_match_its_excerpt_and_period(workspace):
    for field, value in (("date", "2025-H2"), ("start_date", "2025-07-01"), ("end_date", "2025-12-31")):
        workspace.set("milestones", "citywide-rollout", field, value)
    row = workspace.row("milestones", "citywide-rollout")
    assert_fails(workspace, "date-not-in-excerpt", "milestones.csv", row, "date", label="2025年下半年")
