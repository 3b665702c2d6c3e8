"""vl-convert's drawings, in a module of their own: a helper process of `make serve` (scripts/site/helpers.py) that
draws imports little more than vl-convert."""

import json

import vl_convert


def svg(spec: str) -> bytes:
    """A Vega-Lite specification (JSON text) drawn as SVG."""
    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def png(svg_text: str, scale: float) -> bytes:
    """An SVG rasterised as PNG at the scale."""
    return vl_convert.svg_to_png(svg_text, scale=scale)


def warm() -> None:
    """Start vl-convert's JavaScript runtime, which a process's first drawing otherwise waits about a second for."""
    vl_convert.vegalite_to_svg(json.dumps({"mark": "point"}))
