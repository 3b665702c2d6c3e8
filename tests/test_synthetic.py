"""Synthetic data for `make bench`: a multiple of the real size, marked synthetic, valid, never written into the
repository; and a site built from it summarises long lists and paginates long tables instead of listing every row."""

import json
import re
from functools import partial

import pytest

from scripts.bench.synthetic import count_rows, generate
from scripts.data.model import load_package
from scripts.data.paths import DATASETS, ROOT
from scripts.site.charts.common import MAX_BARS
from scripts.site.pages import generated
from scripts.site.pages.generated import LIST_ROWS, PAGE_ROWS, unit_page
from tests.conftest import PACKAGE
from tests.site_support import build_site

FACTOR = 4  # the smallest that lists more than LIST_ROWS figures on a page (reshaping's)
CODE_LISTS = ("strands", "indicators", "change-types", "glossary")


def _rows(folder) -> dict[str, int]:
    return {p.stem: len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in sorted(folder.glob("data/*.csv"))}


@pytest.fixture(scope="module")
def grown(tmp_path_factory, archived_source):
    """Four times the data, as `make bench` makes ten, and the site built from it (the tests only read them)."""
    folder = tmp_path_factory.mktemp("grown")
    datasets, sources = generate(FACTOR, folder / "synthetic", sources=archived_source.parent)
    result = build_site(folder / "site", datasets, sources)
    assert result.returncode == 0, result.stderr
    assert "WARN" not in result.stdout.upper(), "the build's validation checked every excerpt against a source text"
    return datasets, folder / "site"


def test_the_grown_data_is_marked_synthetic_and_never_written_into_the_repository(grown):
    datasets, _ = grown
    real, rows = _rows(DATASETS / PACKAGE), _rows(datasets / PACKAGE)
    assert rows == {name: n if name in CODE_LISTS else FACTOR * n for name, n in real.items()}
    assert count_rows(datasets) == sum(rows.values())
    descriptor = json.loads((datasets / PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["synthetic"] is True
    assert "合成" in descriptor["title"] and "Synthetic" in descriptor["title_en"]
    units = (datasets / PACKAGE / "data" / "units.csv").read_text(encoding="utf-8").splitlines()
    added = units[1 + real["units"] :]
    assert added and all("合成" in line and "ynthetic" in line for line in added)
    with pytest.raises(ValueError, match="never written inside the repository"):
        generate(2, ROOT / "datasets" / "synthetic")


def test_a_site_of_the_grown_data_summarises_long_lists_and_every_row_link_finds_its_row(grown):
    datasets, site = grown
    package = load_package(datasets / PACKAGE)
    own = [u for u in package.table("units").by_key if unit_page(package, u) == f"departments/{u}.md"]
    assert sorted(p.parent.name for p in (site / "departments").glob("*/index.html")) == sorted(own)
    departments = (site / "departments" / "index.html").read_text(encoding="utf-8")
    units = len(package.table("units").by_key)
    assert departments.count('<tr id="unit-synthetic-') == units - units // FACTOR, "every unit is listed"
    reshaping = (site / "reshaping" / "index.html").read_text(encoding="utf-8")
    assert f"此处列出前{LIST_ROWS}条" in reshaping
    longest = max(len(re.findall(r"<tr", table)) for table in re.findall(r"<table.*?</table>", reshaping, re.S))
    assert longest <= max(LIST_ROWS + 1, 2 * MAX_BARS + 1), "a list, or a chart's data table, of the largest only"
    pages = {html: html.read_text(encoding="utf-8") for html in site.rglob("*.html")}
    anchors = {html: set(re.findall(r'\bid="([^"]+)"', text)) for html, text in pages.items()}
    links = [(html, *link) for html, text in pages.items() for link in re.findall(r'href="([^"#]*)#(row-[^"]+)"', text)]
    for html, href, row in links:
        target = (html.parent / href / "index.html").resolve() if href else html
        assert row in anchors.get(target, set()), f"{html.relative_to(site)} links to {href}#{row}, not there"
    assert len(links) > PAGE_ROWS


def test_long_tables_are_paginated_each_row_on_the_page_its_links_name(tmp_path, archived_source):
    from scripts.site.charts.sections_before_after import chart

    datasets, _ = generate(16, tmp_path / "synthetic", sources=archived_source.parent)  # more units than a page lists
    package = load_package(datasets / PACKAGE)
    pages = {page.src_uri: page.context for page in generated.generated_pages([package], package)}
    observations = partial(generated.table_page, PACKAGE, "observations")
    for table, page in (("units", generated.department_index_page), ("observations", observations)):
        data, count = package.table(table), len(package.table(table).frame)
        covered = [(pages[page(n)]["start"], pages[page(n)]["end"]) for n in range(1, -(-count // PAGE_ROWS) + 1)]
        assert len(covered) > 1 and page(len(covered) + 1) not in pages
        assert covered == [(start, min(start + PAGE_ROWS, count)) for start in range(0, count, PAGE_ROWS)]
        for key in data.by_key:  # a link to a row names the page that lists it
            start, end = covered[generated.row_page(data, key) - 1]
            assert start <= data.position(key) < end, key
    assert all(unit_page(package, u).split("#")[0] in pages for u in package.table("units").by_key)
    spec = chart(package, "zh")
    assert len(spec.data) == 2 * MAX_BARS and "未在图中列出" in spec.summary, "the departments with the largest cuts"
