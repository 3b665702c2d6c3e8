import csv
import fcntl
import io
import os
import pickle
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scripts.data.paths import DATASETS, ROOT, sources_dir

PACKAGE = "huaibei-dakeshi-reform"
REAL_SOURCE = "hbnews-2025-04-18-dakeshi"  # the report the real package cites (its text: SOURCES_DIR)
FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_DATASETS, FIXTURE_SOURCES = FIXTURES / "datasets", FIXTURES / "sources"
FIXTURE = "fixture-reform"  # fictional, for tests only (tests/fixtures/README.md)
PUBLISHED = "https://huaibei-reform-data.example/"  # the address the run's site is built for (.example: reserved)
# tests/test_<name>.py that still edit literal rows of the real data; every other module's workspace is the fixture's
ON_REAL_DATA = {"build", "serve", "share"}


class Workspace:
    """A copy of a data package that a test may break (the fixture's, or with real=True the real data)."""

    def __init__(self, root: Path, real: bool = False) -> None:
        self.datasets = root / "datasets"
        shutil.copytree(DATASETS if real else FIXTURE_DATASETS, self.datasets)
        self.package = self.datasets / (PACKAGE if real else FIXTURE)
        self.sources = sources_dir() if real else FIXTURE_SOURCES

    def table(self, name: str) -> Path:
        return self.package / "data" / f"{name}.csv"

    def replace(self, name: str, old: str, new: str, count: int = 1) -> None:
        path = self.table(name)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}.csv"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def _lines(self, name: str) -> tuple[list[str], list[str]]:
        """The file's lines (one record each) and the keys of its rows (their first cell), header first."""
        lines = self.table(name).read_text(encoding="utf-8").splitlines(keepends=True)
        return lines, [cells[0] if cells else "" for cells in csv.reader(lines)]

    def row(self, name: str, key: str) -> int:
        """The row number validation gives the row whose first cell is key (the header is row 1)."""
        keys = self._lines(name)[1]
        assert key in keys, f"no row {key!r} in {name}.csv"
        return keys.index(key) + 1

    def get(self, name: str, key: str, field: str) -> str:
        with self.table(name).open(encoding="utf-8", newline="") as file:
            return next(row[field] for row in csv.DictReader(file) if next(iter(row.values())) == key)

    def edit_line(self, name: str, key: str, change: Callable[[str], str | None]) -> None:
        """Change one row's line (key: its first cell), or remove it if change gives None; the rest kept as it was."""
        lines, keys = self._lines(name)
        number = keys.index(key)
        ending = lines[number][len(lines[number].rstrip("\r\n")) :]
        changed = change(lines[number].rstrip("\r\n"))
        lines[number] = "" if changed is None else changed + ending
        self.table(name).write_text("".join(lines), encoding="utf-8", newline="")

    def set(self, name: str, key: str, field: str, value: str) -> None:
        header = next(csv.reader(self._lines(name)[0][:1]))

        def change(line: str) -> str:
            cells = next(csv.reader([line]))
            cells[header.index(field)] = value
            out = io.StringIO()
            csv.writer(out, lineterminator="").writerow(cells)
            return out.getvalue()

        self.edit_line(name, key, change)

    def validate(self, sources: Path | None = None) -> subprocess.CompletedProcess[str]:
        """`python -m scripts validate` on the copy, run in this process."""
        from tests.site_support import run_scripts

        return run_scripts(["validate", "--datasets", str(self.datasets), "--sources", str(sources or self.sources)])


@pytest.fixture
def workspace(tmp_path: Path, request: pytest.FixtureRequest) -> Workspace:
    return Workspace(tmp_path, real=request.path.stem.removeprefix("test_") in ON_REAL_DATA)


