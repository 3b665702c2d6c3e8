"""The data say exactly what the report says: scope, attribution, estimates, qualifiers, periods and strands, each
held by a check that refuses the mistake with a message in Chinese and English."""

import copy
import json
import re

import pytest

from scripts.checks.framing import check_scope, check_translations
from scripts.checks.glossary import avoided_renderings, check_glossary, missing_renderings, normalise_en, terms_of
from scripts.checks.provenance import check_provenance, check_values
from scripts.data.model import load_package
from scripts.data.packages import RawPackage, load_raw
from scripts.data.paths import DATASETS
from scripts.data.sources import paragraphs
from scripts.data.values import figure_text, period_text
from tests.conftest import PACKAGE
from tests.problem_support import find_problem, validation_problems

PACKAGE_DIR = DATASETS / PACKAGE
SERVICE_FIGURES = [  # paragraph 17: the city's government services, given in the paragraph on the Administration
    "city-efficient-services",
    "city-processing-days-saved",
    "city-trips-saved",
    "city-documents-saved",
    "city-window-departments",
    "city-window-items-accepted",
    "city-window-completion-rate",
]


@pytest.fixture
def raw() -> RawPackage:
    package, problems = load_raw(PACKAGE_DIR)
    assert package is not None and not problems
    return copy.deepcopy(package)


def row(package: RawPackage, table: str, key: str) -> dict[str, str]:
    first = next(iter(package.tables[table][0]))
    return next(r for r in package.tables[table] if r[first] == key)


def number_of(package: RawPackage, table: str, key: str) -> int:
    first = next(iter(package.tables[table][0]))
    return next(i for i, r in enumerate(package.tables[table], start=2) if r[first] == key)


def bilingual(problems, field: str, code: str, **params):
    return find_problem(problems, code, field=field, **params)


# ---- the real data --------------------------------------------------------------------------------------------------


def test_the_real_package_passes_every_framing_check(raw):
    assert check_values(raw) == []
    assert check_translations(raw) == [] and check_scope(raw) == [] and check_glossary(raw) == []


def test_the_city_unit_is_the_city_and_each_city_figure_states_the_scope_the_report_gives():
    package = load_package(PACKAGE_DIR)
    city = package.table("units").by_key()["huaibei-city"]
    assert "city as a whole" in city["name_en"] and "all municipal departments" not in city["name_en"]
    observations = package.observations
    for oid in ("city-sections-cut", "city-sections-reduction-rate", "city-sections-before", "city-sections-after"):
        assert observations[oid]["scope_en"] == "the 29 municipal departments that cut internal sections", oid
    assert observations["city-business-section-share"]["scope_zh"] == "市直党政部门"
    indicator = package.table("indicators").by_key()["internal_sections"]
    assert "total over municipal departments" not in indicator["definition_en"]
    cutting = package.table("indicators").by_key()["departments_cutting_sections"]
    assert cutting["name_en"] == "Municipal departments that cut internal sections"


def test_340_and_272_are_estimates_with_their_ranges():
    observations = load_package(PACKAGE_DIR).observations
    before, after = observations["city-sections-before"], observations["city-sections-after"]
    assert (before["basis"], before["lower"], before["value"], before["upper"]) == ("estimated", 332, 340, 349)
    assert (after["basis"], after["lower"], after["value"], after["upper"]) == ("estimated", 264, 272, 281)
    assert "at least" in before["note_en"] and "至少" in before["note_zh"]
    assert observations["drc-sections-cut"]["basis"] == "derived"  # 29 − 22 is exact


def test_the_seven_service_figures_of_paragraph_17_are_the_citys_with_one_attribution():
    observations = load_package(PACKAGE_DIR).observations
    rows = [observations[oid] for oid in SERVICE_FIGURES]
    assert {r["locator"] for r in rows} == {17} and {r["unit_id"] for r in rows} == {"huaibei-city"}
    for r in rows:
        assert "paragraph on the Data Resources Administration" in r["note_en"], r["observation_id"]
        assert "市数据资源管理局的段落" in r["note_zh"], r["observation_id"]


