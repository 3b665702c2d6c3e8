"""The built site as a reader's phone gets it: a local server, and first visits in Debian's Chromium that weigh all
a page asks for and may run axe-core and a probe script on it. The tests' browser harness and the bench's weights."""

import asyncio
import concurrent.futures
import functools
import gzip
import io
import mimetypes
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scripts.data.paths import ROOT
from scripts.site.loopback import QuietHandler, QuietServer, start
from scripts.site.outputs.address import LOOPBACK_HOSTS

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
# In a survey, every request not to loopback goes to a proxy where nothing listens (Playwright's routing would cost a
# round trip to Python per request); request events still name each one.
OFFLINE_ARGS = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost;[::1]"]
# A visit ends once the page has loaded and no request, a worker's included, has been open for this long (0.2 s and
# 0.4 s missed requests a page starts on a short timer, on a busy machine).
QUIET_SECONDS = 0.5


def compressible(path: Path) -> bool:
    return (mimetypes.guess_type(path.name)[0] or "").startswith(COMPRESSED_TYPES)


@functools.lru_cache(maxsize=4096)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)  # level 6: what nginx and most static hosts use


def transfer_size(path: Path) -> int:
    """Bytes a compressing static server sends for the file: gzip for text, the file itself for images and archives."""
    return len(_gzipped(path, path.stat().st_mtime_ns)) if compressible(path) else path.stat().st_size


@dataclass(frozen=True)
class Sent:
    path: str  # the URL path asked for
    status: int
    bytes: int  # as a compressing static server sends it (transfer_size)


def priced(site: Path, urls: Iterable[str]) -> list[Sent]:
    """What a static server sends for each URL, once each, cached or not: 301 for a folder without its slash, the
    404 page for a missing file."""
    sent, root = [], site.resolve()
    kept = (url for url in urls if not (leaves(url) or url.startswith(("data:", "blob:"))))
    for url_path in dict.fromkeys(unquote(urlsplit(url).path) for url in kept):
        file = (root / url_path.lstrip("/")).resolve()
        if file.is_dir() and url_path.endswith("/"):
            file = file / "index.html"
        if not file.exists() or (file != root and root not in file.parents):
            sent.append(Sent(url_path, 404, transfer_size(root / "404.html")))
        else:
            sent.append(Sent(url_path, 301, 0) if file.is_dir() else Sent(url_path, 200, transfer_size(file)))
    return sent


