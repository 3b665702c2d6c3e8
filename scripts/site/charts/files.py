"""The files drawn from a chart: SVG (wide and narrow), PNG, its data as CSV, its Vega-Lite specification, its QR
code and share image; and the Vega bundle the interactive charts load."""

import json
import re
from html import escape
from importlib.metadata import version
from typing import Any

import pandas as pd
import vl_convert

from scripts.data.numbers import Lang
from scripts.site.charts.common import FONTS, TEXT, ChartSpec, wrap
from scripts.site.outputs.cache import cached, font_fingerprint
from scripts.site.outputs.downloads import Download
from scripts.site.outputs.languages import language_prefix
from scripts.site.outputs.share import page_qr

VEGA_BUNDLE = "assets/vendor/vega/vega-bundle.js"
PNG_SCALE = 2
SHARE_PADDING, SHARE_GAP, SHARE_TEXT, SHARE_LINE = 16, 8, 12, 17  # a share image's frame and its lines of text (px)
# a drawn chart's <svg> element: Vega draws at its size, with a view box of the same size at the origin
DRAWN_SVG = re.compile(r'^<svg [^>]*?width="([\d.]+)" height="([\d.]+)" viewBox="0 0 \1 \2"[^>]*>(.*)</svg>\s*$', re.S)
VL_CONVERT = version("vl-convert-python")
SVG = "chart-svg"  # the build cache's kind for a drawing, wide or narrow
EMBED = "embed/"  # embed pages (/embed/<chart>/, /en/embed/<chart>/) show a chart alone


def chart_files(spec: ChartSpec, lang: Lang) -> dict[str, Download]:
    """SVG (inline on the page), PNG, the CSV of exactly the plotted data, and the Vega-Lite specs; the drawings from
    the build cache. The PNG is the SVG rasterised, as vl-convert's own PNG is after drawing the SVG again."""
    base = f"{language_prefix(lang)}assets/charts/{spec.name}"
    vega_lite = spec.vega_lite()
    svg = drawn_svg(vega_lite)
    return {
        "svg": Download(f"{base}.svg", svg, "SVG", "image/svg+xml"),
        "png": Download(f"{base}.png", _png("chart-png", svg.decode()), "PNG", "image/png"),
        "csv": Download(f"{base}.csv", _csv(spec.data), "CSV", "text/csv"),
        "vl": Download(f"{base}.vl.json", _json(vega_lite), "JSON", "application/json"),
        # the phone's drawing, which the interactive chart draws where the chart's box is narrower than WIDE
        "narrow_vl": Download(f"{base}.narrow.vl.json", _json(spec.vega_lite(narrow=True)), "JSON", "application/json"),
    }


def _json(spec: dict[str, Any]) -> bytes:
    return (json.dumps(spec, ensure_ascii=False, indent=1) + "\n").encode()


def _png(kind: str, svg: str) -> bytes:
    return cached(
        kind, [VL_CONVERT, font_fingerprint(), svg, PNG_SCALE], lambda: vl_convert.svg_to_png(svg, scale=PNG_SCALE)
    )


def _csv(data: pd.DataFrame) -> bytes:
    """The plotted data as CSV, whole numbers written as such (29, not 29.0)."""
    whole = [c for c in data.columns if data[c].dtype.kind == "f" and data[c].dropna().mod(1).eq(0).all()]
    return data.astype({c: "Int64" for c in whole}).to_csv(index=False, lineterminator="\n").encode()


def drawn_svg(vega_lite: dict[str, Any]) -> bytes:
    text = json.dumps(vega_lite, ensure_ascii=False, sort_keys=True)
    return cached(SVG, [VL_CONVERT, font_fingerprint(), text], lambda: vl_convert.vegalite_to_svg(text).encode("utf-8"))


def embed_path(name: str, lang: Lang) -> str:
    return f"{language_prefix(lang)}{EMBED}{name}/"


def share_files(spec: ChartSpec, lang: Lang, site_url: str, drawn: bytes) -> dict[str, Download]:
    """A chart's QR code (of its embed page) and share image: the chart with its source line and the site's address."""
    base = f"{language_prefix(lang)}assets/charts/{spec.name}"
    framed = share_svg(drawn.decode(), spec.source, site_url, lang)  # drawn: the chart's wide SVG (chart_files)
    share = _png("chart-share-png", framed)
    return {
        "qr": Download(f"{base}.qr.svg", page_qr(site_url, embed_path(spec.name, lang), lang), "SVG", "image/svg+xml"),
        "share": Download(f"{base}.share.png", share, "PNG", "image/png"),
    }


def share_svg(chart: str, source: str, address: str, lang: Lang) -> str:
    """A drawn chart on a white frame, its source line (wrapped to the chart's width) and the site's address under it.
    Its marks are moved as a group, not nested as an <svg>, which resvg would clip, taking half as long again."""
    drawn = DRAWN_SVG.match(chart)
    if drawn is None:
        raise ValueError(f"not a drawn chart (an <svg> with a width, a height and the same view box): {chart[:80]!r}")
    width, height, marks = float(drawn[1]), float(drawn[2]), drawn[3]
    lines = [*wrap(source, width, SHARE_TEXT), address]
    top = SHARE_PADDING + height + SHARE_GAP
    font = escape(FONTS[lang], quote=True)
    texts = "".join(
        f'<text x="{SHARE_PADDING}" y="{top + (i + 1) * SHARE_LINE - 4:g}" font-family="{font}" '
        f'font-size="{SHARE_TEXT}" fill="{TEXT}">{escape(line, quote=False)}</text>'
        for i, line in enumerate(lines)
    )
    outer_width = width + 2 * SHARE_PADDING
    outer_height = top + len(lines) * SHARE_LINE + SHARE_PADDING
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{outer_width:g}" '
        f'height="{outer_height:g}" viewBox="0 0 {outer_width:g} {outer_height:g}">'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<g transform="translate({SHARE_PADDING},{SHARE_PADDING})">{marks}</g>{texts}</svg>'
    )


def vega_bundle() -> Download:
    """Vega, Vega-Lite and vega-embed in one file, as this vl-convert ships them."""
    bundle = cached("vega-bundle", [VL_CONVERT], lambda: vl_convert.javascript_bundle().encode("utf-8"))
    return Download(VEGA_BUNDLE, bundle, "JS", "text/javascript")