def test_qualifiers_averages_and_periods_follow_the_report():
    package = load_package(PACKAGE_DIR)
    observations, indicators = package.observations, package.table("indicators").by_key()
    assert observations["city-window-items-accepted"]["qualifier"] == "approx"  # 49.9万, rounded to the thousand
    for key in ("processing_days_saved", "trips_saved", "documents_saved"):
        assert indicators[key]["name_zh"].startswith("平均") and indicators[key]["name_en"].startswith("Average"), key
        assert "average" in indicators[key]["definition_en"].lower(), key
    for oid in ("city-processing-days-saved", "city-trips-saved", "city-documents-saved"):
        assert "平均" in observations[oid]["excerpt"], oid
    for oid in ("city-one-thing-once-fields", "govoffice-rules-revised", "govoffice-process-categories"):
        assert observations[oid]["period"] == "not-stated", oid


def test_official_english_is_used_consistently():
    package = load_package(PACKAGE_DIR)
    units, indicators = package.table("units").by_key(), package.table("indicators").by_key()
    office = units["establishment-office"]
    assert office["short_name_en"] in office["name_en"]  # one English name for 编办
    assert units["talent-department"]["unit_type"] == "unstated"
    title = package.table("sources").records()[0]["title_en"]
    assert "new momentum for institutional reform" in title  # the clause after the dash
    assert indicators["efficient_services_completed"]["unit_en"] == "items"
    for key, indicator in indicators.items():
        if key.startswith("central_soe_"):
            assert indicator["name_en"].startswith("Central SOE–local cooperation"), key
    assert "additional nameplate" in indicators["talent_section_departments"]["name_en"]
    assert "not merged" in indicators["window_departments"]["definition_en"]


def test_strands_follow_the_reports_headings(archived_source):
    """Each row stands under the heading of the part of the report that gives it (overview: the course)."""
    package = load_package(PACKAGE_DIR)
    paras = paragraphs(archived_source.read_text(encoding="utf-8"))
    strands = package.table("strands").records()
    headings = {
        number: strand["strand_id"]
        for number, text in enumerate(paras, start=1)
        for strand in strands
        if f"“{strand['name_zh']}”" in text and len(text) < 30
    }
    assert sorted(headings.values()) == ["reshaping", "slimming", "strengthening"]
    wrong = []
    for table in ("observations", "changes"):
        for r in package.table(table).records():
            under = [strand for number, strand in sorted(headings.items()) if number <= r["locator"]]
            if r["strand_id"] != "overview" and r["strand_id"] != under[-1]:
                wrong.append((table, next(iter(r.values())), r["strand_id"], under[-1]))
    assert wrong == []


def test_a_row_in_another_strand_than_its_paragraphs_heading_is_refused(raw, archived_source):
    row(raw, "observations", "drc-sections-before")["strand_id"] = "reshaping"
    row(raw, "changes", "hrss-entrepreneurship-section")["strand_id"] = "overview"  # the course may stand anywhere
    problems = [p for p in check_provenance(raw, archived_source.parent) if p.field == "strand_id"]
    heading = {"heading": "坚持“瘦身”,推动机构编制集约化", "expected": "slimming", "strand": "reshaping"}
    problem = bilingual(problems, "strand_id", "strand-not-heading", **heading)
    assert problems == [problem] and problem.row == number_of(raw, "observations", "drc-sections-before")


# ---- each kind of mistake is refused --------------------------------------------------------------------------------


def test_an_estimate_needs_its_range_and_must_lie_within_it(raw):
    row(raw, "observations", "city-sections-before").update(lower="", upper="")
    row(raw, "observations", "city-sections-after").update(lower="273", upper="281")
    problems = check_values(raw)
    missing = bilingual(problems, "lower", "estimate-without-range")
    assert missing.row == number_of(raw, "observations", "city-sections-before")
    outside = bilingual(problems, "lower", "estimate-out-of-range", lower=273, upper=281)
    assert outside.row == number_of(raw, "observations", "city-sections-after")


