"""Build the site into a temporary folder, serve it on loopback and open it in Debian's Chromium."""

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from scripts.data.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def build_site(site_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scripts", "build", "--site-dir", str(site_dir)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, **env))


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def page_paths(site_dir: Path) -> list[str]:
    """Every HTML page of the site as a URL path, the 404 page aside."""
    paths = []
    for html in sorted(site_dir.rglob("index.html")):
        relative = html.parent.relative_to(site_dir).as_posix()
        paths.append("" if relative == "." else relative + "/")
    return paths


# Run in every page of the built site once it is idle (scripts.bench.browser.survey): what a reader would see wrong.
PAGE_PROBE = """() => {
    const problems = [];
    for (const chart of document.querySelectorAll("figure.chart")) {
        const svg = chart.querySelector(".chart__static svg");
        const box = svg ? svg.getBoundingClientRect() : null;
        const marks = svg ? svg.querySelectorAll("g.role-mark").length : 0;
        if (!box || box.width < 200 || box.height < 60 || marks === 0) {
            const size = box ? `${box.width}x${box.height}` : "no svg";
            problems.push(`chart ${chart.id} not drawn: ${size}, ${marks} marks`);
        }
        const summary = chart.querySelector(".chart__summary");
        if (!summary || !summary.innerText.trim()) problems.push(`chart ${chart.id} without summary`);
    }
    return {problems};
}"""


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
