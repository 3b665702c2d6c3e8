"""Build the site into a temporary folder, and what a reader would see wrong on its pages (probes run in Chromium)."""

import contextlib
import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

from mkdocs.config import load_config

from scripts.__main__ import main
from scripts.data.paths import ROOT, sources_dir
from scripts.site.glue.configuration import edition_for
from scripts.site.pages.blocks import TOKEN
from scripts.site.pages.tree import write_tree
from scripts.site.prepare import prepare
from tests.conftest import FIXTURE_SOURCES, PUBLISHED

RESTATING = "fictional-2026-02-01-restated"  # a test text, never published: it restates two of the real figures
AGREES, CONFLICT = "drc-sections-before", "city-sections-cut"  # the figure it agrees on, and the one it gives as 70
REASON = (
    "回访报道写70个，没有说明口径，网站采用市委编办主任给出的数字。",
    "The follow-up gives 70 without saying what it counts; the site uses the figure of the director of the Municipal "
    "Commission Office for Public Sector Reform.",
)
RESTATEMENTS = [
    [f"{AGREES}-restated", AGREES, RESTATING, "4", "市发改委内设机构由29个精简至22个",
     "the Municipal Development and Reform Commission cut its internal sections from 29 to 22", "", "", "29",
     "exact", "normal", "", ""],
    [f"{CONFLICT}-restated", CONFLICT, RESTATING, "5", "全市29家市直部门精简了70个内设机构",
     "29 municipal departments across the city cut 70 internal sections", "", "", "70", "exact", "deprecated",
     *REASON],
]  # fmt: skip


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


def restate(package: Path, sources: Path) -> None:
    """A copy of the real package, with its archived text in the folder sources, gains the fictional report RESTATING
    and its two statements of held figures (one agreeing, one conflicting)."""
    sources.mkdir(exist_ok=True)
    text = FIXTURE_SOURCES / f"{RESTATING}.txt"
    for path in (*sources_dir().glob("*.txt"), text):
        shutil.copy(path, sources)
    with (package / "data" / "statements.csv").open("a", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(RESTATEMENTS)
    with (package / "data" / "sources.csv").open("a", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerow(
            [RESTATING, "虚构报道（仅供测试，从未发表）：淮北“大科室”制改革回访",
             "A fictional report (for tests only): Huaibei’s big section reform revisited",
             "测试用虚构来源", "Fictional source for tests", "记者 虚构", "2026-02-01T09:00:00+08:00",
             "https://news.example.invalid/restated",
             "Paragraphs are the non-blank lines, numbered from 1 at the title.",
             hashlib.sha256(text.read_bytes()).hexdigest()]
        )  # fmt: skip


def rendered_pages(
    datasets: Path, sources: Path, folder: Path, langs: tuple[str, ...] = ("zh", "en")
) -> dict[str, dict[str, str]]:
    """Each edition's pages as rendered into folder before the generator runs, by language and then src_uri: their
    Markdown with the data blocks put back. What the data says on a page, in a third of a build's time."""
    shared, config = prepare(datasets, sources), load_config(str(ROOT / "mkdocs.yml"))
    pages: dict[str, dict[str, str]] = {lang: {} for lang in langs}
    for lang, found in pages.items():
        edition = edition_for(config, lang, PUBLISHED, shared, {})
        write_tree(edition, folder / lang)
        token = TOKEN.format(nonce=edition.blocks.nonce)
        for path in (folder / lang).rglob("*.md"):
            text = path.read_text(encoding="utf-8")
            blocks = re.sub(token, lambda m, html=edition.blocks.html: html[m[0]], text)
            found[path.relative_to(folder / lang).as_posix()] = blocks
    return pages


def published(folder: Path) -> Path:
    """A published site, of one page, in a folder of its own."""
    site = folder / "published" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("the published site", encoding="utf-8")
    return site


def left_as_it_was(site: Path) -> bool:
    """The published site holds its one page as it was, and no folder of the build was left beside it."""
    page = [(p.name, p.read_text(encoding="utf-8")) for p in site.iterdir()]
    return page == [("index.html", "the published site")] and [p.name for p in site.parent.iterdir()] == ["site"]


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
MIN_TAP_PX = 44  # the smallest box of a control a reader taps (引用, 纠错, copy, share, a chart's tabs)
PROBES = Path(__file__).with_name("page_probe.js").read_text(encoding="utf-8")


def probe(name: str) -> str:
    """A function Playwright runs in a page: the part `name` of tests/page_probe.js, with its limits filled in."""
    script = re.sub("@([A-Z_]+)@", lambda limit: str(globals()[limit[1]]), PROBES)
    return f"async () => {{\n{script}\nreturn {name}();\n}}"


# What a reader would see wrong on a page, what size each chart's text is drawn at and how its tables are laid out
PAGE_PROBE = probe("PAGE_PROBE")
CHART_TEXT = probe("CHART_TEXT")  # each chart's text: its smallest size, and any drawn outside the chart


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
