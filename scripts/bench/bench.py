"""`python -m scripts bench`: how heavy, fast and accessible the site is, and how its build scales with the data.

Builds the real site and measures a first visit to every page (gzip-compressed bytes, as scripts/bench/browser.py counts
them) and Lighthouse 12's mobile scores of the home page and the heaviest chart page; then builds synthetic sites
10× and 100× the real size (scripts/bench/synthetic.py, in a temporary folder) and measures build time, peak memory and
the weight of their heaviest pages. Prints a table, writes it into README.md between the bench markers, and exits
non-zero when a target is missed. Everything is built into temporary folders; site/ is never touched.
"""

import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from scripts.bench.browser import VEGA, WEIGHT_BUDGET, Visit, chromium, first_visit, page_paths, serve, transfer_size
from scripts.bench.synthetic import generate
from scripts.data.paths import DATASETS, ROOT, sources_dir

FACTORS = (1, 10, 100)
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_CHROME = "/usr/lib/chromium/chromium"  # the binary itself: Debian's /usr/bin/chromium is a wrapper script
LIGHTHOUSE_RUNS = 3  # the median of three runs, as Lighthouse's own docs advise for variable scores
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MIN_SCORES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
MAX_BUILD_SECONDS = {100: 60.0}  # the 100× site builds in under a minute on 2 cores
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SAMPLE_PAGES = ("", "departments/", "en/departments/", "slimming/", "methods/", "course/")


@dataclass
class Build:
    factor: int
    rows: int
    seconds: float
    peak_mib: float
    cpu_seconds: float = 0.0  # user and system time of every process of the build: the same on a busy machine
    pages: int = 0
    search_index: int = 0  # gzip-compressed bytes of the Chinese edition's search index
    weights: dict[str, int] = field(default_factory=dict)  # page → first-visit bytes

    @property
    def heaviest(self) -> tuple[str, int]:
        return max(self.weights.items(), key=lambda item: item[1], default=("", 0))


def timed_build(site: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall-clock seconds, peak resident memory (MiB, of the largest process) and CPU seconds of
    `python -m scripts build`."""
    command = [sys.executable, "-m", "scripts", "build", "--site-dir", str(site)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)  # the rusage of the build and every process it waited for
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"the build of {site} failed:\n{errors}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def _rows(datasets: Path) -> int:
    total = 0
    for table in datasets.glob("*/data/*.csv"):
        with table.open(encoding="utf-8-sig", newline="") as file:
            total += sum(1 for _ in csv.reader(file)) - 1
    return total


def weigh(browser: object, site: Path, paths: list[str]) -> dict[str, int]:
    visits: dict[str, Visit] = {}
    with serve(site) as server:
        for path in paths:
            visits[path] = first_visit(browser, server, path)
    fetched_vega = [p for p, v in visits.items() if v.fetched(VEGA)]
    if fetched_vega:
        raise RuntimeError(f"pages fetched the Vega engine on load: {fetched_vega}")
    return {p: v.weight for p, v in visits.items()}


def sample_pages(site: Path) -> list[str]:
    """The pages most likely to be heaviest in a large site: the fixed ones and the largest HTML of each edition."""
    paths = set(page_paths(site))
    largest = sorted(paths, key=lambda p: -transfer_size(site / p / "index.html"))[:4]
    return sorted({p for p in SAMPLE_PAGES if p in paths} | set(largest))


def lighthouse(url: str) -> dict[str, int]:
    """Lighthouse's mobile scores (0-100) for a page, the median of LIGHTHOUSE_RUNS runs."""
    runs: list[dict[str, float]] = []
    for _ in range(LIGHTHOUSE_RUNS):
        result = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                "--output-path=stdout",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            capture_output=True,
            text=True,
            env=dict(os.environ, CHROME_PATH=LIGHTHOUSE_CHROME),
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"lighthouse {url} failed:\n{result.stderr[-2000:]}")
        report = json.loads(result.stdout)
        runs.append({c: report["categories"][c]["score"] for c in CATEGORIES})
    return {c: round(100 * statistics.median(run[c] for run in runs)) for c in CATEGORIES}


def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


@dataclass
class Results:
    builds: list[Build]
    scores: dict[str, dict[str, int]]  # page → category → score
    chart_page: str
    commit: str
    machine: str

    def misses(self) -> list[str]:
        problems = []
        for build in self.builds:
            page, weight = build.heaviest
            if weight > WEIGHT_BUDGET:
                problems.append(f"{build.factor}×: /{page} downloads {kib(weight)} (budget {kib(WEIGHT_BUDGET)})")
            limit = MAX_BUILD_SECONDS.get(build.factor)
            if limit and build.seconds >= limit:
                problems.append(f"{build.factor}×: the build took {build.seconds:.1f} s (target < {limit:.0f} s)")
        for smaller, larger in zip(self.builds, self.builds[1:], strict=False):
            if larger.seconds / smaller.seconds > larger.rows / smaller.rows:
                problems.append(f"the build time grew faster than the data from {smaller.factor}× to {larger.factor}×")
        for page, scores in self.scores.items():
            for category, minimum in MIN_SCORES.items():
                if scores[category] < minimum:
                    problems.append(f"Lighthouse {category} of /{page} is {scores[category]} (target ≥ {minimum})")
        return problems


