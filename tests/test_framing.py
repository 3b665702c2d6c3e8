"""The data say exactly what the report says: scope, attribution, estimates, qualifiers, strands and names, each held
by a check that finds exactly the mistake (on the fixture package, read into memory), and one function states every
value with its qualifier, range and base."""

import copy

import pytest

from scripts.checks.characters import check_formula_prefixes
from scripts.checks.editorial import (
    avoided_renderings,
    check_causal_wording,
    check_english_names,
    check_estimate_notes,
    check_estimates_labelled,
    check_glossary,
    check_qualifiers,
    check_translations,
    check_unit_names_in_translations,
    missing_renderings,
    terms_of,
)
from scripts.checks.provenance import check_provenance, check_values
from scripts.data.model import load_package
from scripts.data.packages import load_raw
from scripts.data.values import figure_text, period_text
from tests.conftest import FIXTURE, FIXTURE_DATASETS, FIXTURE_SOURCES

PACKAGE_DIR = FIXTURE_DATASETS / FIXTURE
OBS, WATER, AFTER = "observations", "water-sections-before", "city-sections-after"
RULES, ITEMS, RATE = "govoffice-rules-revised", "city-window-items-accepted", "city-window-completion-rate"
HEADING = {"heading": "坚持“瘦身”,精简内设机构", "expected": "slimming", "strand": "reshaping"}