def test_a_value_computed_from_an_estimate_is_an_estimate(raw):
    row(raw, "observations", "city-sections-after").update(basis="derived", lower="", upper="")
    problem = bilingual(check_values(raw), "basis", "computed-from-estimate", inputs=("city-sections-before",))
    assert problem.row == number_of(raw, "observations", "city-sections-after")


def test_a_reported_or_derived_value_has_no_range(raw):
    row(raw, "observations", "drc-sections-before").update(lower="28", upper="30")
    row(raw, "observations", "drc-sections-cut").update(upper="8")
    problems = check_values(raw)
    bilingual(problems, "lower", "range-not-estimate", basis="reported")
    bilingual(problems, "upper", "range-not-estimate", basis="derived")


def test_an_estimate_must_recompute_from_its_formula(raw):
    row(raw, "observations", "city-sections-before").update(value="345")
    bilingual(check_values(raw), "value", "value-not-formula-result", value=345, result=340)


def test_a_city_level_figure_must_state_its_scope(raw):
    row(raw, "observations", "city-pilot-units").update(scope_zh="", scope_en="")
    row(raw, "observations", "drc-sections-before").update(scope_zh="市发改委")
    problems = check_scope(raw)
    city = bilingual(problems, "scope_zh", "city-figure-without-scope")
    assert city.row == number_of(raw, "observations", "city-pilot-units")
    bilingual(problems, "scope_en", "scope-in-one-language")


def test_every_excerpt_needs_its_translation(raw):
    row(raw, "changes", "data-brand-staff").update(excerpt_en=" ")
    for milestone in raw.tables["milestones"]:
        del milestone["excerpt_en"]
    problems = check_translations(raw)
    problem = bilingual(problems, "excerpt_en", "excerpt-without-translation")
    assert problem.file.endswith("changes.csv") and problem.row == number_of(raw, "changes", "data-brand-staff")
    header = next(p for p in problems if p.file.endswith("milestones.csv"))
    assert header.row == 1 and header.code == "no-translation-column"


def test_english_texts_must_use_the_glossarys_renderings(raw):
    row(raw, "indicators", "internal_sections")["name_en"] = "Inner units"
    row(raw, "units", "establishment-office")["name_en"] += " (the Establishment Office)"
    row(raw, "changes", "city-quota-reallocation")["excerpt_en"] = "pooled the quotas of units with many vacancies"
    raw.descriptor["title_en"] = "Results of Huaibei’s reform"
    problems = check_glossary(raw)
    bilingual(problems, "name_en", "glossary-rendering-missing", term="内设机构", rendering="internal section")
    bilingual(problems, "name_en", "glossary-rendering-avoided", avoided="Establishment Office")
    bilingual(problems, "excerpt_en", "glossary-rendering-missing", term="编制")
    bilingual(problems, "title_en", "glossary-rendering-missing", term="大科室")


def test_the_validate_command_prints_framing_problems_in_both_languages(workspace):
    workspace.replace("observations", ",332,349,", ",,,")
    workspace.replace(
        "observations", "全市,the city as a whole,hbnews-2025-04-18-dakeshi,5,", ",,hbnews-2025-04-18-dakeshi,5,"
    )
    result = workspace.validate()
    assert result.returncode == 1, result.stdout
    problems = validation_problems(workspace.datasets)
    estimate = find_problem(problems, "estimate-without-range", "observations.csv", 10, "lower")  # city-sections-before
    city = find_problem(problems, "city-figure-without-scope", "observations.csv", 2, "scope_zh")
    assert str(estimate) in result.stdout and str(city) in result.stdout


