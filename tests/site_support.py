"""Build the site into a temporary folder, and what a reader would see wrong on its pages (probes run in Chromium)."""

import contextlib
import hashlib
import io
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

from scripts.__main__ import main
from scripts.data.paths import ROOT


def run_scripts(arguments: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m scripts ARGUMENTS` run in this process with env set while it runs: its exit code and output."""
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(arguments)
    return subprocess.CompletedProcess(["python", "-m", "scripts", *arguments], code, out.getvalue(), err.getvalue())


def build_site(
    site_dir: Path, datasets: Path | None = None, sources: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`python -m scripts build` into site_dir, in this process (a build in a process of its own is build_afresh)."""
    folders = {"--datasets": datasets, "--sources": sources}
    return run_scripts(["build", "--site-dir", str(site_dir), *(f"{k}={v}" for k, v in folders.items() if v)], **env)


def build_afresh(site_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The build in a new process, for what only a process's start sets (time zone, hash seed, locale)."""
    command = [sys.executable, "-m", "scripts", "build", "--site-dir", str(site_dir)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, **env))


def digests(folder: Path) -> dict[str, str]:
    """Each file's sha256, by its path in the folder."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def differences(one: Path, other: Path) -> list[str]:
    """The files that one folder holds and the other does not, or holds with other bytes."""
    first, second = digests(one), digests(other)
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


MIN_CHARS_PER_LINE = 4  # a block of text that wraps more narrowly than this reads one character at a time
MIN_CHART_TEXT_PX = 11  # the smallest chart text a phone may show, in CSS pixels
MIN_TEXT_PX = 12  # the smallest page text: what Lighthouse's font-size audit counts as legible

# What a reader of a phone would see wrong on a page, as JavaScript functions of the page (each returns problems).
# Text squeezed into a narrow column: in every block of text narrower than 8 em, the characters of each line (a line
# ends where the next character starts left of the one before, or below it); a line other than the last with fewer than
# MIN_CHARS_PER_LINE characters is a column too narrow. A paragraph whose last line is short is not one.
NARROW_TEXT = """() => {
    const problems = [], blocks = new Map();
    const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!node.data.trim() || !parent || parent.closest("svg, script, style, noscript, [hidden]")) continue;
        let block = parent;
        while (block.parentElement && ["inline", "contents"].includes(getComputedStyle(block).display)) {
            block = block.parentElement;
        }
        if (!blocks.has(block)) blocks.set(block, []);
        blocks.get(block).push(node);
    }
    const range = document.createRange();
    for (const [block, nodes] of blocks) {
        const style = getComputedStyle(block);
        const size = parseFloat(style.fontSize);
        const width = block.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        if (!block.checkVisibility({visibilityProperty: true}) || width <= 0 || width >= 8 * size) {
            continue;
        }
        const lines = [[]];
        let left = -Infinity, below = Infinity;
        for (const node of nodes) {
            for (let i = 0; i < node.data.length; i++) {
                if (/\\s/.test(node.data[i])) continue;
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const box = range.getBoundingClientRect();
                if (!box.width) continue;
                if (box.left < left - 1 || box.top > below) lines.push([]);
                lines.at(-1).push(node.data[i]);
                left = box.left;
                below = box.top + box.height * 0.6;
            }
        }
        const short = lines.slice(0, -1).filter(line => line.length < @CHARS@);
        if (short.length) {
            const text = lines.map(line => line.join("")).join("/");
            problems.push(`text wraps at fewer than @CHARS@ characters a line: ${text.slice(0, 60)}`);
        }
    }
    return problems;
}""".replace("@CHARS@", str(MIN_CHARS_PER_LINE))

# Measured again once the theme's transitions have ended: a window just widened runs them (Material's search box grows
# into place, briefly past the window's edge, for longer on a busy machine), and a page still settling its layout is
# not yet what a reader sees.
SIDEWAYS = """async () => {
    if (document.scrollingElement.scrollWidth <= innerWidth) return [];
    const transitions = document.getAnimations().filter(animation => animation instanceof CSSTransition);
    await Promise.all(transitions.map(transition => transition.finished.catch(() => null)));
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 100)));
    const width = document.scrollingElement.scrollWidth;
    return width > innerWidth ? [`the page scrolls sideways: ${width} px wide in a ${innerWidth} px window`] : [];
}"""

# Every chart's static drawing that shows: each text's size as rendered (its font size times the SVG's scale), the
# smallest of them at least MIN_CHART_TEXT_PX, and every text inside its drawing and the drawing inside the window.
CHART_TEXT = """() => {
    const problems = [], sizes = {};
    for (const chart of document.querySelectorAll("figure.chart")) {
        for (const svg of chart.querySelectorAll(".chart__static svg")) {
            const box = svg.getBoundingClientRect();
            if (!box.width || getComputedStyle(svg).visibility === "hidden") continue;
            let smallest = Infinity;
            for (const text of svg.querySelectorAll("text")) {
                if (!text.textContent.trim()) continue;
                const matrix = text.getScreenCTM();
                const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b);
                smallest = Math.min(smallest, size);
                const drawn = text.getBoundingClientRect();
                if (drawn.left < box.left - 1 || drawn.right > box.right + 1 || drawn.top < box.top - 1
                    || drawn.bottom > box.bottom + 1) {
                    problems.push(`chart ${chart.id}: text "${text.textContent}" drawn outside the chart`);
                }
            }
            sizes[chart.id] = Math.min(sizes[chart.id] ?? Infinity, smallest);
            if (smallest < @PX@) {
                problems.push(`chart ${chart.id}: text drawn at ${smallest.toFixed(1)} px, under @PX@ px`);
            }
            if (box.left < -1 || box.right > innerWidth + 1) {
                problems.push(`chart ${chart.id} reaches outside the window: ${box.left}–${box.right} px`);
            }
        }
    }
    return {problems, sizes};
}""".replace("@PX@", str(MIN_CHART_TEXT_PX))

# How the page's data tables are laid out: the computed display of each table and of each row (cards are "flex"), by
# the table's kind (its last class: figures, rows, derived …), and the tables too wide for the column they are in.
LAYOUT = """() => {
    const tables = [...document.querySelectorAll("article table.data-table")];
    const kind = t => [...t.classList].at(-1);
    const rows = t => [...t.tBodies].flatMap(b => [...b.rows]);
    const box = t => t.closest(".md-typeset__scrollwrap") || t;
    return {tables: tables.map(t => kind(t) + " " + getComputedStyle(t).display),
            rows: tables.flatMap(t => rows(t).map(r => kind(t) + " " + getComputedStyle(r).display)),
            wide: tables.filter(t => box(t).scrollWidth > box(t).clientWidth + 1).map(kind)};
}"""

# Text smaller than Lighthouse's "legible" size, the site's and the theme's, in boxes a reader opens too: for each
# element that holds text, its font size, and a problem when it is under MIN_TEXT_PX.
SMALL_TEXT = """() => {
    const problems = new Set();
    const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!node.data.trim() || !parent || parent.closest("svg, script, style, noscript, [hidden]")) continue;
        const size = parseFloat(getComputedStyle(parent).fontSize);
        if (size < @MIN@) {
            const name = parent.tagName.toLowerCase() + (parent.className ? "." + [...parent.classList].join(".") : "");
            problems.add(`text under @MIN@ px (${size.toFixed(1)} px) in ${name}: ${node.data.trim().slice(0, 30)}`);
        }
    }
    return [...problems].slice(0, 20);
}""".replace("@MIN@", str(MIN_TEXT_PX))

# Controls a reader taps, and the smallest box each may have (CSS px): 引用, 纠错, copy, share, the chart's tabs and
# downloads. A link in running text is not one of them.
MIN_TAP_PX = 44
TAP_TARGETS = """() => {
    const selector = ["details.row-cite > summary", "details.page-share > summary", "a.report-link", ".copy-button",
        "details.report > summary",
        ".chart-panel > .tabbed-labels > label", ".chart__downloads a", "a.share-link",
        "details.download__check > summary", ".figure-page__formats > summary"];
    const problems = [];
    for (const element of document.querySelectorAll(selector.join(", "))) {
        const box = element.getBoundingClientRect();
        if (!element.checkVisibility() || !box.width) continue;
        if (box.width < @PX@ - 0.5 || box.height < @PX@ - 0.5) {
            const size = `${box.width.toFixed(0)}×${box.height.toFixed(0)}`;
            problems.push(`tap target under @PX@×@PX@ px (${size}): ${element.textContent.trim().slice(0, 20)}`);
        }
    }
    return problems.slice(0, 10);
}""".replace("@PX@", str(MIN_TAP_PX))

# Text in the other language without a mark of it (WCAG 3.1.2): Chinese on an English page, two English words in a row
# on a Chinese page, where no element around the text says its language; code, scripts and form fields aside.
UNMARKED_LANGUAGE = """() => {
    const page = document.documentElement.lang, own = page === "en" ? ["en"] : ["zh", "zh-Hans"];
    const foreign = page === "en" ? /[\\u3400-\\u9fff\\uf900-\\ufaff]/ : /[A-Za-z]{2,}[\\s,:;()“”"]+[A-Za-z]{2,}/;
    const problems = new Set();
    const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest("script, style, code, pre, kbd, samp, svg, textarea, select, noscript")) continue;
        const lang = (parent.closest("[lang]") || document.documentElement).lang;
        if (own.includes(lang) && foreign.test(node.data)) {
            const text = node.data.trim().slice(0, 40);
            problems.add(`text in another language without lang in ${parent.tagName.toLowerCase()}: ${text}`);
        }
    }
    return [...problems].slice(0, 10);
}"""

# Run in every page of the built site once it is idle (scripts.bench.browser.survey), on a phone and on a desktop:
# what a reader would see wrong, what size each chart's text is drawn at, and how the data tables are laid out.
PAGE_PROBE = """async () => {
    const problems = [];
    for (const chart of document.querySelectorAll("figure.chart")) {
        const svg = [...chart.querySelectorAll(".chart__static svg")].find(s => s.getBoundingClientRect().width);
        const box = svg ? svg.getBoundingClientRect() : null;
        const marks = svg ? svg.querySelectorAll("g.role-mark").length : 0;
        if (!box || box.width < 200 || box.height < 60 || marks === 0) {
            const size = box ? `${box.width}x${box.height}` : "no svg";
            problems.push(`chart ${chart.id} not drawn: ${size}, ${marks} marks`);
        }
        const summary = chart.querySelector(".chart__summary");
        if (!summary || !summary.innerText.trim()) problems.push(`chart ${chart.id} without summary`);
    }
    const charts = (@CHART_TEXT@)();
    problems.push(...(@NARROW_TEXT@)(), ...(await (@SIDEWAYS@)()), ...charts.problems, ...(@SMALL_TEXT@)());
    problems.push(...(@TAP_TARGETS@)(), ...(@UNMARKED_LANGUAGE@)());
    return {problems, chart_text: charts.sizes, ...(@LAYOUT@)()};
}"""
PAGE_PROBE = re.sub("@([A-Z_]+)@", lambda name: globals()[name[1]], PAGE_PROBE)  # the parts above, in place


def open_ready(page, url: str) -> None:
    """Open a page as a reader finds it ready: its scripts have run (load) and nothing is loading any more (network
    idle). Network idle alone can come first on a busy machine, and a click then finds no handler."""
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element in focus matches the selector, as a reader without a mouse moves through a page."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


class _Text(HTMLParser):
    """The text a reader sees on a page: its text nodes and title attributes (tooltips), scripts and styles aside."""

    SKIPPED = frozenset({"script", "style"})
    BREAKS = frozenset({"p", "li", "tr", "td", "th", "h1", "h2", "h3", "br", "div", "figcaption", "dd", "dt"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        if tag in self.BREAKS:
            self.parts.append("\n")
        title = dict(attrs).get("title")
        if title:
            self.parts.append(f"\n{title}\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping -= 1
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """A page's text, one line per block, white space within a line collapsed."""
    parser = _Text()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def article_html(html: str) -> str:
    """The page's own content (Material's <article>), without navigation and header."""
    start = html.find("<article")
    return html[start : html.find("</article>", start)] if start >= 0 else html
