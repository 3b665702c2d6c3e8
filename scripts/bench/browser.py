"""The built site as a reader's phone gets it: a local server that logs every byte it sends, and first visits in
Debian's Chromium that measure a page's weight and run axe-core's WCAG rules on it.

Used by the tests (budgets) and by `python -m scripts bench` (figures for the README). Playwright is a development
dependency, imported only when a browser is started.
"""

import asyncio
import concurrent.futures
import functools
import gzip
import mimetypes
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scripts.data.paths import ROOT
from scripts.site.loopback import QuietServer

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
PHONE = {"width": 360, "height": 740}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, as GB/T 37668-2019 asks; and WCAG 2.2 AA and axe's best practices, which Lighthouse checks too
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WEIGHT_BUDGET = 200 * 1024  # bytes a first visit to any page may download, gzip-compressed
VEGA = "vega-bundle"  # the interactive-chart engine, fetched only when a reader asks for an interactive chart
COMPRESSED_TYPES = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")
GZIP_LEVEL = 6  # what nginx, GitHub Pages and most static hosts use


def content_type(path: Path) -> str:
    overrides = {".js": "text/javascript", ".json": "application/json", ".xml": "application/xml"}
    return overrides.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def compressible(kind: str) -> bool:
    return kind.startswith(COMPRESSED_TYPES)


@functools.lru_cache(maxsize=4096)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)


def transfer_size(path: Path) -> int:
    """Bytes a compressing static server sends for the file: gzip for text, the file itself for images and archives."""
    if compressible(content_type(path)):
        return len(_gzipped(path, path.stat().st_mtime_ns))
    return path.stat().st_size


VISIT_HEADER = "X-Visit"  # which first visit a request belongs to, when several pages are opened at once


@dataclass(frozen=True)
class Sent:
    path: str  # the URL path asked for
    status: int
    bytes: int  # as sent over the wire, compressed when the client accepts gzip
    visit: str = ""  # the X-Visit header of the request: the page whose first visit asked for it


