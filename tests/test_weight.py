"""Light on a phone: a first visit to any page downloads at most WEIGHT_BUDGET gzip-compressed (HTML, CSS, JS, fonts,
images, sitemaps and the search index), and no page fetches the Vega engine before the reader asks for a chart. The
survey visits the largest page of each family made from one template, whose others differ only in fewer rows."""

import os

import pytest

from scripts.bench.browser import VEGA, WEIGHT_BUDGET, survey, transfer_size


def _kib(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


def test_a_first_visit_to_any_page_stays_within_the_weight_budget(first_visits):
    over = {
        path: f"{_kib(v.weight)}: "
        + ", ".join(f"{s.path} {_kib(s.bytes)}" for s in sorted(v.sent, key=lambda s: -s.bytes)[:5])
        for path, v in first_visits.items()
        if v.weight > WEIGHT_BUDGET
    }
    assert over == {}, f"over the {_kib(WEIGHT_BUDGET)} budget"


def test_the_weight_counts_everything_a_first_visit_downloads(first_visits, built_site):
    home = first_visits[""]
    fetched = {s.path for s in home.sent}
    for needed in ("/", "/assets/css/site.css", "/assets/js/charts.js", "/assets/js/search-on-demand.js"):
        assert needed in fetched, f"{needed} was not counted"
    for needed in ("/assets/javascripts/bundle.", "/assets/javascripts/workers/search.", "/assets/stylesheets/main."):
        assert any(p.startswith(needed) for p in fetched), f"{needed}… was not counted"
    page = built_site / "index.html"
    assert next(s.bytes for s in home.sent if s.path == "/") == transfer_size(page)
    assert transfer_size(page) < page.stat().st_size / 3, "text is counted gzip-compressed"
    assert all(s.status in (200, 301) for v in first_visits.values() for s in v.sent), "nothing is missing"


@pytest.mark.parametrize("asked_for", ["search_index.json", VEGA])
def test_no_page_fetches_the_search_index_or_the_vega_engine_before_the_reader_asks(first_visits, asked_for):
    assert [path for path, visit in first_visits.items() if visit.fetched(asked_for)] == []


def test_a_page_over_the_budget_is_caught(tmp_path):
    (tmp_path / "photo.png").write_bytes(os.urandom(WEIGHT_BUDGET + 1024))
    (tmp_path / "index.html").write_text(
        '<!doctype html><title>x</title><img src="photo.png" alt="">', encoding="utf-8"
    )
    (tmp_path / "404.html").write_text("<!doctype html><title>404</title>", encoding="utf-8")
    visit = survey(tmp_path, [""])[""]
    assert visit.fetched("/photo.png") and visit.weight > WEIGHT_BUDGET
