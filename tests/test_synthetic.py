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
from tests.conftest import PACKAGE
from tests.site_support import rendered_pages

FACTOR = 4  # the least that lists more than LIST_ROWS rows on a page (reshaping's figures)
CODE_LISTS = ("strands", "indicators", "change-types", "glossary")


def _rows(folder) -> dict[str, int]:
    return {p.stem: len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in sorted(folder.glob("data/*.csv"))}


@pytest.fixture(scope="module")
def grown(tmp_path_factory, archived_source):
    """Four times the data, as `make bench` makes ten, and its Chinese pages as rendered for the generator (validated
    first, every excerpt against a source text)."""
    folder = tmp_path_factory.mktemp("grown")
    datasets, sources = generate(FACTOR, folder / "synthetic", sources=archived_source.parent)
    return datasets, rendered_pages(datasets, sources, folder / "pages", ("zh",))["zh"]


def test_the_grown_data_is_marked_synthetic_and_never_written_into_the_repository(grown):
    datasets, _ = grown
    real, rows = _rows(DATASETS / PACKAGE), _rows(datasets / PACKAGE)
    assert rows == {name: n if name in CODE_LISTS else FACTOR * n for name, n in real.items()}
    assert count_rows(datasets) == sum(rows.values())
    descriptor = json.loads((datasets / PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["synthetic"] is True and "合成" in descriptor["title"] and "Synthetic" in descriptor["title_en"]
    units = (datasets / PACKAGE / "data" / "units.csv").read_text(encoding="utf-8").splitlines()
    assert all("合成" in line and "ynthetic" in line for line in units[1 + real["units"] :])
    with pytest.raises(ValueError, match="never written inside the repository"):
        generate(2, ROOT / "datasets" / "synthetic")


def test_a_site_of_the_grown_data_lists_every_unit_and_summarises_long_lists(grown):
    datasets, pages = grown
    package = load_package(datasets / PACKAGE)
    own = [u for u in package.table("units").by_key if generated.unit_page(package, u) == f"departments/{u}.md"]
    assert {p for p in pages if p.startswith("departments/")} == {f"departments/{u}.md" for u in [*own, "index"]}
    listed = re.findall(r'<tr id="unit-([^"]+)"', pages["departments/index.md"])
    assert sorted(listed) == sorted(package.table("units").by_key), "every unit, on the one page of the index"
    reshaping = pages["reshaping.md"]
    assert f"此处列出前{generated.LIST_ROWS}条" in reshaping
    longest = max(len(re.findall(r"<tr", table)) for table in re.findall(r"<table.*?</table>", reshaping, re.S))
    assert longest <= max(generated.LIST_ROWS + 1, 2 * MAX_BARS + 1), "a list, or a chart's table, of the largest only"


def test_long_tables_are_paginated_each_row_on_the_page_its_links_name(tmp_path, archived_source):
    from scripts.site.charts.sections_before_after import chart

    datasets, _ = generate(16, tmp_path / "synthetic", sources=archived_source.parent)  # more units than a page lists
    package = load_package(datasets / PACKAGE)
    pages = {page.src_uri: page.context for page in generated.generated_pages([package], package)}
    observations = partial(generated.table_page, PACKAGE, "observations")
    for table, page in (("units", generated.department_index_page), ("observations", observations)):
        data, count, size = package.table(table), len(package.table(table).frame), generated.PAGE_ROWS
        ranges = [(start, min(start + size, count)) for start in range(0, count, size)]
        assert len(ranges) > 1 and page(len(ranges) + 1) not in pages
        assert [(pages[page(n)]["start"], pages[page(n)]["end"]) for n in range(1, len(ranges) + 1)] == ranges
        for key in data.by_key:  # a link to a row names the page that lists it
            start, end = ranges[generated.row_page(data, key) - 1]
            assert start <= data.position(key) < end, key
    spec = chart(package, "zh")
    assert len(spec.data) == 2 * MAX_BARS and "未在图中列出" in spec.summary, "the departments with the largest cuts"
