"""The data say exactly what the report says: scope, attribution, estimates, qualifiers, periods, strands and
names, each held by a check that refuses the mistake with a message in Chinese and English (on the fixture)."""

import copy
import re

import pytest

from scripts.checks.characters import check_formula_prefixes
from scripts.checks.editorial import (
    check_causal_wording,
    check_computed_scope,
    check_english_names,
    check_estimate_notes,
    check_estimates_labelled,
    check_qualifiers,
    check_scope,
    check_translations,
    check_unit_names_in_translations,
)
from scripts.checks.glossary import avoided_renderings, check_glossary, missing_renderings, normalise_en, terms_of
from scripts.checks.provenance import check_provenance, check_values
from scripts.data.model import load_package
from scripts.data.packages import RawPackage, load_raw
from scripts.data.paths import DATASETS
from scripts.data.values import figure_text, period_text
from tests.conftest import FIXTURE, FIXTURE_DATASETS, FIXTURE_SOURCES
from tests.problem_support import find_problem

PACKAGE_DIR = FIXTURE_DATASETS / FIXTURE


@pytest.fixture
def raw() -> RawPackage:
    package, problems = load_raw(PACKAGE_DIR)
    assert package is not None and not problems
    return copy.deepcopy(package)


def row(package: RawPackage, table: str, key: str) -> dict[str, str]:
    return next(r for r in package.tables[table] if next(iter(r.values())) == key)


def at(package: RawPackage, table: str, key: str) -> int:
    """The row number validation gives the row (the header is row 1)."""
    return package.tables[table].index(row(package, table, key)) + 2


OBS = "observations"


def test_text_a_spreadsheet_would_run_is_refused_but_the_same_characters_in_a_number_are_a_number(raw):
    row(raw, OBS, "water-sections-before")["value"] = "-12"
    row(raw, "units", "establishment-office")["short_name_en"] = "-29 Office"
    problems = check_formula_prefixes(raw)
    where = ("units.csv", at(raw, "units", "establishment-office"), "short_name_en")
    assert problems == [find_problem(problems, "text-starts-like-a-formula", *where, first="-")]


def test_a_row_in_another_strand_than_its_paragraphs_heading_is_refused(raw):
    row(raw, OBS, "water-sections-before")["strand_id"] = "reshaping"
    row(raw, "changes", "finance-performance-staffing")["strand_id"] = "overview"  # the course may stand anywhere
    problems = [p for p in check_provenance(raw, FIXTURE_SOURCES) if p.field == "strand_id"]
    heading = {"heading": "坚持“瘦身”,精简内设机构", "expected": "slimming", "strand": "reshaping"}
    where = ("", at(raw, OBS, "water-sections-before"), "strand_id")
    assert problems == [find_problem(problems, "strand-not-heading", *where, **heading)]


# ---- each kind of mistake is refused --------------------------------------------------------------------------------


def test_a_value_computed_from_an_estimate_is_an_estimate(raw):
    row(raw, OBS, "city-sections-after").update(basis="derived", lower="", upper="")
    inputs = ("city-sections-before",)
    find_problem(check_values(raw), "computed-from-estimate", "", at(raw, OBS, "city-sections-after"), inputs=inputs)


def test_only_an_estimate_has_a_range_it_lies_within_and_it_recomputes(raw):
    row(raw, OBS, "water-sections-before").update(lower="11", upper="13")
    row(raw, OBS, "water-sections-cut").update(upper="4")
    row(raw, OBS, "city-sections-before").update(value="255", lower="", upper="")
    row(raw, OBS, "city-sections-after").update(lower="211", upper="218")
    problems = list(check_values(raw))
    find_problem(problems, "estimate-without-range", "", at(raw, OBS, "city-sections-before"), "lower")
    outside = {"lower": 211, "upper": 218}
    find_problem(problems, "estimate-out-of-range", "", at(raw, OBS, "city-sections-after"), "lower", **outside)
    find_problem(problems, "range-not-estimate", field="lower", basis="reported")
    find_problem(problems, "range-not-estimate", field="upper", basis="derived")
    find_problem(problems, "value-not-formula-result", field="value", value=255, result=250)


def test_a_city_level_figure_must_state_its_scope(raw):
    row(raw, OBS, "city-pilot-units").update(scope_zh="", scope_en="")
    row(raw, OBS, "water-sections-before").update(scope_zh="市水务局")
    problems = list(check_scope(raw))
    find_problem(problems, "city-figure-without-scope", "", at(raw, OBS, "city-pilot-units"), "scope_zh")
    find_problem(problems, "scope-in-one-language", "", at(raw, OBS, "water-sections-before"), "scope_en")


def test_every_excerpt_needs_its_translation(raw):
    row(raw, "changes", "finance-performance-staffing").update(excerpt_en=" ")
    for milestone in raw.tables["milestones"]:
        del milestone["excerpt_en"]
    problems = list(check_translations(raw))
    at_row = at(raw, "changes", "finance-performance-staffing")
    find_problem(problems, "excerpt-without-translation", "changes.csv", at_row, "excerpt_en")
    find_problem(problems, "no-translation-column", "milestones.csv", 1, None)


