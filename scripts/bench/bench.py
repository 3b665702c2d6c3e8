"""`python -m scripts bench`: the README's **Fast** targets, each figure set against a plain mkdocs-material build of
the same pages' text measured in the same run (scripts/bench/baseline.py). Prints the figures, writes them into
README.md between the bench markers and exits non-zero when a target is missed. Everything is built in temporary
folders."""

import contextlib
import itertools
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from scripts.bench.baseline import plain_seconds, write_project, zensical, zensical_configs
from scripts.bench.browser import LIGHTHOUSE, WEIGHT_BUDGET, lighthouse, page_paths, serve, survey
from scripts.bench.project import Server, build_copy, copy_project, fetch, serving
from scripts.bench.synthetic import count_rows, generate
from scripts.data.paths import DATASETS, ROOT

FACTORS = (1, 10)
RUNS = 3
MAX_RATIO = 1.5  # a full build, and a CSV edit shown under `make serve`, against the plain build
RATIO = f"≤ {MAX_RATIO:g}×"
MAX_MEMORY_MIB, MEMORY_FACTOR = 1024, 10
MIN_SCORES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
CSV_FILE = "datasets/huaibei-dakeshi-reform/data/units.csv"
# the unit's full English name (translations must use its short one): the cell, then each edit's value
CSV_NAMES = tuple(f"Huaibei Municipal {name} Bureau" for name in ("Finance", "Treasury", "Fiscal", "Budget"))
CSV_PAGE = "en/departments/finance-bureau/"


@dataclass
class Size:
    """The builds of one size of data: seconds of each full and plain build, and the full builds' peak memory."""

    factor: int
    rows: int
    pages: int
    full: list[float]
    plain: list[float]
    peak_mib: float

    @property
    def ratio(self) -> float:
        return statistics.median(self.full) / statistics.median(self.plain)


@dataclass
class Figures:
    sizes: list[Size]
    csv_edits: list[float]  # seconds from saving each CSV edit to the served page showing it
    kept_last_good: bool
    weights: dict[str, int]  # page → first-visit bytes, gzip-compressed
    scores: dict[str, dict[str, int]]  # page → Lighthouse category → score
    zensical: str
    commit: str = "unknown"
    machine: str = ""

    @property
    def csv_ratio(self) -> float:
        return statistics.median(self.csv_edits) / statistics.median(self.sizes[0].plain)


def targets(figures: Figures) -> list[tuple[str, str, str, bool]]:
    """The rows of the README's table: what was measured, the figure, its target, and whether it is met."""
    rows = []
    for size in figures.sizes:
        data = "real data" if size.factor == 1 else f"{size.factor}× synthetic data"
        what = f"full build ÷ plain build, {data} ({size.rows:,} rows, {size.pages:,} pages; full {seconds(size.full)}"
        rows.append((f"{what}, plain {seconds(size.plain)})", f"{size.ratio:.2f}×", RATIO, size.ratio <= MAX_RATIO))
        if size.factor == MEMORY_FACTOR:
            what = f"peak memory of the {size.factor}× builds (all processes together, sampled)"
            rows.append((what, f"{size.peak_mib:.0f} MiB", f"≤ {MAX_MEMORY_MIB} MiB", size.peak_mib <= MAX_MEMORY_MIB))
    what = f"`make serve`: a saved CSV edit shows on the served page after {seconds(figures.csv_edits)}, ÷ plain build"
    kept = figures.kept_last_good
    rows += [
        (f"{what} of the real data", f"{figures.csv_ratio:.2f}×", RATIO, figures.csv_ratio <= MAX_RATIO),
        ("`make serve`: an invalid edit leaves the last good site served", "yes" if kept else "no", "yes", kept),
    ]
    heaviest = max(figures.weights, key=figures.weights.__getitem__, default="")
    weight = figures.weights.get(heaviest, 0)
    what = f"heaviest first visit of the {len(figures.weights)} pages, gzip (`/{heaviest}`)"
    return [*rows, (what, kib(weight), f"≤ {kib(WEIGHT_BUDGET)}", weight <= WEIGHT_BUDGET)]


def misses(figures: Figures) -> list[str]:
    found = [f"{what}: {figure} (target {target})" for what, figure, target, met in targets(figures) if not met]
    for page, scores in figures.scores.items():
        found += [
            f"Lighthouse {c} of /{page} is {scores[c]} (target ≥ {m})" for c, m in MIN_SCORES.items() if scores[c] < m
        ]
    return found


def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


def seconds(figures: list[float]) -> str:
    return ", ".join(f"{figure:.2f}" for figure in figures) + " s"