class GzipHandler(QuietHandler):
    """Sends text gzip-compressed to a client that accepts it, as static hosts do (Lighthouse scores that)."""

    def send_head(self) -> Any:
        file = Path(self.translate_path(self.path))
        file = file / "index.html" if file.is_dir() and urlsplit(self.path).path.endswith("/") else file
        if not (file.is_file() and compressible(file) and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        data = _gzipped(file, file.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


@contextmanager
def serve(site: Path, compress: bool = False) -> Iterator[QuietServer]:
    server = start(site, handler=GzipHandler if compress else QuietHandler)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def page_paths(site: Path) -> list[str]:
    """Every HTML page of a built site as a URL path (the 404 page aside)."""
    return [
        (html.parent.relative_to(site).as_posix() + "/").removeprefix("./") for html in sorted(site.rglob("index.html"))
    ]


def leaves(url: str) -> bool:
    return not url.startswith(("data:", "blob:")) and urlsplit(url).hostname not in LOOPBACK_HOSTS


@dataclass
class Visit:
    path: str
    sent: list[Sent]
    violations: list[dict[str, Any]]
    errors: list[str]  # console errors, page errors, failed requests
    outside: list[str]  # requests that would have left loopback (none left)
    probe: Any  # what the survey's probe script returned on the page
    wider: dict[int, Any]  # what it returned once the window was widened to each of the survey's `widths`
    wide_violations: list[dict[str, Any]]  # axe's findings at the widest of `widths`, on the pages `wide_axe` lists

    @property
    def weight(self) -> int:
        return sum(s.bytes for s in self.sent)

    def fetched(self, fragment: str) -> bool:
        return any(fragment in s.path for s in self.sent)


def axe_script() -> str:
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: run `make node-deps` (npm ci installs the pinned axe-core)")
    return str(AXE)


def new_context(browser: Any) -> Any:
    """A fresh context on a phone (a first visit) with axe-core as an init script (no page's policy applies to it)."""
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(path=axe_script())
    return context


AXE_JS = """async ([selector, tags]) => {
    const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
    const result = await axe.run(selector || document, options);
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary),
    }));
}"""
TRANSITIONS_ENDED = """async () => {
    const transitions = document.getAnimations().filter(animation => animation instanceof CSSTransition);
    await Promise.all(transitions.map(transition => transition.finished.catch(() => null)));
}"""


def run_axe(page: Any, selector: str | None = None) -> list[dict[str, Any]]:
    """axe-core's violations of AXE_TAGS on the page (or in one element)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        raise RuntimeError("axe-core is not in this page: open it in a context from scripts.bench.browser.new_context")
    return page.evaluate(AXE_JS, [selector, AXE_TAGS])


class _Tab:
    """A survey's tab, opening pages in turn and noting for the open one its errors and the URLs it asked for."""

    def __init__(self, page: Any, url: str) -> None:
        self.page, self.url, self.loop = page, url, asyncio.get_running_loop()
        self.errors, self.outside, self.asked = [], [], []  # the open page's errors, URLs that would leave, others
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
        (self.outside if leaves(request.url) else self.asked).append(request.url)
        self.in_flight.add(request)
        self.last = self.loop.time()

    def ended(self, request: Any) -> None:
        self.in_flight.discard(request)
        self.last = self.loop.time()

    def failed(self, request: Any) -> None:
        if not leaves(request.url) and "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"failed: {request.url}")
        self.ended(request)

    async def open(self, path: str) -> None:
        self.errors, self.outside, self.asked = [], [], []
        await self.page.goto(self.url + path, wait_until="load")

        async def settled() -> None:
            while self.in_flight or self.loop.time() - self.last < QUIET_SECONDS:
                await asyncio.sleep(0.02)

        await asyncio.wait_for(settled(), timeout=30)

    async def probe_at(self, width: int, probe: str, *argument: Any) -> Any:
        """The probe's result at `width` px, once the transitions the resize started (the search box) have ended."""
        await self.page.set_viewport_size({"width": width, "height": 900})
        await self.page.evaluate(TRANSITIONS_ENDED)
        return await self.page.evaluate(probe, *argument)


def survey(
    site: Path,
    paths: list[str],
    viewport: dict | None = None,
    axe: bool | Collection[str] = False,
    probe: str | None = None,
    concurrency: int = 3,
    server: QuietServer | None = None,
    init_script: str | None = None,
    probe_argument: Any = None,
    widths: Collection[int] = (),
    wide_axe: Collection[str] = (),
) -> dict[str, Visit]:
    """A first visit to each page (a phone unless `viewport` says otherwise) by `concurrency` tabs: its errors (a
    dialog counts), requests that would leave, axe's findings (on every page, or those `axe` lists), and what `probe`
    (of `probe_argument(path)` when given) returns once the page is idle, and again at each of `widths` (where axe
    checks the pages `wide_axe` lists once more, at the widest)."""
    from playwright.async_api import async_playwright

    script = axe_script() if axe or wide_axe else None

    async def tab(browser: Any, url: str, share: list[str]) -> list[Visit]:
        context = await browser.new_context(viewport=viewport or PHONE)
        if script:
            await context.add_init_script(path=script)
        if init_script:
            await context.add_init_script(init_script)
        visits = []
        try:
            opened = _Tab(await context.new_page(), url)
            for path in share:
                await opened.page.set_viewport_size(viewport or PHONE)  # as wide as a first visit's, after `widths`
                await opened.open(path)
                sent = priced(site, opened.asked)
                checked = axe is True or (axe and path in axe)
                violations = await opened.page.evaluate(AXE_JS, [None, AXE_TAGS]) if checked else []
                argument = () if probe_argument is None else (probe_argument(path),)
                result = await opened.page.evaluate(probe, *argument) if probe else None
                wider = {width: await opened.probe_at(width, probe, *argument) for width in widths}
                wide = await opened.page.evaluate(AXE_JS, [None, AXE_TAGS]) if path in wide_axe else []
                visits.append(Visit(path, sent, violations, opened.errors, opened.outside, result, wider, wide))
        finally:
            await context.close()
        return visits

    async def visit_all(url: str) -> dict[str, Visit]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + OFFLINE_ARGS)
            try:
                shares = await asyncio.gather(*(tab(browser, url, paths[k::concurrency]) for k in range(concurrency)))
            finally:
                await browser.close()
        by_path = {visit.path: visit for visits in shares for visit in visits}
        return {path: by_path[path] for path in paths}

    with nullcontext(server) if server else serve(site) as log, concurrent.futures.ThreadPoolExecutor(1) as thread:
        # a thread of its own: the caller may be driving Playwright's synchronous API in this one
        return thread.submit(asyncio.run, visit_all(log.url)).result()