def test_english_texts_must_use_the_glossarys_renderings(raw):
    row(raw, "indicators", "internal_sections")["name_en"] = "Inner units"
    row(raw, "units", "establishment-office")["name_en"] += " (the Establishment Office)"
    row(raw, OBS, "city-sections-cut")["excerpt_en"] = "18 departments of the city cut 40 internal sections"
    raw.descriptor["title_en"] = "Results of a fictional city’s reform"
    problems = list(check_glossary(raw))
    missing = "glossary-rendering-missing"
    find_problem(problems, missing, field="name_en", term="内设机构", rendering="internal section")
    find_problem(problems, "glossary-rendering-avoided", field="name_en", avoided="Establishment Office")
    find_problem(problems, missing, field="excerpt_en", term="市直部门")
    find_problem(problems, missing, field="title_en", term="大科室")


def test_a_reported_value_has_the_qualifier_its_excerpt_words_it_with(raw):
    row(raw, OBS, "city-window-items-accepted")["qualifier"] = "exact"  # 12.6万: rounded
    row(raw, OBS, "govoffice-rules-revised")["qualifier"] = "approx"  # 超过20项
    row(raw, OBS, "city-sections-before")["qualifier"] = "exact"  # an estimate: its range says it
    problems = list(check_qualifiers(raw))
    keys = ("city-window-items-accepted", "govoffice-rules-revised")
    assert [p.row for p in problems] == [at(raw, OBS, key) for key in keys]
    find_problem(problems, "qualifier-against-wording", field="qualifier", value=126000, wanted="approx")
    find_problem(problems, "qualifier-against-wording", field="qualifier", value=20, wanted="at-least")


def test_a_value_the_report_gives_as_an_upper_bound_is_at_most_and_stated_as_one(raw):
    rules = row(raw, OBS, "govoffice-rules-revised")
    rules["excerpt"] = rules["excerpt"].replace("超过20项", "不到20项")  # as if the report said “fewer than 20”
    problems = list(check_qualifiers(raw))
    find_problem(problems, "qualifier-against-wording", field="qualifier", value=20, wanted="at-most")
    rules["qualifier"] = "at-most"
    assert list(check_qualifiers(raw)) == []
    package = load_package(PACKAGE_DIR)
    bound = {**package.observations["govoffice-rules-revised"], "qualifier": "at-most"}
    assert (figure_text(package, bound, "zh"), figure_text(package, bound, "en")) == ("不超过20项", "at most 20 rules")


def test_a_value_computed_from_other_figures_states_their_scope(raw):
    row(raw, OBS, "city-sections-after").update(scope_zh="全市", scope_en="the city as a whole")
    where = ("", at(raw, OBS, "city-sections-after"), "scope_zh")
    find_problem(check_computed_scope(raw), "computed-scope-differs", *where, ref="city-sections-before", own_zh="全市")
    row(raw, OBS, "city-sections-after").update(scope_zh="", scope_en="")  # and check_scope: no scope
    assert len(list(check_computed_scope(raw))) == 1


def test_a_value_computed_from_a_rounded_figure_is_an_estimate_and_never_exact(raw):
    row(raw, OBS, "water-sections-before")["qualifier"] = "approx"  # as if the report said 约12个
    row(raw, OBS, "city-sections-after")["qualifier"] = "exact"
    problems = list(check_estimates_labelled(raw))
    keys = ("water-sections-cut", "water-sections-reduction-rate", "city-sections-after")
    assert [p.row for p in problems] == [at(raw, OBS, key) for key in keys]
    find_problem(problems, "computed-from-inexact", field="basis", ref="water-sections-before", qualifier="approx")
    find_problem(problems, "estimate-exact", field="qualifier")


def test_an_estimate_explains_its_assumption(raw):
    row(raw, OBS, "city-sections-before")["note_en"] = ""
    row(raw, OBS, "water-sections-cut")["note_en"] = ""  # derived: exact, nothing assumed
    problems = list(check_estimate_notes(raw))
    where = ("", at(raw, OBS, "city-sections-before"), "note_en")
    assert problems == [find_problem(problems, "estimate-without-note", *where)]


def test_our_texts_never_make_one_fact_the_cause_of_another(raw):
    row(raw, OBS, "city-window-items-accepted")["note_en"] = "Higher thanks to the merged sections."
    row(raw, "changes", "market-online-section")["description_zh"] = "新设网络交易监管科，从而提升了监管效能"
    row(raw, OBS, "city-window-completion-rate")["excerpt_en"] = "as a result, 99% were completed"
    row(raw, OBS, "city-window-completion-rate")["note_en"] = "Sections merged so that work goes faster."
    problems = list(check_causal_wording(raw))
    assert [(p.file.rsplit("/", 1)[1], p.row, p.field) for p in problems] == [
        ("observations.csv", at(raw, OBS, "city-window-items-accepted"), "note_en"),
        ("observations.csv", at(raw, OBS, "city-window-completion-rate"), "note_en"),
        ("changes.csv", at(raw, "changes", "market-online-section"), "description_zh"),
    ]  # not the excerpt's translation: those are the report's words
    find_problem(problems, "causal-wording", field="note_en", words="thanks to")


