"""A figure stated by two reports says so on its page, lists each report's excerpt and paragraph, and for a conflict
shows both values, the one the site uses and why (the real package and a fictional report restating it). The pages
are rendered once, without the generator: everything checked here is in their data blocks, which it puts back as
they are."""

import csv
import shutil

import pytest

from scripts.data.paths import DATASETS
from tests.site_support import AGREES, CONFLICT, REASON, RESTATEMENTS, RESTATING, rendered_pages, restate

PACKAGE = "huaibei-dakeshi-reform"


@pytest.fixture(scope="module")
def restated_site(tmp_path_factory) -> dict[str, dict[str, str]]:
    root = tmp_path_factory.mktemp("restated")
    shutil.copytree(DATASETS, root / "datasets")
    restate(root / "datasets" / PACKAGE, root / "sources")
    return rendered_pages(root / "datasets", root / "sources", root)


def held(observation_id: str) -> dict[str, str]:
    rows = csv.DictReader((DATASETS / PACKAGE / "data" / "observations.csv").open(encoding="utf-8"))
    return next(row for row in rows if row["observation_id"] == observation_id)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_restated_figure_lists_both_reports_and_a_conflict_both_values_the_one_used_and_why(restated_site, lang):
    pages = restated_site[lang]
    for statement in RESTATEMENTS:
        page = pages[f"figures/{statement[1]}.md"]
        assert ("2 份报道陈述了这个数字" if lang == "zh" else "Stated in 2 reports") in page
        first = held(statement[1])
        for excerpt, locator in ((first["excerpt"], first["locator"]), (statement[4], statement[3])):
            assert excerpt in page and (f"第{locator}段" if lang == "zh" else f"Paragraph {locator}") in page
        assert lang == "zh" or statement[5] in page
    page, unit = pages[f"figures/{CONFLICT}.md"], "个" if lang == "zh" else " sections"
    first, other = held(CONFLICT)["value"], RESTATEMENTS[1][8]
    assert f"{first}{unit}" in page and f"{other}{unit}" in page
    assert (f"本站采用{first}{unit}" if lang == "zh" else f"The site uses {first}{unit}") in page
    assert REASON[0 if lang == "zh" else 1].replace("'", "&#39;") in page
    assert ("报道之间数字不同" if lang == "zh" else "The reports disagree") not in pages[f"figures/{AGREES}.md"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lists_charts_the_quality_page_and_the_release_mark_corroborated_and_conflicting_figures(restated_site, lang):
    pages, other = restated_site[lang], RESTATEMENTS[1][8]
    agreed, conflict = ("2 份报道<", f"2 份报道，数字不同：另有报道写{other}个")
    if lang == "en":
        agreed, conflict = "stated in 2 reports<", f"which disagree: another gives {other} sections"
    assert agreed in pages["departments/development-reform-commission.md"]
    assert conflict in pages["departments/huaibei-city.md"]
    # the chart that plots a restated figure says beside its source that two reports state it
    sources = pages["slimming.md"].split('<div class="tabbed-block chart__sources">')[1].split("</div>")[0]
    assert agreed[:-1] in sources.split(f"figures/{AGREES}/")[1].split("</li>")[0]
    conflicting = sum(held(s[1])["value"] != s[8] for s in RESTATEMENTS)
    counts = f"<strong>{len(RESTATEMENTS) - conflicting}</strong>{{}}<strong>{conflicting}</strong>"
    line = counts.format(" 个数字得到其他报道印证，") + " 个与其他报道不一致"
    if lang == "en":
        line = counts.format(" figures corroborated by another report, ") + " stated otherwise"
    for source in (RESTATING, held(AGREES)["source_id"]):
        assert f"<code>{source}</code>{'：' if lang == 'zh' else ': '}{line}" in pages["quality.md"]
    assert all(s[0] in pages[f"data/{PACKAGE}/index.md"] for s in RESTATEMENTS)  # the release lists them