def archived(path: Path) -> Path:
    """An archived source text the tests read; without it they fail, saying how to get it (never skip)."""
    if not path.is_file():
        pytest.fail(
            f"the archived source text {path} is missing: copy the archived texts folder to ../shared/sources beside "
            "the repository, or point SOURCES_DIR at the folder that holds it (`make sources` lists what is missing)",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def archived_source() -> Path:
    return archived(sources_dir() / f"{REAL_SOURCE}.txt")


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory):
    """The site built once per run for publishing at PUBLISHED, and the loopback address a server process of the run
    serves it from."""
    from tests.site_support import build_afresh

    def compute() -> list[str]:
        site = _run_folder(tmp_path_factory) / "served" / "site"
        run = os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()  # the run's main process
        server = subprocess.Popen(
            [sys.executable, "-m", "tests.serve_for_run", str(site), str(run)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,  # not stopped with the worker that started it
        )
        url = server.stdout.readline().strip() if server.stdout else ""
        assert url.startswith("http://127.0.0.1:"), "the site's server did not start"
        # from an empty build cache of its own, which test_reproducible.py builds it again from
        cache = str(site.parent / "cache")
        result = build_afresh(site, SITE_URL=PUBLISHED, TZ="UTC", PYTHONHASHSEED="1", BUILD_CACHE_DIR=cache)
        assert result.returncode == 0, result.stdout + result.stderr
        return [str(site), url]

    site, url = once_per_run(tmp_path_factory, "served-site", compute)
    return Path(site), url


def _run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.getbasetemp()  # with xdist, the run's folder is the one its workers' folders are in
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


@pytest.fixture(scope="session")
def built_site(served_site: tuple[Path, str]) -> Path:
    return served_site[0]


@pytest.fixture(scope="session")
def site_url(served_site: tuple[Path, str]) -> str:
    """Where the run's server serves the site (its pages hold PUBLISHED: published_url)."""
    return served_site[1]


@pytest.fixture(scope="session")
def published_url() -> str:
    return PUBLISHED


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> dict[str, str]:
    """The HTML of every page of the built site, by its path."""
    from scripts.bench.browser import page_paths

    return {path: (built_site / path / "index.html").read_text(encoding="utf-8") for path in page_paths(built_site)}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from scripts.bench.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page on a phone, with axe-core, that records the URLs it asks for, its errors (policy violations
    included) and the requests that would have left loopback (refused)."""
    from scripts.bench.browser import leaves, new_context

    context = new_context(browser)
    page = context.new_page()
    page.requests, page.outside, page.errors = [], [], []

    def route(route) -> None:
        if leaves(route.request.url):
            page.outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", route)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => console.error(e.blockedURI))")
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and page.errors.append(f"lost {r.url}"))
    yield page
    context.close()


@pytest.fixture(scope="session")
def site_server(built_site: Path):
    from scripts.bench.browser import serve

    with serve(built_site) as server:
        yield server


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, compute: Callable[[], Any]) -> Any:
    """A session value computed once for the whole run: with xdist, the first worker computes it under a lock and
    the others read what it stored."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return compute()
    root = _run_folder(tmp_path_factory)
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stored = root / f"{name}.pickle"
        if not stored.is_file():
            stored.write_bytes(pickle.dumps(compute()))
        return pickle.loads(stored.read_bytes())


WIDER = (768, 1280)  # a tablet's and a laptop's window, probed in the same visit as the phone's
DESKTOP_AXE = ["", "slimming/", "departments/", f"data/{PACKAGE}/observations/", "en/", "en/methods/"]


@pytest.fixture(scope="session")
def first_visits(site_server, built_site: Path, tmp_path_factory: pytest.TempPathFactory):
    """The pages of page_sample opened once on a phone as on a first visit (several at a time): its download log, its
    errors and requests that would leave loopback, what PAGE_PROBE found at 360 px and at each of WIDER, and on the
    pages of axe_sample axe-core's findings (at 1280 px too on those of DESKTOP_AXE)."""
    from scripts.bench.browser import page_paths, survey
    from tests.site_support import PAGE_PROBE

    def compute() -> dict:
        paths = page_paths(built_site)
        axe = axe_sample(built_site, paths)
        sample = page_sample(built_site, paths)
        return survey(
            built_site, sample, axe=axe, probe=PAGE_PROBE, server=site_server, widths=WIDER, wide_axe=DESKTOP_AXE
        )

    return once_per_run(tmp_path_factory, "first-visits", compute)


def families(paths: list[str]) -> list[list[str]]:
    """Pages made from one template, in either edition: those in one folder (figures/*, en/departments/* …), which
    differ only in their rows; a page of its own is a family of one."""
    found: dict[str, list[str]] = {}
    for path in paths:
        parts = path.removeprefix("en/").strip("/").split("/")
        found.setdefault(path[: -len(parts[-1]) - 1] + "*" if len(parts) > 1 else path, []).append(path)
    return list(found.values())


def axe_sample(site: Path, paths: list[str]) -> set[str]:
    """The pages axe-core checks: of each family the largest, whose template is filled most (its others differ only
    in fewer rows); axe takes about a second of a core a page, twice what a visit takes."""
    size = {path: (site / path / "index.html").stat().st_size for path in paths}
    return {max(family, key=size.get) for family in families(paths)}


def page_sample(site: Path, paths: list[str]) -> list[str]:
    """The pages the browser survey visits: every page of its own, and of each family of pages the largest (the
    heaviest first visit and the longest lists) and the one with the longest title (the name most likely to overflow a
    phone); a family of three or fewer whole. A visit costs about half a second of a core, and the site has about 200
    pages; test_site_browser.py checks every page's links and the files it loads from its markup."""
    title = {path: len(TITLE.search((site / path / "index.html").read_text(encoding="utf-8"))[1]) for path in paths}
    chosen = axe_sample(site, paths)
    chosen |= {max(family, key=title.get) for family in families(paths)}
    chosen |= {path for family in families(paths) if len(family) <= 3 for path in family}
    return [path for path in paths if path in chosen]


TITLE = re.compile(r"<title>(.*?)</title>", re.S)


# The longest test files first (each runs on one worker, `make test` starts three): the run then ends on short
# files rather than with one worker idle while another finishes a long one. The first needs the survey of every page.
LONGEST_FIRST = (
    "test_accessibility.py",
    "test_validation_errors.py",
    "test_hostile_inputs.py",
    "test_serve.py",
    "test_maintain.py",
    "test_phone.py",
    "test_build.py",
    "test_site_browser.py",
    "test_reproducible.py",
    "test_share.py",
    "test_synthetic.py",
    "test_restated_import.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
