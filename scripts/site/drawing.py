"""Where vl-convert draws: in this process, or, under `make serve`, in processes of its own.

vl-convert holds Python's lock for much of a drawing, so a drawing in a thread holds up the pages being made beside
it. `make serve` therefore starts drawing processes (start_drawing) before its first build: after a data edit, the
changed charts are drawn there while the server makes the pages. A one-shot build draws in its own process: its
drawings are mostly in the build cache, and starting processes would cost more than they save.
"""

import json
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor

import vl_convert

from scripts.site.helpers import helper_started

DRAWERS = 2  # a chart's wide and narrow drawings at once, or two PNGs

_drawers: list[ProcessPoolExecutor] = []


def svg(spec: str) -> "Future[bytes]":
    """A Vega-Lite specification (JSON text) drawn as SVG: begun in a drawing process, or drawn now without one."""
    return _drawn(_svg, spec)


def png(svg_text: str, scale: float) -> "Future[bytes]":
    """An SVG rasterised as PNG at the scale, as svg() draws."""
    return _drawn(_png, svg_text, scale)


def start_drawing(processes: int = DRAWERS) -> None:
    """Start the drawing processes, each with vl-convert's JavaScript runtime started (the first drawing in a process
    waits about a second for it)."""
    if _drawers:
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(processes, context, _drawer_started, (os.getpid(),))
    for _ in range(processes):
        pool.submit(int)  # a submission that finds no idle process starts one
    _drawers.append(pool)


def stop_drawing(wait: bool) -> None:
    """End the drawing processes; wait: until they have ended (the server is about to restart in this process)."""
    for pool in _drawers:
        pool.shutdown(wait=wait, cancel_futures=True)
    _drawers.clear()


def _drawer_started(server: int) -> None:
    helper_started(server)
    vl_convert.vegalite_to_svg(json.dumps({"mark": "point"}))


def _drawn(draw: Callable[..., bytes], *arguments: object) -> "Future[bytes]":
    if _drawers:
        return _drawers[0].submit(draw, *arguments)
    done: Future[bytes] = Future()
    done.set_result(draw(*arguments))
    return done


def _svg(spec: str) -> bytes:
    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def _png(svg_text: str, scale: float) -> bytes:
    return vl_convert.svg_to_png(svg_text, scale=scale)
