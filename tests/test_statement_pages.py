"""A figure stated by two reports says so on its page, lists each report's excerpt and paragraph, and for a conflict
shows both values, the one the site uses and why (the real package and a fictional report restating it, built once)."""

import csv
import hashlib
import shutil
import subprocess
import sys

import pytest

from scripts.data.paths import DATASETS
from tests.conftest import FIXTURE_SOURCES

SOURCE = "fictional-2026-02-01-restated"  # a test text, never published
PACKAGE = "huaibei-dakeshi-reform"
FIELDS = "statement_id,observation_id,source_id,locator,excerpt,excerpt_en,speaker_zh,speaker_en,value,qualifier"
AGREES, CONFLICT = "drc-sections-before", "city-sections-cut"
REASON = (
    "回访报道写70个，没有说明口径，网站采用市委编办主任给出的数字。",
    "The follow-up gives 70 without saying what it counts; the site uses the figure of the director of the Municipal "
    "Commission Office for Public Sector Reform.",
)
TITLE_EN = "A fictional report (for tests only): Huaibei’s big section reform revisited"
STATEMENTS = [
    [f"{AGREES}-restated", AGREES, SOURCE, "4", "市发改委内设机构由29个精简至22个",
     "the Municipal Development and Reform Commission cut its internal sections from 29 to 22", "", "", "29",
     "exact", "normal", "", ""],
    [f"{CONFLICT}-restated", CONFLICT, SOURCE, "5", "全市29家市直部门精简了70个内设机构",
     "29 municipal departments across the city cut 70 internal sections", "", "", "70", "exact", "deprecated",
     *REASON],
]  # fmt: skip


@pytest.fixture(scope="module")
def restated_site(tmp_path_factory, archived_source) -> dict[str, str]:
    root = tmp_path_factory.mktemp("restated")
    shutil.copytree(DATASETS, root / "datasets")
    (root / "sources").mkdir()
    shutil.copy(archived_source, root / "sources")
    shutil.copy(FIXTURE_SOURCES / f"{SOURCE}.txt", root / "sources")
    data = root / "datasets" / PACKAGE / "data"
    with (data / "statements.csv").open("a", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(STATEMENTS)
    with (data / "sources.csv").open("a", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerow(
            [SOURCE, "虚构报道（仅供测试，从未发表）：淮北“大科室”制改革回访", TITLE_EN,
             "测试用虚构来源", "Fictional source for tests", "记者 虚构", "2026-02-01T09:00:00+08:00",
             "https://example.invalid/restated", "Paragraphs are the non-blank lines, numbered from 1 at the title.",
             hashlib.sha256((FIXTURE_SOURCES / f"{SOURCE}.txt").read_bytes()).hexdigest()]
        )  # fmt: skip
    site = root / "site"
    command = [sys.executable, "-m", "scripts", "build", "--datasets", str(root / "datasets")]
    result = subprocess.run(
        [*command, "--sources", str(root / "sources"), "--site-dir", str(site)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = {}
    for observation in (AGREES, CONFLICT):
        pages[f"zh/{observation}"] = (site / "figures" / observation / "index.html").read_text(encoding="utf-8")
        pages[f"en/{observation}"] = (site / "en" / "figures" / observation / "index.html").read_text(encoding="utf-8")
    for lang, prefix in (("zh", site), ("en", site / "en")):
        pages[f"{lang}/quality"] = (prefix / "quality" / "index.html").read_text(encoding="utf-8")
        pages[f"{lang}/slimming"] = (prefix / "slimming" / "index.html").read_text(encoding="utf-8")
        pages[f"{lang}/package"] = (prefix / "data" / PACKAGE / "index.html").read_text(encoding="utf-8")
        for unit in ("huaibei-city", "development-reform-commission"):
            pages[f"{lang}/{unit}"] = (prefix / "departments" / unit / "index.html").read_text(encoding="utf-8")
    return pages


def held(observation_id: str) -> dict[str, str]:
    rows = csv.DictReader((DATASETS / PACKAGE / "data" / "observations.csv").open(encoding="utf-8"))
    return next(row for row in rows if row["observation_id"] == observation_id)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s[1])
def test_a_restated_figure_lists_both_reports_with_excerpt_and_paragraph(restated_site, statement, lang):
    page = restated_site[f"{lang}/{statement[1]}"]
    said = "2 份报道陈述了这个数字" if lang == "zh" else "Stated in 2 reports"
    assert said in page
    first = held(statement[1])
    for excerpt, locator in ((first["excerpt"], first["locator"]), (statement[4], statement[3])):
        assert excerpt in page
        assert (f"第{locator}段" if lang == "zh" else f"Paragraph {locator}") in page
    if lang == "en":
        assert statement[5] in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_conflicting_figure_shows_both_values_the_one_used_and_why(restated_site, lang):
    page = restated_site[f"{lang}/{CONFLICT}"]
    first, other = held(CONFLICT)["value"], STATEMENTS[1][8]
    unit = "个" if lang == "zh" else " sections"
    assert f"{first}{unit}" in page and f"{other}{unit}" in page
    used = f"本站采用{first}{unit}" if lang == "zh" else f"The site uses {first}{unit}"
    assert used in page
    assert REASON[0 if lang == "zh" else 1].replace("'", "&#39;") in page
    agrees = restated_site[f"{lang}/{AGREES}"]
    assert ("报道之间数字不同" if lang == "zh" else "The reports disagree") not in agrees


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_units_figures_list_marks_corroborated_and_conflicting_figures(restated_site, lang):
    agreed = "2 份报道<" if lang == "zh" else "stated in 2 reports<"
    assert agreed in restated_site[f"{lang}/development-reform-commission"]
    other = STATEMENTS[1][8]
    conflict = (
        f"2 份报道，数字不同：另有报道写{other}个"
        if lang == "zh"
        else f"which disagree: another gives {other} sections"
    )
    assert conflict in restated_site[f"{lang}/huaibei-city"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_quality_page_counts_corroborated_and_conflicting_figures_per_source(restated_site, lang):
    conflicting = sum(held(s[1])["value"] != s[8] for s in STATEMENTS)
    corroborated = len(STATEMENTS) - conflicting
    page = restated_site[f"{lang}/quality"]
    for source in (SOURCE, held(AGREES)["source_id"]):
        if lang == "zh":
            line = f"<code>{source}</code>：<strong>{corroborated}</strong> 个数字得到其他报道印证，"
            line += f"<strong>{conflicting}</strong> 个与其他报道不一致"
        else:
            line = f"<code>{source}</code>: <strong>{corroborated}</strong> figures corroborated by another report, "
            line += f"<strong>{conflicting}</strong> stated otherwise"
        assert line in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_charts_sources_view_and_the_release_diff_show_the_other_reports(restated_site, lang):
    """The chart that plots a restated figure says beside its source that two reports state it; the release lists the
    statements it adds."""
    sources = restated_site[f"{lang}/slimming"].split('<div class="tabbed-block chart__sources">')[1].split("</div>")[0]
    item = sources.split(f"figures/{AGREES}/")[1].split("</li>")[0]
    assert ("2 份报道" if lang == "zh" else "stated in 2 reports") in item
    package = restated_site[f"{lang}/package"]
    assert all(statement[0] in package for statement in STATEMENTS)