def test_each_body_and_section_has_one_english_name(raw):
    row(raw, "change-sections", "market-online-section")["section_en"] = "Planning Section"
    row(raw, "units", "water-bureau")["name_zh"] = row(raw, "units", "finance-bureau")["name_zh"]
    problems = list(check_english_names(raw))
    section = ("", at(raw, "change-sections", "market-online-section"), "section_en")
    find_problem(problems, "english-name-taken", *section, en="Planning Section", first_zh="规划科")
    unit = ("", at(raw, "units", "water-bureau"), "name_en")
    find_problem(problems, "english-name-differs", *unit, first_en="Fictional City Finance Bureau")
    assert len(problems) == 2


def test_a_municipal_body_an_excerpt_names_has_its_one_english_name_in_the_translation(raw):
    assert list(check_unit_names_in_translations(raw)) == []
    row(raw, OBS, "water-sections-cut")["excerpt_en"] = (
        "the Municipal Water Affairs Bureau cut its sections from 12 to 9"
    )
    problems = list(check_unit_names_in_translations(raw))
    find_problem(
        problems,
        "unit-name-not-in-translation",
        "",
        at(raw, OBS, "water-sections-cut"),
        "excerpt_en",
        en="Water Bureau",
    )
    assert len(problems) == 1


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
    assert figure_text(package, o["city-sections-before"], "zh") == "约250个（估算值，范围242–258）"
    assert figure_text(package, o["city-sections-before"], "en") == "about 250 sections (estimate, range 242–258)"
    assert figure_text(package, o["finance-staff-change-rate"], "zh") == "100%（基数：3人）"
    assert figure_text(package, o["finance-staff-change-rate"], "en") == "100% (base: 3 persons)"
    # 12.6万 is rounded: stated as the report gives it and said to be rounded, never with a 约 the report lacks
    assert figure_text(package, o["city-window-items-accepted"], "zh") == "12.6万件（取整数）"
    assert figure_text(package, o["city-window-items-accepted"], "en") == "126,000 cases (rounded)"
    assert figure_text(package, o["city-sections-reduction-rate"], "zh") == "约16%"  # 16%左右: the report's hedge
    assert figure_text(package, o["govoffice-rules-revised"], "en") == "at least 20 rules"
    assert figure_text(package, o["city-sections-cut"], "en") == "40 sections"
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
    templates = {
        path.name: path.read_text(encoding="utf-8") for path in (scripts / "site" / "pages" / "templates").glob("*.j2")
    }
    printing = {name for name, text in templates.items() if re.search(r"\{\{[^}]*\b(row|r)(\.value|\[.value.\])", text)}
    assert printing == set()


# ---- the glossary's matching ----------------------------------------------------------------------------------------


def _term(term_id: str, zh: str, en: str, variants: str = "", avoid: str = "") -> dict[str, str]:
    return {"term_id": term_id, "term_zh": zh, "term_en": en, "variants_zh": variants, "avoid_en": avoid}


TERMS = terms_of(
    [
        _term("neishe-jigou", "内设机构", "internal section"),
        _term("neishe-jigou-xiane", "内设机构限额", "quota of internal sections"),
        _term("dangjian", "党建", "Party building"),
        _term("bianban", "编办", "Commission Office for Public Sector Reform", "机构编制委员会办公室"),
        _term("yangqi-hezuo", "央企合作", "cooperation with central SOEs", avoid="central–local cooperation"),
    ]
)


def test_a_longer_term_hides_the_shorter_ones_and_english_is_compared_loosely():
    assert missing_renderings("在内设机构限额内", "within the quota of internal sections", TERMS) == []
    assert [t.term_id for t in missing_renderings("内设机构", "within the quota", TERMS)] == ["neishe-jigou"]
    assert missing_renderings("党建品牌", "the PARTY-BUILDING brand", TERMS) == []
    assert missing_renderings("市委编办", "the “Commission Office for Public Sector Reform”", TERMS) == []
    assert (
        missing_renderings("中共某市委机构编制委员会办公室", "Commission Office for Public Sector Reform", TERMS) == []
    )
    assert [t.term_id for t in missing_renderings("市委编办", "the Establishment Office", TERMS)] == ["bianban"]
    assert [avoid for _, avoid in avoided_renderings("central–local cooperation", TERMS)] == [
        "central–local cooperation"
    ]
    assert normalise_en("People’s “Livelihood” — x") == "people's livelihood x"
