"""Synthetic data for `make bench`: a multiple of the real size, marked synthetic, valid, never written into the
repository; and a site built from it summarises long lists instead of listing every row."""

import itertools
import json
import re

import pytest

from scripts.bench.synthetic import count_rows, generate
from scripts.data.model import load_package
from scripts.data.paths import DATASETS, ROOT
from scripts.site.charts.common import MAX_BARS
from scripts.site.pages.generated import LIST_ROWS, PAGE_ROWS, unit_page
from tests.conftest import PACKAGE
from tests.site_support import build_site

FACTOR = 6
CODE_LISTS = ("strands", "indicators", "change-types", "glossary")


def _rows(folder) -> dict[str, int]:
    return {p.stem: len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in sorted(folder.glob("data/*.csv"))}


@pytest.fixture(scope="module")
def grown(tmp_path_factory, archived_source):
    """Six times the data, as `make bench` makes ten, and the site built from it (the tests only read them)."""
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


def test_a_site_of_the_grown_data_summarises_long_lists_and_links_each_row_to_the_page_listing_it(grown):
    """However long a table grows, a figure's link goes to the page of its table that lists the row."""
    datasets, site = grown
    units, observations = (_rows(datasets / PACKAGE)[name] for name in ("units", "observations"))
    package = load_package(datasets / PACKAGE)
    own = [u for u in package.table("units").by_key if unit_page(package, u) == f"departments/{u}.md"]
    assert sorted(p.parent.name for p in (site / "departments").glob("*/index.html")) == sorted(own)
    slimming = (site / "slimming" / "index.html").read_text(encoding="utf-8")
    assert f"此处列出前{LIST_ROWS}条" in slimming
    longest = max(len(re.findall(r"<tr", table)) for table in re.findall(r"<table.*?</table>", slimming, re.S))
    assert longest <= max(LIST_ROWS + 1, 2 * MAX_BARS + 1), "a list, or a chart's data table, of the largest only"
    departments = (site / "departments" / "index.html").read_text(encoding="utf-8")
    added = units - units // FACTOR
    assert units <= PAGE_ROWS and departments.count('<tr id="unit-synthetic-') == added, "every unit is listed"
    assert observations > PAGE_ROWS
    listed = [
        re.findall(r'<tr id="row-([^"]+)"', page.read_text(encoding="utf-8"))
        for page in sorted((site / "data" / PACKAGE / "observations").glob("**/index.html"))
    ]
    assert max(map(len, listed)) == PAGE_ROWS and sum(map(len, listed)) == observations, "every row has a page"
    assert 'rel="next"' in (site / "data" / PACKAGE / "observations" / "index.html").read_text(encoding="utf-8")
    anchors = {
        html: set(re.findall(r'\bid="([^"]+)"', html.read_text(encoding="utf-8"))) for html in site.rglob("*.html")
    }
    links = 0
    for html in anchors:
        for href in re.findall(r'href="([^"#]*)#(row-[^"]+)"', html.read_text(encoding="utf-8")):
            target = (html.parent / href[0] / "index.html").resolve() if href[0] else html
            assert href[1] in anchors.get(target, set()), f"{html.relative_to(site)} links to {href}, not there"
            links += 1
    assert links > PAGE_ROWS, "links to rows past the first page were checked"


def test_long_lists_are_paginated_and_charts_show_the_largest(tmp_path, archived_source):
    from scripts.site.charts.sections_before_after import chart
    from scripts.site.pages.generated import generated_pages

    datasets, _ = generate(16, tmp_path / "synthetic", sources=archived_source.parent)  # more units than a page lists
    package = load_package(datasets / PACKAGE)
    pages = {page.src_uri: page for page in generated_pages([package], package)}
    units = len(package.table("units").frame)
    index = [uri for uri in pages if uri == "departments/index.md" or uri.startswith("departments/page/")]
    assert len(index) == -(-units // PAGE_ROWS) > 1
    covered = sorted((pages[uri].context["start"], pages[uri].context["end"]) for uri in index)
    assert covered[0][0] == 0 and covered[-1][1] == units
    assert all(a[1] == b[0] for a, b in itertools.pairwise(covered)), "no unit skipped or repeated"
    assert all(unit_page(package, u).split("#")[0] in pages for u in package.table("units").frame["unit_id"])
    spec = chart(package, "zh")
    assert len(spec.data) == 2 * MAX_BARS and "未在图中列出" in spec.summary, "the departments with the largest cuts"