def test_an_unknown_period_stops_the_build_and_not_stated_reads_as_such():
    assert period_text("not-stated", "zh") == "报道未注明时间"
    assert period_text("not-stated", "en") == "period not stated"
    assert period_text("2023-02", "en") == "February 2023"
    with pytest.raises(KeyError, match="unknown period 'sometime'"):
        period_text("sometime", "zh")


# ---- one function states every value ----------------------------------------------------------------------------


def test_every_value_is_stated_with_its_qualifier_estimate_range_and_base():
    package = load_package(PACKAGE_DIR)
    o = package.observations
    assert figure_text(package, o["city-sections-before"], "zh") == "约340个（估算值，范围332–349）"
    assert figure_text(package, o["city-sections-before"], "en") == "about 340 sections (estimate, range 332–349)"
    assert figure_text(package, o["finance-procurement-staff-change-rate"], "zh") == "150%（基数：2人）"
    assert figure_text(package, o["finance-procurement-staff-change-rate"], "en") == "150% (base: 2 persons)"
    assert figure_text(package, o["city-window-items-accepted"], "zh") == "约49.9万件"
    assert figure_text(package, o["govoffice-efficiency-gain"], "en") == "at least 30%"
    assert figure_text(package, o["city-sections-cut"], "en") == "68 sections"
    for changed, error in (({"basis": "guessed"}, "unknown basis"), ({"qualifier": "roughly"}, "unknown qualifier")):
        with pytest.raises(ValueError, match=error):
            figure_text(package, {**o["city-sections-cut"], **changed}, "zh")


def test_one_function_states_every_value():
    """Pages, templates and charts state values only through figure_text, so the marks above hold everywhere."""
    scripts = DATASETS.parent / "scripts"
    callers = {
        path.relative_to(scripts).as_posix()
        for path in scripts.rglob("*.py")
        if re.search(r"\b(with_unit|plain)\(", path.read_text(encoding="utf-8"))
    }
    assert callers == {"data/numbers.py", "data/values.py"}
    templates = {path.name: path.read_text(encoding="utf-8") for path in (scripts / "site" / "templates").glob("*.j2")}
    printing = {name for name, text in templates.items() if re.search(r"\{\{[^}]*\b(row|r)(\.value|\[.value.\])", text)}
    assert printing == set()


# ---- the glossary's matching ----------------------------------------------------------------------------------------


def test_a_longer_term_hides_the_shorter_ones_and_english_is_compared_loosely():
    terms = terms_of(load_package(PACKAGE_DIR).table("glossary").records())
    assert missing_renderings("在内设机构限额内", "within the quota of internal sections", terms) == []
    assert [t.term_id for t in missing_renderings("内设机构", "within the quota", terms)] == ["neishe-jigou"]
    assert missing_renderings("党建品牌", "the PARTY-BUILDING brand", terms) == []
    assert missing_renderings("市委编办", "the “Commission Office for Public Sector Reform”", terms) == []
    assert (
        missing_renderings("中共淮北市委机构编制委员会办公室", "Commission Office for Public Sector Reform", terms)
        == []
    )
    assert [avoid for _, avoid in avoided_renderings("central–local cooperation", terms)] == [
        "central–local cooperation"
    ]
    assert normalise_en("People’s “Livelihood” — x") == "people's livelihood x"


def test_the_glossary_is_a_table_of_the_package_with_every_column_filled():
    descriptor = json.loads((PACKAGE_DIR / "datapackage.json").read_text(encoding="utf-8"))
    glossary = next(r for r in descriptor["resources"] if r["name"] == "glossary")
    names = [f["name"] for f in glossary["schema"]["fields"]]
    for name in ("term_zh", "pinyin", "term_en", "definition_zh", "definition_en", "rendering_source_en", "avoid_en"):
        assert name in names
    terms = load_package(PACKAGE_DIR).table("glossary").records()
    assert len(terms) >= 30
    assert {t["term_zh"] for t in terms} >= {
        "三定",
        "央企合作",
        "挂牌",
        "民生",
        "编办",
        "一件事一次办",
        "高效办成一件事",
    }