# a check; the cells changed ((table, row id or None for every row): {field: value, or None to drop the column});
# exactly the problems it finds then: (code, table, row id or number, field, some of the parameters)
FRAMED = {
    "a-number-is-no-formula": (
        check_formula_prefixes,
        {(OBS, WATER): {"value": "-12"}, ("units", "establishment-office"): {"short_name_en": "-29 Office"}},
        [("text-starts-like-a-formula", "units", "establishment-office", "short_name_en", {"first": "-"})],
    ),
    "strand-not-heading": (
        lambda package: [p for p in check_provenance(package, FIXTURE_SOURCES) if p.field == "strand_id"],
        {
            (OBS, WATER): {"strand_id": "reshaping"},
            ("changes", "finance-performance-staffing"): {"strand_id": "overview"},
        },
        [("strand-not-heading", OBS, WATER, "strand_id", HEADING)],  # the course (overview) may stand anywhere
    ),
    "ranges": (
        check_values,
        {
            (OBS, WATER): {"lower": "11", "upper": "13"},
            (OBS, "water-sections-cut"): {"upper": "4"},
            (OBS, "city-sections-before"): {"value": "255", "lower": "", "upper": ""},
            (OBS, AFTER): {"lower": "211", "upper": "218"},
        },
        [
            ("range-not-estimate", OBS, WATER, "lower", {"basis": "reported"}),
            ("range-not-estimate", OBS, "water-sections-cut", "upper", {"basis": "derived"}),
            ("value-not-formula-result", OBS, "city-sections-before", "value", {"value": 255, "result": 250}),
            ("estimate-without-range", OBS, "city-sections-before", "lower", {}),
            ("value-not-formula-result", OBS, AFTER, "value", {}),  # computed from the value changed
            ("estimate-out-of-range", OBS, AFTER, "lower", {"lower": 211, "upper": 218}),
        ],
    ),
    "translations": (
        check_translations,
        {("changes", "finance-performance-staffing"): {"excerpt_en": " "}, ("milestones", None): {"excerpt_en": None}},
        [
            ("excerpt-without-translation", "changes", "finance-performance-staffing", "excerpt_en", {}),
            ("no-translation-column", "milestones", 1, None, {}),
        ],
    ),
    "qualifiers": (
        check_qualifiers,  # an estimate's range says it is one, whatever its qualifier
        {
            (OBS, ITEMS): {"qualifier": "exact"},
            (OBS, RULES): {"qualifier": "approx"},
            (OBS, "city-sections-before"): {"qualifier": "exact"},
        },
        [
            ("qualifier-against-wording", OBS, ITEMS, "qualifier", {"value": 126000, "wanted": "approx"}),
            ("qualifier-against-wording", OBS, RULES, "qualifier", {"value": 20, "wanted": "at-least"}),
        ],
    ),
    "upper-bound": (
        check_qualifiers,
        {(OBS, RULES): {"excerpt": "修订工作制度不到20项"}},
        [("qualifier-against-wording", OBS, RULES, "qualifier", {"wanted": "at-most"})],
    ),
    "upper-bound-as-worded": (check_qualifiers, {(OBS, RULES): {"excerpt": "不到20项", "qualifier": "at-most"}}, []),
    "estimates-labelled": (
        check_estimates_labelled,
        {(OBS, WATER): {"qualifier": "approx"}, (OBS, AFTER): {"qualifier": "exact"}},
        [
            ("computed-from-inexact", OBS, "water-sections-cut", "basis", {"ref": WATER, "qualifier": "approx"}),
            ("computed-from-inexact", OBS, "water-sections-reduction-rate", "basis", {}),
            ("estimate-exact", OBS, AFTER, "qualifier", {}),
        ],
    ),
    "estimate-notes": (
        check_estimate_notes,  # a derived value is exact: it assumes nothing
        {(OBS, "city-sections-before"): {"note_en": ""}, (OBS, "water-sections-cut"): {"note_en": ""}},
        [("estimate-without-note", OBS, "city-sections-before", "note_en", {})],
    ),
    "causal-wording": (
        check_causal_wording,  # in our own texts; an excerpt's translation gives the report's words
        {
            (OBS, ITEMS): {"note_en": "Higher thanks to the merged sections."},
            ("changes", "market-online-section"): {"description_zh": "新设网络交易监管科，从而提升了监管效能"},
            (OBS, RATE): {
                "excerpt_en": "as a result, 99% were completed",
                "note_en": "Merged so that work goes faster.",
            },
        },
        [
            ("causal-wording", OBS, ITEMS, "note_en", {"words": "thanks to"}),
            ("causal-wording", OBS, RATE, "note_en", {"words": "so that"}),
            ("causal-wording", "changes", "market-online-section", "description_zh", {}),
        ],
    ),
    "english-names": (
        check_english_names,
        {
            ("change-sections", "market-online-section"): {"section_en": "Planning Section"},
            ("units", "water-bureau"): {"name_zh": "虚构市财政局"},
        },
        [
            ("english-name-differs", "units", "water-bureau", "name_en", {"first_en": "Fictional City Finance Bureau"}),
            ("english-name-taken", "change-sections", "market-online-section", "section_en", {"first_zh": "规划科"}),
        ],
    ),
    "unit-names": (
        check_unit_names_in_translations,
        {(OBS, "water-sections-cut"): {"excerpt_en": "the Municipal Water Affairs Bureau cut its sections to 9"}},
        [("unit-name-not-in-translation", OBS, "water-sections-cut", "excerpt_en", {"en": "Water Bureau"})],
    ),
}


@pytest.mark.parametrize("case", list(FRAMED))
def test_a_check_finds_exactly_the_mistake(case):
    check, edits, expected = FRAMED[case]
    package, problems = load_raw(PACKAGE_DIR)
    package = copy.deepcopy(package)
    assert package is not None and not problems and list(check(package)) == []
    rows = {}
    for (table, key), values in edits.items():
        for number, row in enumerate(package.tables[table], start=2):
            rows[table, next(iter(row.values()))] = number
            if key in (None, next(iter(row.values()))):
                row.update({field: value for field, value in values.items() if value is not None})
                for field in [field for field, value in values.items() if value is None]:
                    del row[field]
    found = list(check(package))
    where = [(p.code, p.file.rsplit("/", 1)[-1], p.row, p.field) for p in found]
    assert where == [(c, f"{t}.csv", rows.get((t, k), k), f) for c, t, k, f, _ in expected]
    for problem, (*_, params) in zip(found, expected, strict=True):
        assert {name: problem.params[name] for name in params} == params
        assert problem.text("zh") and problem.text("en")