def markdown(figures: Figures) -> str:
    lines = [
        f"Measured by `make bench` at commit `{figures.commit}` on {figures.machine}; each ratio's two figures come",
        f"from this one run (medians of {RUNS} builds each, full and plain taken in turn, warm build cache).",
        "",
        "| what | measured | target |",
        "| --- | ---: | ---: |",
        *(f"| {what} | {figure} | {target} |" for what, figure, target, _ in targets(figures)),
        "",
        "| Lighthouse 12, mobile, median of 3 runs | weight | performance | accessibility | best practices | SEO |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page, scores in figures.scores.items():
        label = "home page" if page == "" else f"heaviest chart page (`/{page}`)"
        lines.append(f"| {label} | {kib(figures.weights.get(page, 0))} | {' | '.join(map(str, scores.values()))} |")
    found = misses(figures)
    verdict = "Every target is met." if not found else "Missed: " + "; ".join(found) + "."
    lines += ["", f"Zensical (a trial on the rendered pages, not a target): {figures.zensical}", "", verdict]
    return "\n".join(lines)


def write_readme(text: str, readme: Path = README) -> None:
    content = readme.read_text(encoding="utf-8")
    if START not in content or END not in content:
        raise RuntimeError(f"{readme} has no {START} … {END} section for the figures")
    head, rest = content.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def tree_memory(pid: int) -> int:
    """The proportional set size (kB) of a process and all its descendants together, from /proc: pages a forked
    process shares with its parent counted once."""
    total, queue = 0, [pid]
    while queue:
        current = queue.pop()
        try:
            queue += map(int, Path(f"/proc/{current}/task/{current}/children").read_text().split())
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return total


def timed_build(site: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak memory (MiB, all processes, sampled ten times a second) of `python -m scripts build`."""
    command = [sys.executable, "-m", "scripts", "build", "--site-dir", str(site)]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        start, peak = time.perf_counter(), 0
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        while process.poll() is None:
            peak = max(peak, tree_memory(process.pid))
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.1)
        seconds = time.perf_counter() - start
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"the build of {site} failed:\n{errors.read()}")
    return seconds, peak / 1024


def measure_size(factor: int, folder: Path, env: dict[str, str]) -> Size:
    """Full and plain builds of one size of data, in turn; the first full build warms the cache and is not timed."""
    datasets = DATASETS
    if factor > 1:
        datasets, sources = generate(factor, folder / "data")
        env = env | {"DATASETS_DIR": str(datasets), "SOURCES_DIR": str(sources)}
    site = folder / "site"
    _, peak = timed_build(site, env)
    configs = write_project(site, folder / "plain")
    full, plain = [], []
    for run in range(RUNS):
        seconds, run_peak = timed_build(folder / f"site-{run}", env)
        full.append(seconds)
        peak = max(peak, run_peak)
        plain.append(plain_seconds(configs, env))
    return Size(factor, count_rows(datasets), len(page_paths(site)), full, plain, peak)


def _keeps_last_good(server: Server, shown: str, watch: float) -> bool:
    """After an invalid edit, once the server has said something and then nothing for two seconds, the page still
    shows `shown` for `watch` seconds. (Only its console is relied on, not what it says.)"""
    logged = len(server.said())
    server.edit(CSV_FILE, "finance-bureau,", "Finance Bureau!,")  # an invalid code: the unit's page would go
    server.wait_for_log("\n", after=logged)
    size = -1
    while (now := server.log.stat().st_size) != size:  # until it has said nothing for two seconds
        size = now
        time.sleep(2)
    with contextlib.suppress(TimeoutError):
        server.until(lambda: shown not in fetch(server.url + CSV_PAGE), "", watch, 0.1)
        return False
    return True


def measure_serve(folder: Path, cache: str) -> tuple[list[float], bool]:
    """Seconds from saving each CSV edit to the served page showing it, and whether an invalid edit kept the site."""
    with serving(copy_project(folder), BUILD_CACHE_DIR=cache) as server:
        server.wait_for(CSV_PAGE, CSV_NAMES[0], timeout=300)
        edits = []
        for old, new in itertools.pairwise(CSV_NAMES):
            time.sleep(1)  # the watcher's look at the files after the last change
            server.edit(CSV_FILE, f",{old},", f",{new},")
            edits.append(server.wait_for(CSV_PAGE, new))
        return edits, _keeps_last_good(server, CSV_NAMES[-1], max(5.0, 3 * max(edits)))


def measure_pages(site: Path) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    weights = {path: visit.weight for path, visit in survey(site, page_paths(site)).items()}
    charts = [p for p in weights if 'class="chart"' in (site / p / "index.html").read_text(encoding="utf-8")]
    with serve(site, compress=True) as server:
        return weights, {page: lighthouse(server.url + page) for page in ("", max(charts, key=weights.__getitem__))}


def bench(write: bool = True, factors: tuple[int, ...] = FACTORS) -> int:
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `npm ci` (make bench does)", file=sys.stderr)
        return 1
    factors = tuple(sorted({1, *factors}))  # the real data's plain build is the yardstick of the CSV edit
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BUILD_CACHE_DIR=str(folder / "cache"))
        sizes = []
        for factor in factors:
            print(f"{factor}×: full and plain builds, {RUNS} of each …", file=sys.stderr, flush=True)
            sizes.append(measure_size(factor, folder / f"x{factor}", env))
        print("weighing every page; Lighthouse on two …", file=sys.stderr, flush=True)
        weights, scores = measure_pages(folder / f"x{factors[0]}" / "site")
        print("editing a CSV file under make serve …", file=sys.stderr, flush=True)
        edits, kept = measure_serve(folder / "serve", env["BUILD_CACHE_DIR"])
        print("trying Zensical …", file=sys.stderr, flush=True)
        project = copy_project(folder / "zensical")
        pages = ("--pages-dir", str(project / "pages"))
        build_copy(project, project / "site", *pages, BUILD_CACHE_DIR=env["BUILD_CACHE_DIR"]).check_returncode()
        tried = zensical(zensical_configs(project, project / "pages"), env)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.machine()}"
    figures = Figures(sizes, edits, kept, weights, scores, tried, commit.strip() or "unknown", machine)
    text = markdown(figures)
    print(text)
    if write:
        write_readme(text)
    found = misses(figures)
    for miss in found:
        print(f"MISSED {miss}", file=sys.stderr)
    return 1 if found else 0
