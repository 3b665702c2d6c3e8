"""The data say exactly what the report says: scope, attribution, estimates, qualifiers, periods, strands and
names, each held by a check that refuses the mistake with a message in Chinese and English (on the fixture)."""

import copy
import re

import pytest

from scripts.checks.editorial import (
    check_causal_wording,
    check_computed_scope,
    check_english_names,
    check_estimate_notes,
    check_estimates_labelled,
    check_qualifiers,
)
from scripts.checks.framing import check_scope, check_translations
from scripts.checks.glossary import avoided_renderings, check_glossary, missing_renderings, normalise_en, terms_of
from scripts.checks.provenance import check_provenance, check_values
from scripts.data.model import load_package
from scripts.data.packages import RawPackage, load_raw
from scripts.data.paths import DATASETS
from scripts.data.values import figure_text, period_text
from tests.conftest import FIXTURE, FIXTURE_DATASETS, FIXTURE_SOURCES
from tests.problem_support import find_problem, validation_problems

PACKAGE_DIR = FIXTURE_DATASETS / FIXTURE


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


OBS = "observations"
STRANDS_ONLY = "strands"  # check_provenance's problems of the strand_id field
# what is set (table, row id, field, value), the check, and every problem it reports: code, row, field, parameters
CASES = {
    "a row in another strand than its paragraph's heading": (
        [
            (OBS, "water-sections-before", "strand_id", "reshaping"),
            ("changes", "finance-performance-staffing", "strand_id", "overview"),
        ],
        STRANDS_ONLY,
        [
            (
                "strand-not-heading",
                OBS,
                "water-sections-before",
                "strand_id",
                {"heading": "坚持“瘦身”,精简内设机构", "expected": "slimming", "strand": "reshaping"},
            )
        ],
    ),
    "an estimate without its range, or outside it": (
        [
            (OBS, "city-sections-before", "lower", ""),
            (OBS, "city-sections-before", "upper", ""),
            (OBS, "city-sections-after", "lower", "211"),
            (OBS, "city-sections-after", "upper", "218"),
        ],
        check_values,
        [
            ("estimate-without-range", OBS, "city-sections-before", "lower", {}),
            ("estimate-out-of-range", OBS, "city-sections-after", "lower", {"lower": 211, "upper": 218}),
        ],
    ),
    "a value computed from an estimate": (
        [
            (OBS, "city-sections-after", "basis", "derived"),
            (OBS, "city-sections-after", "lower", ""),
            (OBS, "city-sections-after", "upper", ""),
        ],
        check_values,
        [("computed-from-estimate", OBS, "city-sections-after", "basis", {"inputs": ("city-sections-before",)})],
    ),
    "a range on a reported or derived value": (
        [
            (OBS, "water-sections-before", "lower", "11"),
            (OBS, "water-sections-before", "upper", "13"),
            (OBS, "water-sections-cut", "upper", "4"),
        ],
        check_values,
        [
            ("range-not-estimate", OBS, "water-sections-before", "lower", {"basis": "reported"}),
            ("range-not-estimate", OBS, "water-sections-cut", "upper", {"basis": "derived"}),
        ],
    ),
    "an estimate that does not recompute": (
        [(OBS, "city-sections-before", "value", "255")],
        check_values,
        [
            ("value-not-formula-result", OBS, "city-sections-before", "value", {"value": 255, "result": 250}),
            ("value-not-formula-result", OBS, "city-sections-after", "value", {}),  # computed from it
        ],
    ),
    "a city-level figure without its scope, or a scope in one language": (
        [
            (OBS, "city-pilot-units", "scope_zh", ""),
            (OBS, "city-pilot-units", "scope_en", ""),
            (OBS, "water-sections-before", "scope_zh", "市水务局"),
        ],
        check_scope,
        [
            ("city-figure-without-scope", OBS, "city-pilot-units", "scope_zh", {}),
            ("scope-in-one-language", OBS, "water-sections-before", "scope_en", {}),
        ],
    ),
    "a qualifier against the excerpt's wording (an estimate's range says it)": (
        [
            (OBS, "city-window-items-accepted", "qualifier", "exact"),
            (OBS, "govoffice-rules-revised", "qualifier", "approx"),
            (OBS, "city-sections-before", "qualifier", "exact"),
        ],
        check_qualifiers,
        [
            (
                "qualifier-against-wording",
                OBS,
                "city-window-items-accepted",
                "qualifier",
                {"value": 126000, "wanted": "approx"},
            ),
            (
                "qualifier-against-wording",
                OBS,
                "govoffice-rules-revised",
                "qualifier",
                {"value": 20, "wanted": "at-least"},
            ),
        ],
    ),
    "a computed value with a scope other than its inputs'": (
        [
            (OBS, "city-sections-after", "scope_zh", "全市"),
            (OBS, "city-sections-after", "scope_en", "the city as a whole"),
        ],
        check_computed_scope,
        [
            (
                "computed-scope-differs",
                OBS,
                "city-sections-after",
                "scope_zh",
                {"ref": "city-sections-before", "own_zh": "全市"},
            )
        ],
    ),
    "a computed value with no scope (check_scope's to report)": (
        [(OBS, "city-sections-after", "scope_zh", ""), (OBS, "city-sections-after", "scope_en", "")],
        check_computed_scope,
        [
            (
                "computed-scope-differs",
                OBS,
                "city-sections-after",
                "scope_zh",
                {"ref": "city-sections-before", "own_zh": ""},
            )
        ],
    ),
    "a value computed from a rounded figure, and an exact estimate": (
        [(OBS, "water-sections-before", "qualifier", "approx"), (OBS, "city-sections-after", "qualifier", "exact")],
        check_estimates_labelled,
        [
            (
                "computed-from-inexact",
                OBS,
                "water-sections-cut",
                "basis",
                {"ref": "water-sections-before", "qualifier": "approx"},
            ),
            ("computed-from-inexact", OBS, "water-sections-reduction-rate", "basis", {}),
            ("estimate-exact", OBS, "city-sections-after", "qualifier", {}),
        ],
    ),
    "an estimate without its assumption (a derived value assumes nothing)": (
        [(OBS, "city-sections-before", "note_en", ""), (OBS, "water-sections-cut", "note_en", "")],
        check_estimate_notes,
        [("estimate-without-note", OBS, "city-sections-before", "note_en", {})],
    ),
    "causal wording in our texts, not in the report's": (
        [
            (OBS, "city-window-items-accepted", "note_en", "Higher thanks to the merged sections."),
            ("changes", "market-online-section", "description_zh", "新设网络交易监管科，从而提升了监管效能"),
            (OBS, "city-window-completion-rate", "excerpt_en", "as a result, 99% were completed"),
        ],
        check_causal_wording,
        [
            ("causal-wording", OBS, "city-window-items-accepted", "note_en", {"words": "thanks to"}),
            ("causal-wording", "changes", "market-online-section", "description_zh", {}),
        ],
    ),
    "two English names for a body, or one for two sections": (
        [
            ("change-sections", "market-online-section", "section_en", "Planning Section"),
            ("units", "water-bureau", "name_zh", "虚构市财政局"),
        ],
        check_english_names,
        [
            ("english-name-differs", "units", "water-bureau", "name_en", {"first_en": "Fictional City Finance Bureau"}),
            (
                "english-name-taken",
                "change-sections",
                "market-online-section",
                "section_en",
                {"en": "Planning Section", "first_zh": "规划科"},
            ),
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_framing_mistake_is_refused_naming_its_row_and_field(case, raw):
    edits, check, expected = CASES[case]
    for table, key, field, value in edits:
        row(raw, table, key)[field] = value
    if check == STRANDS_ONLY:
        problems = [p for p in check_provenance(raw, FIXTURE_SOURCES) if p.field == "strand_id"]
    else:
        problems = check(raw)
    assert [(p.code, p.file.rsplit("/", 1)[-1], p.row, p.field) for p in problems] == [
        (code, f"{table}.csv", number_of(raw, table, key), field) for code, table, key, field, _ in expected
    ]
    for problem, (code, table, _, field, params) in zip(problems, expected, strict=True):
        assert find_problem([problem], code, f"{table}.csv", problem.row, field, **params)


def test_every_excerpt_needs_its_translation(raw):
    row(raw, "changes", "finance-performance-staffing").update(excerpt_en=" ")
    for milestone in raw.tables["milestones"]:
        del milestone["excerpt_en"]
    problems = check_translations(raw)
    row_number = number_of(raw, "changes", "finance-performance-staffing")
    find_problem(problems, "excerpt-without-translation", "changes.csv", row_number, "excerpt_en")
    find_problem(problems, "no-translation-column", "milestones.csv", 1, None)


def test_english_texts_must_use_the_glossarys_renderings(raw):
    row(raw, "indicators", "internal_sections")["name_en"] = "Inner units"
    row(raw, "units", "establishment-office")["name_en"] += " (the Establishment Office)"
    row(raw, "observations", "city-sections-cut")["excerpt_en"] = "18 departments of the city cut 40 internal sections"
    raw.descriptor["title_en"] = "Results of a fictional city’s reform"
    problems = check_glossary(raw)
    find_problem(problems, "glossary-rendering-missing", field="name_en", term="内设机构", rendering="internal section")
    find_problem(problems, "glossary-rendering-avoided", field="name_en", avoided="Establishment Office")
    find_problem(problems, "glossary-rendering-missing", field="excerpt_en", term="市直部门")
    find_problem(problems, "glossary-rendering-missing", field="title_en", term="大科室")


def test_the_validate_command_prints_framing_problems_in_both_languages(workspace):
    for field in ("lower", "upper"):
        workspace.set("observations", "city-sections-before", field, "")
    for field in ("scope_zh", "scope_en"):
        workspace.set("observations", "city-pilot-units", field, "")
    workspace.set("observations", "govoffice-rules-revised", "qualifier", "exact")
    result = workspace.validate()
    assert result.returncode == 1, result.stdout
    problems = validation_problems(workspace.datasets, workspace.sources)
    for code, key, field in (
        ("estimate-without-range", "city-sections-before", "lower"),
        ("city-figure-without-scope", "city-pilot-units", "scope_zh"),
        ("qualifier-against-wording", "govoffice-rules-revised", "qualifier"),
    ):
        problem = find_problem(problems, code, "observations.csv", workspace.row("observations", key), field)
        assert str(problem) in result.stdout


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
    assert figure_text(package, o["city-window-items-accepted"], "zh") == "约12.6万件"
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
    templates = {path.name: path.read_text(encoding="utf-8") for path in (scripts / "site" / "templates").glob("*.j2")}
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
