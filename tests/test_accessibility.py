"""WCAG 2.1 A/AA (GB/T 37668-2019) on every page in both languages, as axe-core finds in Chromium; colour-blind-safe
palettes with enough contrast (charts' names and tables: test_site_browser.py; their controls by keyboard:
test_share.py)."""

import itertools
import json
import math
import re
from typing import Any

import pytest

from scripts.data.model import load_package
from scripts.data.paths import DATASETS
from scripts.site.charts import CHARTS, build_chart
from scripts.site.charts.common import PALETTE, TEXT
from tests.conftest import DESKTOP_AXE, PACKAGE
from tests.site_support import MIN_CHART_TEXT_PX

# Machado, Oliveira & Fernandes (2009), severity 1: linear-RGB matrices of the three dichromacies (and of normal vision)
VISIONS = {
    "normal vision": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.01182, 0.04294, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.3039)),
}
MIN_DISTANCE = 20  # CIE76 ΔE between two series colours as a reader with each dichromacy sees them


def _format(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} — {'; '.join(v['nodes'][:3])}" for v in violations]


def test_every_page_in_both_languages_passes_axe_wcag_21_aa(first_visits):
    assert any(p.startswith("en/") for p in first_visits) and any(not p.startswith("en/") for p in first_visits)
    found = {path: _format(visit.violations) for path, visit in first_visits.items() if visit.violations}
    assert found == {}


def test_on_a_desktop_pages_pass_axe_tables_are_tables_and_chart_text_is_11_px_or_more(first_visits):
    assert set(DESKTOP_AXE) <= set(first_visits)
    assert {path: _format(visit.wide_violations) for path, visit in first_visits.items() if visit.wide_violations} == {}
    found = {path: visit.wider[1280] for path, visit in first_visits.items()}
    assert sum(len(f["tables"]) for f in found.values()) >= len(DESKTOP_AXE)
    # a list of figures is cards at every width; the data section's tables stay tables, in a box that scrolls if wide
    laid_out = {*(t for f in found.values() for t in f["tables"]), *(r for f in found.values() for r in f["rows"])}
    assert {"figures block", "figures flex", "rows table", "rows table-row"} <= laid_out
    assert {item for item in laid_out if item.startswith("figures ")} == {"figures block", "figures flex"}
    assert {item.split()[1] for item in laid_out if not item.startswith("figures ")} == {"table", "table-row"}
    sizes = [size for f in found.values() for size in f["chart_text"].values()]
    assert sizes and min(sizes) >= MIN_CHART_TEXT_PX


def _rgb(colour: str) -> tuple[float, float, float]:
    """The colour's linear RGB."""
    channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)  # type: ignore[return-value]


def contrast(a: str, b: str = "#ffffff") -> float:
    lum = [0.2126 * r + 0.7152 * g + 0.0722 * b_ for r, g, b_ in (_rgb(a), _rgb(b))]
    return (max(lum) + 0.05) / (min(lum) + 0.05)


def _seen(colour: str, matrix: tuple[tuple[float, ...], ...]) -> tuple[float, float, float]:
    """CIE Lab of the colour as a reader whose vision the matrix simulates sees it."""
    rgb = _rgb(colour)
    r, g, b = (min(max(sum(m * c for m, c in zip(row, rgb, strict=True)), 0.0), 1.0) for row in matrix)
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_the_palette_is_colour_blind_safe_and_every_colour_meets_contrast():
    assert contrast(TEXT) >= 4.5
    for colour in PALETTE:
        assert contrast(colour) >= 3, f"{colour} has {contrast(colour):.2f}:1 against white; graphics need 3:1"
    for a, b in itertools.combinations(PALETTE, 2):
        for name, matrix in VISIONS.items():
            assert math.dist(_seen(a, matrix), _seen(b, matrix)) >= MIN_DISTANCE, f"{a} and {b} look alike with {name}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_draws_only_with_the_palette_and_has_a_text_alternative(lang):
    package = load_package(DATASETS / PACKAGE)
    allowed = {c.lower() for c in [*PALETTE, TEXT]}
    for name in CHARTS:
        spec = build_chart(name, package, lang)
        drawn = {colour.lower() for colour in re.findall(r'"(#[0-9a-fA-F]{6})"', json.dumps(spec.vega_lite()))}
        assert drawn <= allowed, name
        assert spec.title and len(spec.summary) > 20, name
        assert spec.vega_lite().get("description") == spec.summary, "the interactive chart is named by its summary"