class _Handler(BaseHTTPRequestHandler):
    server: "SiteServer"

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _respond(self, body: bool) -> None:
        url_path, visit = unquote(urlsplit(self.path).path), self.headers.get(VISIT_HEADER, "")
        status, file = self.server.answer(url_path)
        self.send_response(status)
        if status == 301:
            self.send_header("Location", url_path + "/")
            data, kind, gzipped = b"", "", False
        else:
            kind = content_type(file)
            gzipped = self.server.compress and compressible(kind) and "gzip" in self.headers.get("Accept-Encoding", "")
            data = _gzipped(file, file.stat().st_mtime_ns) if gzipped else file.read_bytes()
            self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
            self.send_header("Cache-Control", "max-age=31536000" if "/assets/" in url_path else "no-cache")
        self.send_header("Content-Length", str(len(data)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if body:
            self.wfile.write(data)
        self.server.record(self.server.priced(url_path, visit))

    def log_message(self, format: str, *args: object) -> None:
        pass


class SiteServer(QuietServer):
    """A static server of a built site on loopback, which remembers what it sent (for weights)."""

    def __init__(self, root: Path, compress: bool) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root, self.compress = root.resolve(), compress
        self._sent: list[Sent] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def answer(self, url_path: str) -> tuple[int, Path]:
        """The status and the file the server sends for a URL path (a folder without its slash: 301, redirected)."""
        file = (self.root / url_path.lstrip("/")).resolve()
        if file.is_dir() and url_path.endswith("/"):
            file = file / "index.html"
        if not file.exists() or (file != self.root and self.root not in file.parents):
            return 404, self.root / "404.html"
        return (301 if file.is_dir() else 200), file

    def priced(self, url_path: str, visit: str) -> Sent:
        """What the server would send for a URL path, as it records what it sends: a file a browser took from its
        cache is priced as the download a first visit makes of it."""
        status, file = self.answer(url_path)
        return Sent(url_path, status, 0 if status == 301 else transfer_size(file), visit)

    def record(self, sent: Sent) -> None:
        with self._lock:
            self._sent.append(sent)

    def take(self, visit: str | None = None) -> list[Sent]:
        """What was sent since the last call (for one visit only, when given: the rest is kept)."""
        with self._lock:
            taken = [s for s in self._sent if visit is None or s.visit == visit]
            self._sent = [s for s in self._sent if visit is not None and s.visit != visit]
        return taken


@contextmanager
def serve(site: Path, compress: bool = False) -> Iterator[SiteServer]:
    server = SiteServer(site, compress)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def page_paths(site: Path) -> list[str]:
    """Every HTML page of a built site as a URL path (the 404 page aside)."""
    paths = []
    for html in sorted(site.rglob("index.html")):
        relative = html.parent.relative_to(site).as_posix()
        paths.append("" if relative == "." else relative + "/")
    return paths


@dataclass
class Visit:
    """A first visit to one page: what it downloaded, and what axe-core found."""

    path: str
    sent: list[Sent]
    violations: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors, page errors, failed requests
    outside: list[str] = field(default_factory=list)  # requests that would have left loopback (none left)
    probe: Any = None  # what the survey's probe script returned on the page

    @property
    def weight(self) -> int:
        return sum(s.bytes for s in self.sent)

    def fetched(self, fragment: str) -> bool:
        return any(fragment in s.path for s in self.sent)


def new_context(browser: Any) -> Any:
    """A fresh browser context on a phone (empty cache: a first visit) in which every page carries axe-core. It is
    added as an init script, which the pages' Content-Security-Policy does not apply to and which downloads nothing."""
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(path=axe_script())
    return context


def axe_script() -> str:
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: run `make node-deps` (npm ci installs the pinned axe-core)")
    return str(AXE)


def first_visit(browser: Any, server: SiteServer, path: str) -> Visit:
    """Open a page in a fresh browser context (empty cache, as on a reader's first visit) and wait until the network
    is idle: everything it downloaded then, its search index and the workers' scripts included, is its weight."""
    context = new_context(browser)
    try:
        page = context.new_page()
        server.take()
        page.goto(server.url + path, wait_until="networkidle")
        page.wait_for_timeout(250)  # a request a worker starts late still counts
        return Visit(path, server.take())
    finally:
        context.close()


AXE_JS = """async ([selector, tags]) => {
    const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
    const result = await axe.run(selector || document, options);
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary),
    }));
}"""


def run_axe(page: Any, selector: str | None = None) -> list[dict[str, Any]]:
    """axe-core's violations of AXE_TAGS on the page (or in one element), each with the elements it names."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        raise RuntimeError("axe-core is not in this page: open it in a context from scripts.bench.browser.new_context")
    return page.evaluate(AXE_JS, [selector, AXE_TAGS])


LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
# In a survey, Chromium sends every request not to loopback to a proxy where nothing listens, so none leaves the
# machine; request events still name each one. (Intercepting every request with Playwright's routing instead costs
# a round trip to Python per request, about a third of a survey's time.)
OFFLINE_ARGS = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost;[::1]"]
# A survey's visit ends once the page has loaded and no request, a worker's included, has been open for this long:
# long enough for a request that a page starts on a short timer, on a busy machine (full test runs missed one that
# came 150 ms after an earlier one, at 0.2 s and at 0.4 s), as Playwright's "networkidle" waits.
QUIET_SECONDS = 0.5


def leaves(url: str) -> bool:
    """Whether a request for the URL would leave the machine."""
    return not url.startswith(("data:", "blob:")) and urlsplit(url).hostname not in LOOPBACK


class _Tab:
    """One tab of a survey: it opens pages one after another and notes, for the page open, its errors, the requests
    that would leave loopback, the URL paths on loopback it asked for (from the server or the cache), and whether a
    request is still open."""

    def __init__(self, page: Any, url: str) -> None:
        self.page, self.url, self.loop = page, url, asyncio.get_running_loop()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.asked: list[str] = []
        self.in_flight: set[Any] = set()
        self.last = self.loop.time()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self.console)
        page.on("dialog", self.dialog)
        page.on("request", self.started)
        page.on("requestfinished", self.ended)
        page.on("requestfailed", self.failed)

    def console(self, message: Any) -> None:
        # a request that would have left is among `outside`; its failure to load is not an error of the page
        if message.type == "error" and not leaves(message.location.get("url") or self.url):
            self.errors.append(message.text)

    async def dialog(self, opened: Any) -> None:
        self.errors.append(f"dialog: {opened.message}")
        await opened.dismiss()

    def started(self, request: Any) -> None:
        if leaves(request.url):
            self.outside.append(request.url)
        elif not request.url.startswith(("data:", "blob:")):
            self.asked.append(unquote(urlsplit(request.url).path))
        self.in_flight.add(request)
        self.last = self.loop.time()

    def ended(self, request: Any) -> None:
        self.in_flight.discard(request)
        self.last = self.loop.time()

    def failed(self, request: Any) -> None:
        if not leaves(request.url) and "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"failed: {request.url}")
        self.ended(request)

    async def open(self, path: str, tag: str) -> None:
        self.errors.clear()
        self.outside.clear()
        self.asked.clear()
        await self.page.set_extra_http_headers({VISIT_HEADER: tag})
        await self.page.goto(self.url + path, wait_until="load")

        async def settled() -> None:
            while self.in_flight or self.loop.time() - self.last < QUIET_SECONDS:
                await asyncio.sleep(0.02)

        await asyncio.wait_for(settled(), timeout=30)

    def sent(self, log: SiteServer, tag: str) -> list[Sent]:
        """What the open page asked for: as sent, or priced as the server would have sent it, when taken from cache."""
        sent = log.take(tag)
        served = {s.path for s in sent}
        return sent + [log.priced(path, tag) for path in dict.fromkeys(self.asked) if path not in served]


def survey(
    site: Path,
    paths: list[str],
    viewport: dict | None = None,
    axe: bool | Collection[str] = False,
    probe: str | None = None,
    concurrency: int = 3,
    server: SiteServer | None = None,
    init_script: str | None = None,
    probe_argument: Any = None,
) -> dict[str, Visit]:
    """A first visit to each page, as first_visit makes it but ended once no request has been open for QUIET_SECONDS,
    with its console and page errors (a dialog it opens is dismissed and counted), the requests that would have left
    loopback (sent to a proxy that is not there), axe's findings (on every page, or on those `axe` lists), and what a
    probe script (a JavaScript function, of `probe_argument(path)` when given) returns once the page is idle, after an
    optional init script.

    `concurrency` tabs share the pages, each opening them one after another and keeping its cache (a context per page
    costs a renderer and every script compiled again): what a visit takes from the cache is priced as the server would
    have sent it, so a visit's `sent` is everything its page asks for, once each (the X-Visit header tells whose)."""
    from playwright.async_api import async_playwright

    script = axe_script() if axe else None

    async def tab(browser: Any, log: SiteServer, share: list[tuple[int, str]]) -> list[Visit]:
        context = await browser.new_context(viewport=viewport or PHONE)
        if script:
            await context.add_init_script(path=script)
        if init_script:
            await context.add_init_script(init_script)
        visits = []
        try:
            opened = _Tab(await context.new_page(), log.url)
            for number, path in share:
                await opened.open(path, tag := f"visit-{number}")
                sent = opened.sent(log, tag)
                checked = axe is True or (axe and path in axe)
                violations = await opened.page.evaluate(AXE_JS, [None, AXE_TAGS]) if checked else []
                argument = () if probe_argument is None else (probe_argument(path),)
                result = await opened.page.evaluate(probe, *argument) if probe else None
                visits.append(Visit(path, sent, violations, list(opened.errors), list(opened.outside), result))
        finally:
            await context.close()
        return visits

    async def visit_all(log: SiteServer) -> dict[str, Visit]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + OFFLINE_ARGS)
            try:
                shares = [list(enumerate(paths))[k::concurrency] for k in range(concurrency)]
                found = [v for visits in await asyncio.gather(*(tab(browser, log, s) for s in shares)) for v in visits]
            finally:
                await browser.close()
        by_path = {visit.path: visit for visit in found}
        return {path: by_path[path] for path in paths}

    with nullcontext(server) if server else serve(site) as log, concurrent.futures.ThreadPoolExecutor(1) as thread:
        # a thread of its own: the caller may be driving Playwright's synchronous API in this one
        return thread.submit(asyncio.run, visit_all(log)).result()
