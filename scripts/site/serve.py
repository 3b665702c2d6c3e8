"""`make serve`: serve site/ on loopback and rebuild what each saved change affects, keeping the last good site served.

- A data file or a source text: validate again (an invalid package leaves the served site as it was), remake the
  downloads and charts, render every page again and rebuild only the pages whose content changed. Validation runs in
  a process of its own, started with the server, while each edition's downloads and charts are made in a thread of
  its own and its pages are updated in the copy (below) as soon as they are; what reads validation's reports waits
  for them. Nothing served changes until validation has found the files valid, the same files the pages were made
  from; if it finds them invalid, the editions are put back as they were.
- A narrative page (docs/*.md, docs/en/*.md) that already exists: rebuild that page, and its edition's embed pages
  if they changed (each links back to the page that shows its chart first).
  Either way the changes go into a copy of the served site (hard links: only changed files are new), whose downloads
  are checked as a full build checks them; the copy then replaces the served site in one step, and its search index
  holds the same entries, in the same order, as a full build's.
- Anything else (a template, a stylesheet, the mkdocs configuration, a page added or removed, a change of the set of
  pages or files): both editions are rebuilt in this process into a temporary folder that replaces site/ only when
  the whole build succeeded.
- Python code under scripts/: the server restarts itself with the new code, serving the old site until the new one
  is built.
"""

import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import jieba
from mkdocs.commands.build import _build_page
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from scripts.checks.validate import PackageReport
from scripts.data.paths import DATASETS, DOCS, ROOT, SITE, sources_dir
from scripts.site import drawing, loopback, search
from scripts.site.build import build, swap
from scripts.site.download_checks import check_downloads, read_ahead
from scripts.site.editions import (
    Edition,
    editions,
    generated_markdown,
    make_site,
    narrative_readers,
    page_qr_files,
    published_files,
    share_meta,
    source_key,
)
from scripts.site.helpers import helper_started, start_helpers, stop_helpers
from scripts.site.prepare import (
    AwaitingVerdict,
    InvalidData,
    Prepared,
    Unvalidated,
    Validation,
    accept,
    prepare_alongside,
    prepared,
    refuse_invalid,
    validation,
)
from scripts.site.publish import Site
from scripts.site.render import forget_templates, language_prefix
from scripts.site.search import reorder

_making = ThreadPoolExecutor(2, thread_name_prefix="site")  # each edition's Site after a data edit
WATCHED = ("docs", "scripts", "overrides", "mkdocs.yml", "mkdocs.en.yml")  # besides the data and sources folders
Snapshot = dict[str, int]


class NeedsFullBuild(Exception):
    """The change alters which pages or files the site has: only a full build applies it."""


def snapshot() -> Snapshot:
    paths = [DATASETS, sources_dir(), *(ROOT / name for name in WATCHED)]
    files = [p for path in paths if path.exists() for p in (path.rglob("*") if path.is_dir() else [path])]
    return {str(p): p.stat().st_mtime_ns for p in files if p.is_file() and "__pycache__" not in p.parts}


