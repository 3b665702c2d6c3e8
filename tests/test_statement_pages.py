"""The real data's pages, rendered once (without the generator: the data blocks are all that is checked) with the
fictional report imported as a maintainer would and a fictional follow-up restating two figures: the new figures are
shown; a figure stated by two reports lists both excerpts, and for a conflict both values, the one used and why."""

import csv
import shutil

import pytest

from scripts.data.paths import DATASETS, sources_dir
from scripts.maintain.importer import import_workbook
from tests.conftest import PACKAGE, REAL_SOURCE, archived
from tests.maintain_support import FICTIONAL, SOURCE, draft, filled_copy
from tests.site_support import AGREES, CONFLICT, REASON, RESTATEMENTS, RESTATING, rendered_pages, restate


@pytest.fixture(scope="module")
def restated_site(tmp_path_factory) -> dict[str, dict[str, str]]:
    root = tmp_path_factory.mktemp("restated")
    datasets, sources = root / "datasets", root / "sources"
    shutil.copytree(DATASETS, datasets)
    shutil.copytree(archived(sources_dir() / f"{REAL_SOURCE}.txt").parent, sources)  # the import validates it all
    shutil.copy(FICTIONAL, sources)
    filled = filled_copy(draft(SOURCE, datasets, sources, root / "real.xlsx"), root, city="huaibei-city")
    assert import_workbook(filled, datasets, sources).ok
    restate(datasets / PACKAGE, sources)
    return rendered_pages(datasets, sources, root)


def held(observation_id: str) -> dict[str, str]:
    rows = csv.DictReader((DATASETS / PACKAGE / "data" / "observations.csv").open(encoding="utf-8"))
    return next(row for row in rows if row["observation_id"] == observation_id)


def test_the_figures_a_maintainer_imported_are_shown(restated_site):
    zh, en = restated_site["zh"], restated_site["en"]
    table = zh[f"data/{PACKAGE}/observations.md"]
    assert "fictional-cadres-trained" in table and "市干部培训中心全年共有一百二十名干部参加业务培训" in table
    departments = en["departments/index.md"]  # one record: no page of its own
    assert "Fictional Training Centre" in departments and "figures/fictional-cadres-trained/" in departments
    assert "120 cadres attended professional training" in en["figures/fictional-cadres-trained.md"]
    assert "the city’s government service windows" in en["departments/huaibei-city.md"]  # the scope
    assert "业务培训" in en["glossary.md"] and "professional training" in en["glossary.md"]
    fictional = en["quality.md"][en["quality.md"].index(f"<code>{SOURCE}</code>") :].split("</li>")[0]
    assert "13 figures" in fictional and "3 held" in fictional


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