def markdown(results: Results) -> str:
    real = results.builds[0]
    weights = sorted(real.weights.values())
    lines = [
        f"Measured by `make bench` at commit `{results.commit}` on {results.machine}. Weights are what a first",
        "visit downloads, gzip-compressed (HTML, CSS, JS, fonts, images, sitemaps, search index), in Chromium on a",
        f"phone screen; the budget is {kib(WEIGHT_BUDGET)} per page. Lighthouse 12, mobile, median of",
        f"{LIGHTHOUSE_RUNS} runs, served with gzip as a static host would.",
        "",
        "| page | first-visit weight | performance | accessibility | best practices | SEO |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page, scores in results.scores.items():
        label = "home page" if page == "" else f"heaviest chart page (`/{page}`)"
        lines.append(
            f"| {label} | {kib(real.weights[page])} | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |"
        )
    heaviest_page, heaviest = real.heaviest
    lines += [
        "",
        f"All {len(weights)} pages: median {kib(statistics.median(weights))}, heaviest {kib(heaviest)} "
        f"(`/{heaviest_page}`); no page fetches the Vega engine before a reader asks for an interactive chart.",
        "",
        "Build from scratch (validation, both editions, charts, downloads) of the real data and of synthetic data",
        "10× and 100× its size (more departments, periods and sources; generated in a temporary folder, never",
        "published). Peak memory is the resident size of the largest process of the build; CPU time adds up all",
        "its processes (it does not change when other work slows the machine down; the build time does).",
        "",
        "| data | rows | pages | build time | CPU time | peak memory | search index | heaviest first visit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for build in results.builds:
        page, weight = build.heaviest
        lines.append(
            f"| {'real' if build.factor == 1 else f'{build.factor}× synthetic'} | {build.rows:,} | {build.pages:,} | "
            f"{build.seconds:.1f} s | {build.cpu_seconds:.1f} s | {build.peak_mib:.0f} MiB | "
            f"{kib(build.search_index)} | {kib(weight)} (`/{page}`) |"
        )
    growth = [
        f"from {a.factor}× to {b.factor}× the data grew {b.rows / a.rows:.1f}×, "
        f"the build time {b.seconds / a.seconds:.1f}× and the peak memory {b.peak_mib / a.peak_mib:.2f}×"
        for a, b in zip(results.builds, results.builds[1:], strict=False)
    ]
    if growth:
        lines += ["", "Cost grows no faster than the data: " + "; ".join(growth) + "."]
    misses = results.misses()
    lines += ["", "Every target is met." if not misses else "Missed: " + "; ".join(misses) + "."]
    return "\n".join(lines)


def write_readme(text: str, readme: Path = README) -> None:
    content = readme.read_text(encoding="utf-8")
    if START not in content or END not in content:
        raise RuntimeError(f"{readme} has no {START} … {END} section for the figures")
    head, rest = content.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def _commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def _machine() -> str:
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.machine()}"


def bench(write: bool = True, factors: tuple[int, ...] = FACTORS) -> int:
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `npm ci` (make bench does)", file=sys.stderr)
        return 1
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    builds: list[Build] = []
    scores: dict[str, dict[str, int]] = {}
    chart_page = ""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, chromium() as browser:
        for factor in factors:
            folder = Path(tmp) / f"x{factor}"
            if factor == 1:
                datasets, run_env = DATASETS, env
            else:
                data = generate(factor, folder / "data", DATASETS, sources_dir())
                datasets = data.datasets
                run_env = dict(env, DATASETS_DIR=str(data.datasets), SOURCES_DIR=str(data.sources))
            site = folder / "site"
            print(f"building the {'real' if factor == 1 else f'{factor}× synthetic'} site …", file=sys.stderr)
            seconds, peak, cpu = timed_build(site, run_env)
            paths = page_paths(site)
            build = Build(factor, _rows(datasets), seconds, peak, cpu, len(paths))
            build.search_index = transfer_size(site / "search" / "search_index.json")
            build.weights = weigh(browser, site, paths if factor == 1 else sample_pages(site))
            builds.append(build)
            if factor == 1:
                charts = [p for p in paths if 'class="chart"' in (site / p / "index.html").read_text(encoding="utf-8")]
                chart_page = max(charts, key=lambda p: build.weights[p])
                with serve(site, compress=True) as server:
                    for page in ("", chart_page):
                        print(f"Lighthouse on /{page} …", file=sys.stderr)
                        scores[page] = lighthouse(server.url + page)
    results = Results(builds, scores, chart_page, _commit(), _machine())
    text = markdown(results)
    print(text)
    if write:
        write_readme(text)
    misses = results.misses()
    for miss in misses:
        print(f"MISSED {miss}", file=sys.stderr)
    return 1 if misses else 0