def changed(before: Snapshot, after: Snapshot) -> set[Path]:
    return {Path(p) for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def narrative_page(path: Path) -> tuple[str, str] | None:
    """(language, src_uri) of a hand-written page of an edition, or None for any other file."""
    if path.suffix != ".md" or DOCS not in path.parents:
        return None
    relative = path.relative_to(DOCS)
    if relative.parts[0] == "assets":
        return None
    if relative.parts[0] == "en":
        return "en", relative.relative_to("en").as_posix()
    return "zh", relative.as_posix()


def is_data(path: Path) -> bool:
    return any(folder in path.parents for folder in (DATASETS, sources_dir()))


def _replace(path: Path, content: bytes) -> None:
    """Write a file of the copy as a new file: its hard-linked original in the served site stays as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    os.replace(temporary, path)


def _rebuild(state: Edition, page: Page, root: Path) -> str:
    """Build one page into the copy (mkdocs writes it beside its old file, which it then replaces); its HTML."""
    destination = root / page.file.dest_uri
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".page-")
    os.close(handle)
    page.file.abs_dest_path = temporary
    try:
        _build_page(page, state.config, state.files.documentation_pages(), state.nav, state.theme_env)
        html = Path(temporary).read_text(encoding="utf-8")
        os.replace(temporary, destination)
        return html
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _populate(state: Edition, page: Page, files: Files, edited: bool) -> None:
    """Read a page and render its macros again; convert its Markdown to HTML only when the page was edited or what it
    is converted from changed (mkdocs' own _populate_page, less the conversion of unchanged pages)."""
    config = state.config
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        if not edited and source_key(page) == state.sources.get(page.file.src_uri):
            share_meta(page, state.lang)  # the rest of the page is as it was converted last
            return
        page.render(config, files)
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
    finally:
        config._current_page = None


def _remade(state: Edition, shared: Prepared, validated: bool = True) -> Site:
    """The edition's Site made again from the data, with the same nonce: the same HTML block stays the same token, so
    the pages it did not change stay the same. Made before validation has reported, it holds Unvalidated reports."""
    site = make_site(state.config, state.lang, state.root_url, shared)
    site.blocks.nonce = state.site.blocks.nonce
    if not validated:
        site.validation["reports"] = Unvalidated()
    return site


def _remake_sites(
    checker: ProcessPoolExecutor | None,
) -> tuple[dict[str, "Future[Site]"], Callable[[], list[PackageReport]]]:
    """Each edition's Site, being made again from the edited data, each in a thread of its own (one edition's pages are
    updated while the other's charts are drawn, though vl-convert holds Python's lock for much of a drawing), and what
    waits for validation's report: InvalidData if the data is invalid.

    With a checker, the data is validated in its process meanwhile, and the Sites are made from the same files before
    it has reported (their pages may be updated meanwhile; what reads the reports waits for them). NeedsFullBuild if a
    file changed while it was validated."""
    if checker is None:
        shared = prepared()  # validate first: an invalid package changes nothing
        made = {lang: _making.submit(_remade, state, shared) for lang, state in editions.items()}
        return made, lambda: shared.reports
    verdict = checker.submit(validation, DATASETS, sources_dir())
    try:
        stamp, unchecked = prepare_alongside(DATASETS, sources_dir())
    except Exception:
        refuse_invalid(_result(verdict))  # what made this fail is best told by validation
        raise
    sites = {lang: _making.submit(_remade, state, unchecked, False) for lang, state in editions.items()}

    def reports() -> list[PackageReport]:
        try:
            return accept(stamp, unchecked, _result(verdict)).reports
        except ValueError as error:  # the pages were made from files that are no longer there
            raise NeedsFullBuild(str(error)) from error

    return sites, reports


def _result(verdict: Future[Validation]) -> Validation:
    """The checker's validation; made here instead if its process ended (killed, say)."""
    try:
        return verdict.result()
    except BrokenProcessPool:
        return validation(DATASETS, sources_dir())


def start_checker() -> ProcessPoolExecutor:
    """A process of its own that validates the data (`make serve` builds from it meanwhile), started and made to load
    the checks now, while the first build runs."""
    checker = ProcessPoolExecutor(1, multiprocessing.get_context("spawn"), helper_started, (os.getpid(),))
    checker.submit(validation, DATASETS, sources_dir())
    return checker


def _kept(state: Edition) -> Callable[[], None]:
    """What updating an edition's pages changes in it, and a function that puts all of it back as it is now."""
    site, contents, sources = state.site, dict(state.contents), dict(state.sources)
    index = state.search_index
    entries, keys = list(index.entries), dict(index.page_keys)
    pages = [(file, dict(vars(file)), file.page, dict(vars(file.page))) for file in state.files.documentation_pages()]

    def restore() -> None:
        state.site, state.contents, state.sources = site, contents, sources
        index.entries, index.page_keys = entries, keys
        for file, file_state, page, page_state in pages:
            vars(file).clear()
            vars(file).update(file_state)
            vars(page).clear()
            vars(page).update(page_state)

    return restore


def _update_pages(
    state: Edition,
    root: Path,
    site: Site | None,
    pages: set[str],
    reading: "list[Future[bytes] | None]",
    only: set[str] | None = None,
) -> tuple[int, set[str]]:
    """Rebuild an edition's pages in the copy at root: after a data edit (given the edition's Site made again) those it
    changed, or `only` these; the edited ones in any case. How many were rebuilt, and which read validation's reports
    before they were in (to be updated again once they are). What the download checks will read in each rebuilt page
    is read meanwhile by the helpers (`reading`)."""
    files = state.files
    waiting: set[str] = set()
    if site is not None:
        state.site = site
        generated = {f.src_uri: f for f in files.documentation_pages() if f.generated_by is not None}
        markdown = generated_markdown(state, waiting, only)
        if only is None and markdown.keys() | waiting != generated.keys():
            raise NeedsFullBuild("the set of generated pages changed")
        for src_uri, text in markdown.items():
            generated[src_uri].content_string = text
    plugin = state.config.plugins["material/search"]
    plugin.search_index = state.search_index  # the plugin is shared by both editions: index into this one's
    state.search_index.ahead = True  # new entries are made by helpers; _publish lists them
    rebuilt = 0
    try:
        for file in files.documentation_pages():
            edited = file.src_uri in pages
            remade = site is not None and (only is None or file.src_uri in only)
            if not (edited or remade) or file.src_uri in waiting:
                continue
            before = state.contents.get(file.src_uri)
            try:
                _populate(state, file.page, files, edited)
            except AwaitingVerdict:
                waiting.add(file.src_uri)
                continue
            if edited or state.contents[file.src_uri] != before:
                reading.append(read_ahead(_rebuild(state, file.page, root)))
                rebuilt += 1
    finally:
        state.search_index.ahead = False
    return rebuilt, waiting


def _publish(state: Edition, root: Path, data: bool) -> None:
    """Write the edition's changed downloads, charts and metadata files (after a data edit), then its search index."""
    files = state.files
    if data:
        published = published_files(state) | page_qr_files(state, files)
        generated = {f.src_uri: f for f in files if f.generated_by is not None and not f.is_documentation_page()}
        if published.keys() != generated.keys():
            raise NeedsFullBuild("the set of generated files changed")
        for path, content in published.items():
            if generated[path].content_bytes != content:
                generated[path].content_bytes = content
                _replace(root / generated[path].dest_uri, content)
    reorder(state.search_index, (file.page for file in files.documentation_pages()))
    _replace(root / "search" / "search_index.json", state.search_index.generate_search_index(None).encode())


def _as_made(sites: dict[str, "Future[Site]"]) -> Iterator[tuple[str, Site | None]]:
    """Each edition with its Site made again, as soon as it is made; without Sites, each edition as it is."""
    if not sites:
        yield from ((lang, None) for lang in editions)
        return
    for future in as_completed(sites.values()):
        yield next(lang for lang, made in sites.items() if made is future), future.result()


def _refusal(validated: Callable[[], list[PackageReport]]) -> InvalidData | None:
    try:
        validated()
    except InvalidData as refused:
        return refused
    return None


def update(target: Path, data: bool, pages: list[tuple[str, str]], checker: ProcessPoolExecutor | None = None) -> int:
    """Apply a change of the data or of existing narrative pages to the served site; how many pages were rebuilt.

    After a data edit, each edition's pages are updated as soon as its Site is made, while validation runs; if it then
    finds the data invalid, the editions are put back as they were. Raises InvalidData, NeedsFullBuild, or whatever made
    a page fail: in every case the served site is as it was."""
    if set(editions) != {"zh", "en"} or not target.is_dir():
        raise NeedsFullBuild("no edition has been built in this process yet")
    for lang, src_uri in pages:
        file = editions[lang].files.get_file_from_path(src_uri)
        if file is None or src_uri in editions[lang].generated:
            raise NeedsFullBuild(f"{src_uri} is not a page of the {lang} edition")
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-updating-", dir=target.parent))
    # the copy is made by `cp` while this process reads the data: copying here would also hold up the Sites' threads
    copying = subprocess.Popen(["cp", "--archive", "--link", f"{target}/.", str(staging)])
    try:
        sites, validated = _remake_sites(checker) if data else ({}, list)
        kept = [_kept(state) for state in editions.values()] if sites else []
        if copying.wait() != 0:
            raise RuntimeError(f"could not copy {target} as hard links (cp exited with {copying.returncode})")
        rebuilt, waiting, reading = 0, {}, []
        try:
            for lang, site in _as_made(sites):
                mine = {src_uri for page_lang, src_uri in pages if page_lang == lang}
                root = staging / language_prefix(lang)
                only = None
                if site is None and mine:
                    site, only = editions[lang].site, narrative_readers(editions[lang])
                done, waiting[lang] = _update_pages(editions[lang], root, site, mine, reading, only)
                rebuilt += done
            reports = validated()
        except Exception as error:
            refused = error if isinstance(error, InvalidData) else _refusal(validated)
            if refused is None:
                raise
            for put_back in kept:
                put_back()
            raise refused from None
        for lang, state in editions.items():
            root = staging / language_prefix(lang)
            if lang in sites:
                state.site.validation["reports"] = reports  # what the quality pages show of validation
                if waiting[lang]:
                    rebuilt += _update_pages(state, root, state.site, set(), reading, waiting[lang])[0]
            _publish(state, root, lang in sites)
        for read in filter(None, reading):
            read.result()  # in the build cache, where the check finds it
        problems = check_downloads(staging)
        if problems:
            raise ValueError("\n".join(problems))
        swap(staging, target)
    except InvalidData:
        raise
    except BaseException:
        editions.clear()  # what was half-applied is forgotten: the next change rebuilds the site whole
        raise
    finally:
        copying.wait()
        shutil.rmtree(staging, ignore_errors=True)
    return rebuilt


def apply(paths: set[Path], target: Path, checker: ProcessPoolExecutor | None = None) -> None:
    """Rebuild what a set of changed files affects, as cheaply as gives the same site as a full build."""
    started = time.perf_counter()
    pages = [narrative_page(p) for p in paths if not is_data(p)]
    data = any(is_data(p) for p in paths)
    if all(pages) and all(p.exists() for p in paths):
        try:
            rebuilt = update(target, data, [p for p in pages if p], checker)
            print(f"Updated {rebuilt} page(s) in {time.perf_counter() - started:.2f} s", flush=True)
            return
        except InvalidData as error:
            print(f"{error}\n数据无效，仍提供上一个正确的网站。\nThe data is invalid; the last good site stays served.")
            return
        except NeedsFullBuild:
            pass
        except Exception as error:  # a typo must not stop the server: say what it is, keep the last good site
            print(
                "无法更新，仍提供上一个正确的网站。\n"
                f"The site could not be updated; the last good site stays served.\n{type(error).__name__}: {error}",
                file=sys.stderr,
            )
            return
    print("Change detected; rebuilding both editions …", flush=True)
    forget_templates()  # a template may have changed
    if build(target) != 0:
        editions.clear()  # a build that stopped half-way leaves no edition to update: the next change rebuilds


def restart(address: str, target: Path, checker: ProcessPoolExecutor) -> None:
    print("Code changed; restarting the server with it …", flush=True)
    checker.shutdown(cancel_futures=True)  # the new server starts its own helpers, with the new code
    stop_helpers(wait=True)
    command = [sys.executable, "-m", "scripts", "serve", "--address", address, "--site-dir", str(target)]
    os.execv(sys.executable, command)


class Wakeup(FileSystemEventHandler):
    """Set when the file system reports a change under a watched folder (inotify on Linux): no polling delay."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.event.set()


def watch(wakeup: Wakeup) -> BaseObserver:
    observer = Observer()
    for path in (DATASETS, sources_dir(), *(ROOT / name for name in WATCHED)):
        if path.is_dir():
            observer.schedule(wakeup, str(path), recursive=True)
    observer.schedule(wakeup, str(ROOT), recursive=False)  # the mkdocs configurations
    observer.start()
    return observer


def _quieted(event: threading.Event, quiet: float, settle: float) -> None:
    """Return once the event has not been set for `quiet` seconds, or after `settle` seconds in any case."""
    deadline = time.monotonic() + settle
    while True:
        event.clear()
        left = deadline - time.monotonic()
        if left <= 0 or not event.wait(min(quiet, left)):
            return


def serve(
    address: str = "127.0.0.1:8000", target: Path = SITE, quiet: float = 0.02, settle: float = 1.0, look: float = 2.0
) -> int:
    """Serve the site (the last good one, while a build runs or after one fails) and rebuild on every change.

    The file system wakes the loop as soon as something is saved; it then waits for the rest of the save (an editor
    may write a file in several steps) until the files have been quiet for `quiet` seconds, or for `settle` seconds at
    most, and compares every watched file with what it saw before, which alone decides what changed. It also looks
    every `look` seconds, in case a change was not reported."""
    host, _, port = address.rpartition(":")
    target.mkdir(parents=True, exist_ok=True)
    server = loopback.start(target, host, int(port))
    print(f"Serving {target} on http://{address}/ (Chinese) and http://{address}/en/ (English); Ctrl+C stops.")
    wakeup = Wakeup()
    observer = watch(wakeup)
    seen = snapshot()
    checker = start_checker()
    jieba.initialize()  # once, now: the search entries of an edited page need it, and loading it takes a second
    start_helpers([drawing.warm, search.warm])  # they draw, index and read what an edit changes, beside the pages
    if build(target) != 0:
        editions.clear()
    try:
        while True:
            if wakeup.event.wait(look):
                _quieted(wakeup.event, quiet, settle)  # returns with the event cleared
            now = snapshot()
            paths = changed(seen, now)
            if not paths:
                continue
            seen = now
            if any(p.suffix == ".py" for p in paths):
                observer.stop()
                server.shutdown()
                server.server_close()
                restart(address, target, checker)
            apply(paths, target, checker)
    except KeyboardInterrupt:
        return 0
    finally:
        observer.stop()
        server.shutdown()
        checker.shutdown(wait=False, cancel_futures=True)
        stop_helpers(wait=False)