def test_english_texts_must_use_the_glossarys_renderings():
    package, _ = load_raw(PACKAGE_DIR)
    next(r for r in package.tables["indicators"] if r["indicator_id"] == "internal_sections")["name_en"] = "Inner units"
    next(r for r in package.tables["units"] if r["unit_id"] == "establishment-office")["name_en"] += (
        " (Establishment Office)"
    )
    next(r for r in package.tables[OBS] if r["observation_id"] == "city-sections-cut")["excerpt_en"] = "18 departments"
    package.descriptor["title_en"] = "Results of a fictional city’s reform"
    found = {(p.code, p.field, p.params.get("avoided", p.params["term"])) for p in check_glossary(package)}
    missing, avoided = "glossary-rendering-missing", "glossary-rendering-avoided"
    assert {(missing, "name_en", "内设机构"), (avoided, "name_en", "Establishment Office")} <= found
    assert {(missing, "excerpt_en", "市直部门"), (missing, "title_en", "大科室")} <= found


TERMS = terms_of(
    [
        {"term_id": term_id, "term_zh": zh, "term_en": en, "variants_zh": variants, "avoid_en": avoid}
        for term_id, zh, en, variants, avoid in [
            ("neishe-jigou", "内设机构", "internal section", "", ""),
            ("neishe-jigou-xiane", "内设机构限额", "quota of internal sections", "", ""),
            ("dangjian", "党建", "Party building", "", ""),
            ("bianban", "编办", "Commission Office for Public Sector Reform", "机构编制委员会办公室", ""),
            ("yangqi-hezuo", "央企合作", "cooperation with central SOEs", "", "central–local cooperation"),
        ]
    ]
)


@pytest.mark.parametrize(
    ("chinese", "english", "flagged"),  # terms without their rendering, then renderings avoided
    [
        ("在内设机构限额内", "within the quota of internal sections", []),  # a longer term hides the shorter ones
        ("内设机构", "within the quota", ["neishe-jigou"]),
        ("党建品牌", "the PARTY-BUILDING brand", []),  # English compared without case, quotes or dashes
        ("市委编办", "the “Commission Office for Public Sector Reform”", []),
        ("中共某市委机构编制委员会办公室", "Commission Office for Public Sector Reform", []),  # a variant
        ("市委编办", "the Establishment Office", ["bianban"]),
        ("央企合作", "Central–Local cooperation", ["yangqi-hezuo", "central–local cooperation"]),  # an avoided one
    ],
)
def test_a_glossary_term_asks_for_its_rendering_and_an_avoided_one_is_found_however_written(chinese, english, flagged):
    missing = [t.term_id for t in missing_renderings(chinese, english, TERMS)]
    assert missing + [avoid for _, avoid in avoided_renderings(english, TERMS)] == flagged


def test_every_value_and_period_is_stated_with_its_qualifier_estimate_range_and_base():
    package = load_package(PACKAGE_DIR)
    o = package.observations
    stated = [
        (o["city-sections-before"], "约250个（估算值，范围242–258）", "about 250 sections (estimate, range 242–258)"),
        (o["finance-staff-change-rate"], "100%（基数：3人）", "100% (base: 3 persons)"),
        (o[ITEMS], "12.6万件（取整数）", "126,000 cases (rounded)"),  # as the report gives it, said to be rounded
        (o["city-sections-reduction-rate"], "约16%", "about 16%"),  # 16%左右: the report's hedge
        (o[RULES], "20项以上", "at least 20 rules"),
        ({**o[RULES], "qualifier": "at-most"}, "不超过20项", "at most 20 rules"),
        (o["city-sections-cut"], "40个", "40 sections"),
    ]
    for row, zh, en in stated:
        assert (figure_text(package, row, "zh"), figure_text(package, row, "en")) == (zh, en)
    for changed, error in (({"basis": "guessed"}, "unknown basis"), ({"qualifier": "roughly"}, "unknown qualifier")):
        with pytest.raises(ValueError, match=error):
            figure_text(package, {**o["city-sections-cut"], **changed}, "zh")
    assert (period_text("not-stated", "zh"), period_text("not-stated", "en")) == ("报道未注明时间", "period not stated")
    assert period_text("2023-02", "en") == "February 2023"
    with pytest.raises(KeyError, match="unknown period 'sometime'"):
        period_text("sometime", "zh")
