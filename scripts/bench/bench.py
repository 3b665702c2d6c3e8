"""`python -m scripts bench`: how fast the site builds and rebuilds, how heavy and accessible its pages are, and how
its build scales with the data. Every target is a ratio of two figures measured in the same run.

- Build: `python -m scripts build` of the real site into an empty folder, with an empty build cache (cold) and then
  with the cache that build left (warm: as every later build of a maintainer's machine; the median of three builds),
  against a plain mkdocs-material build of the same pages' text (scripts/bench/baseline.py). Target: warm ≤ 2 × plain.
- Serve: `make serve` in a copy of the project; from saving an edit to the served page showing it, for one CSV cell
  and for one narrative page, each the median of three edits, as a share of the warm full build (targets ≤ 25 % and
  ≤ 10 %); an invalid edit must leave the last good site served. Each CSV edit gives the cell a value it never had,
  so that its chart is drawn anew, as after a maintainer's edit.
- Each ratio's two figures are measured next to each other: this machine's speed drifts by a third within minutes,
  so the full build an edit or a synthetic build is set against is measured again right before (and after) it.
- Scale: synthetic data 10×, 100× and 1000× the real size (scripts/bench/synthetic.py, in a temporary folder): build
  time (warm: three runs, each between two builds of the real site; 1000× built once), peak memory of the build, and
  the heaviest first visits. Targets: 100× ≤ 5 × the real build (the median of the runs' ratios); 1000× within 2 GiB
  and every page within the first-visit budget.
- Pages: a first visit to every page of the real site (gzip-compressed bytes, scripts/bench/browser.py), and
  Lighthouse 12's mobile scores of the home page and the heaviest chart page.

Prints a report, writes it into README.md between the bench markers, and exits non-zero when a target is missed.
Everything is built in temporary folders; site/ and the repository's data are never touched.
"""

import csv
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from scripts.bench.baseline import baseline_seconds
from scripts.bench.browser import VEGA, WEIGHT_BUDGET, page_paths, serve, survey, transfer_size
from scripts.bench.project import copy_project, serving
from scripts.bench.synthetic import generate
from scripts.data.paths import DATASETS, ROOT, sources_dir

FACTORS = (1, 10, 100, 1000)
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_CHROME = "/usr/lib/chromium/chromium"  # the binary itself: Debian's /usr/bin/chromium is a wrapper script
LIGHTHOUSE_RUNS = 3  # the median of three runs, as Lighthouse's own docs advise for variable scores
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MIN_SCORES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
MAX_OVER_PLAIN = 2.0  # a full build of the real site, against a plain mkdocs-material build of its pages' text
MAX_CSV_EDIT = 0.25  # from saving a CSV edit under `make serve` to the page showing it, against a full build
MAX_PAGE_EDIT = 0.10  # the same for a narrative page
MAX_OVER_REAL = {100: 5.0}  # a synthetic build, against the real build
MAX_MEMORY = {1000: 2048.0}  # MiB of a synthetic build, all its processes together
SAMPLE_PAGES = ("", "departments/", "en/departments/", "slimming/", "methods/", "course/")
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
RUNS = 3  # the warm build and each kind of edit under `make serve` are measured this many times: the median counts
CSV_FILE = "datasets/huaibei-dakeshi-reform/data/units.csv"
# a unit's English name in its CSV, then the name each edit gives it
CSV_NAMES = ("Finance Bureau", "Treasury Bureau", "Fiscal Bureau", "Budget Bureau")
CSV_PAGE = "en/departments/finance-bureau/"
PAGE_FILE, PAGE_HEADING, PAGE_PAGE = "docs/en/methods.md", "# Methods and sources\n", "en/methods/"


@dataclass
class Build:
    factor: int
    rows: int
    seconds: float  # warm: the build cache as the previous build of the same inputs left it
    peak_mib: float
    cpu_seconds: float = 0.0  # user and system time of every process of the build: the same on a busy machine
    cold_seconds: float = 0.0  # with an empty build cache (0 when not measured)
    pages: int = 0
    search_index: int = 0  # gzip-compressed bytes of the Chinese edition's search index (loaded when searching)
    weights: dict[str, int] = field(default_factory=dict)  # page → first-visit bytes
    runs: list[float] = field(default_factory=list)  # each warm build's seconds, when seconds is their median
    # the real site's warm builds beside this one's: right before and after it, or, with runs, right before the first
    # run, between each two and after the last
    beside: list[float] = field(default_factory=list)

    def over(self, real: "Build") -> float:
        """This build's time over the real site's, measured beside it when it was: with runs, the median of each run
        over the mean of the real builds right before and after it."""
        if self.runs and len(self.beside) == len(self.runs) + 1:
            return statistics.median(
                run / statistics.mean(self.beside[number : number + 2]) for number, run in enumerate(self.runs)
            )
        return self.seconds / (statistics.mean(self.beside) if self.beside else real.seconds)

    @property
    def heaviest(self) -> tuple[str, int]:
        return max(self.weights.items(), key=lambda item: item[1], default=("", 0))


@dataclass
class Serve:
    csv_edits: list[float]  # seconds from saving each edit to its page showing it
    page_edits: list[float]
    kept_last_good: bool
    full_builds: list[float] = field(default_factory=list)  # the real site's warm builds right before the edits

    def full_seconds(self, real: Build) -> float:
        """The full build the edits are set against: measured right before them, when it was."""
        return statistics.median(self.full_builds) if self.full_builds else real.seconds

    def share(self, seconds: float, real: Build) -> float:
        return seconds / self.full_seconds(real)

    @property
    def csv_seconds(self) -> float:
        return statistics.median(self.csv_edits)

    @property
    def page_seconds(self) -> float:
        return statistics.median(self.page_edits)


def _tree(pid: int) -> list[int]:
    """A process and all its descendants, from /proc."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        queue.extend(int(child) for child in children)
    return found


def _memory(pids: list[int]) -> int:
    """The proportional set size (kB) of these processes together: shared pages counted once, as a forked edition
    shares its parent's model until either writes to it."""
    total = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return total


def timed_build(site: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall-clock seconds, peak memory (MiB: the build's processes together, sampled ten times a second) and CPU
    seconds of `python -m scripts build`."""
    command = [sys.executable, "-m", "scripts", "build", "--site-dir", str(site)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.1):
            peak = max(peak, _memory(_tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)  # the rusage of the build and every process it waited for
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"the build of {site} failed:\n{errors}")
    return seconds, max(peak, usage.ru_maxrss) / 1024, usage.ru_utime + usage.ru_stime


def _rows(datasets: Path) -> int:
    total = 0
    for table in datasets.glob("*/data/*.csv"):
        with table.open(encoding="utf-8-sig", newline="") as file:
            total += sum(1 for _ in csv.reader(file)) - 1
    return total


def weigh(site: Path, paths: list[str]) -> dict[str, int]:
    visits = survey(site, paths)
    fetched_vega = [p for p, v in visits.items() if v.fetched(VEGA)]
    if fetched_vega:
        raise RuntimeError(f"pages fetched the Vega engine on load: {fetched_vega}")
    return {p: v.weight for p, v in visits.items()}


def sample_pages(site: Path) -> list[str]:
    """The pages most likely to be heaviest in a large site: the fixed ones and the largest HTML of each edition
    (every page loads the same stylesheets and scripts; charts are inline SVG, so a page's own HTML decides)."""
    paths = set(page_paths(site))
    largest = sorted(paths, key=lambda p: -transfer_size(site / p / "index.html"))[:6]
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


def measure_serve(folder: Path, cache: str) -> Serve:
    """Edits under `make serve` in a copy of the project: seconds from saving each to the served page showing it."""
    project = copy_project(folder / "project")
    with serving(project, BUILD_CACHE_DIR=cache) as server:
        server.wait_for(CSV_PAGE, CSV_NAMES[0], timeout=300)
        csv_edits = []
        for old, new in itertools.pairwise(CSV_NAMES):
            time.sleep(1)  # the watcher's look at the files after the last change
            start = time.perf_counter()
            server.edit(CSV_FILE, f",{old},", f",{new},")
            server.wait_for(CSV_PAGE, new)
            csv_edits.append(time.perf_counter() - start)
        page_edits = []
        for number in range(1, RUNS + 1):
            time.sleep(1)
            start = time.perf_counter()
            said = f"Measured by the bench ({number})."
            if number == 1:
                server.edit(PAGE_FILE, PAGE_HEADING, f"{PAGE_HEADING}\n{said}\n")
            else:
                server.edit(PAGE_FILE, f"Measured by the bench ({number - 1}).", said)
            server.wait_for(PAGE_PAGE, said)
            page_edits.append(time.perf_counter() - start)
        logged = len(server.log.read_text(encoding="utf-8"))
        server.edit(CSV_FILE, "finance-bureau,", "Finance Bureau!,")  # an invalid code
        server.wait_for_log("The data is invalid", after=logged)
        kept = CSV_NAMES[-1] in (server.site / CSV_PAGE / "index.html").read_text(encoding="utf-8")
    return Serve(csv_edits, page_edits, kept)


def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


@dataclass
class Results:
    builds: list[Build]
    plain_seconds: float
    plain_pages: int
    serve: Serve
    scores: dict[str, dict[str, int]]  # page → category → score
    commit: str
    machine: str

    @property
    def real(self) -> Build:
        return self.builds[0]

    def misses(self) -> list[str]:
        problems = []
        real = self.real
        if real.seconds > MAX_OVER_PLAIN * self.plain_seconds:
            problems.append(
                f"the full build took {real.seconds / self.plain_seconds:.2f}× a plain mkdocs-material build "
                f"(target ≤ {MAX_OVER_PLAIN:g}×)"
            )
        if (share := self.serve.share(self.serve.csv_seconds, real)) > MAX_CSV_EDIT:
            problems.append(f"a CSV edit took {share:.0%} of a full build to show")
        if (share := self.serve.share(self.serve.page_seconds, real)) > MAX_PAGE_EDIT:
            problems.append(f"a page edit took {share:.0%} of a full build to show")
        if not self.serve.kept_last_good:
            problems.append("an invalid edit under make serve replaced the last good site")
        for build in self.builds:
            page, weight = build.heaviest
            if weight > WEIGHT_BUDGET:
                problems.append(f"{build.factor}×: /{page} downloads {kib(weight)} (budget {kib(WEIGHT_BUDGET)})")
            limit = MAX_OVER_REAL.get(build.factor)
            if limit and build.over(real) > limit:
                problems.append(
                    f"{build.factor}×: the build took {build.over(real):.2f}× the real one (target ≤ {limit:g}×)"
                )
            memory = MAX_MEMORY.get(build.factor)
            if memory and build.peak_mib > memory:
                problems.append(f"{build.factor}×: the build used {build.peak_mib:.0f} MiB (target ≤ {memory:.0f} MiB)")
        for page, scores in self.scores.items():
            for category, minimum in MIN_SCORES.items():
                if scores[category] < minimum:
                    problems.append(f"Lighthouse {category} of /{page} is {scores[category]} (target ≥ {minimum})")
        return problems


def _seconds(figures: list[float]) -> str:
    return ", ".join(f"{figure:.2f}" for figure in figures) + " s"


def markdown(results: Results) -> str:
    real, serve_ = results.real, results.serve
    weights = sorted(real.weights.values())
    lines = [
        f"Measured by `make bench` at commit `{results.commit}` on {results.machine}; every target is a ratio of two",
        "figures from this one run.",
        "",
        "| what | measured | target |",
        "| --- | ---: | ---: |",
        f"| full build of the real site ({real.pages} pages, both editions; warm build cache; median of "
        f"{_seconds(real.runs) if real.runs else 'one build'}) | {real.seconds:.1f} s | |",
        f"| the same with an empty build cache | {real.cold_seconds:.1f} s | |",
        f"| plain mkdocs-material build of the same {results.plain_pages} pages' text (no hooks) | "
        f"{results.plain_seconds:.1f} s | |",
        f"| full build ÷ plain build | {real.seconds / results.plain_seconds:.2f}× | ≤ {MAX_OVER_PLAIN:g}× |",
        f"| full build right before the edits under `make serve` (median of "
        f"{_seconds(serve_.full_builds) if serve_.full_builds else 'none: the one above'}) | "
        f"{serve_.full_seconds(real):.1f} s | |",
        f"| `make serve`: a CSV edit shows on its page after (median of {_seconds(serve_.csv_edits)}) | "
        f"{serve_.csv_seconds:.2f} s ({serve_.share(serve_.csv_seconds, real):.0%} of that full build) | "
        f"≤ {MAX_CSV_EDIT:.0%} |",
        f"| `make serve`: a narrative page edit shows after (median of {_seconds(serve_.page_edits)}) | "
        f"{serve_.page_seconds:.2f} s ({serve_.share(serve_.page_seconds, real):.0%} of that full build) | "
        f"≤ {MAX_PAGE_EDIT:.0%} |",
        f"| `make serve`: an invalid edit leaves the last good site served | "
        f"{'yes' if serve_.kept_last_good else 'no'} | yes |",
        "",
        f"Pages: a first visit downloads, gzip-compressed, at most {kib(WEIGHT_BUDGET)} (HTML, CSS, JS, fonts, images,",
        "sitemaps; the search index loads when a reader opens search). Lighthouse 12, mobile, median of",
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
        "Scale: synthetic data 10×, 100× and 1000× the real size (more departments, periods and sources; generated in",
        "a temporary folder, never published), each built from scratch; times with a warm build cache except 1000×,",
        "built once (cold). Peak memory counts all the build's processes together (proportional set size: shared",
        "pages once; sampled ten times a second); CPU time adds up all processes.",
        "The heaviest first visit is measured in Chromium on the largest pages of each size. 10× and 100×: build time",
        f"and CPU time are the medians of {RUNS} warm builds, and ÷ real the median of each over the mean of the warm",
        "builds of the real site right before and right after it (this machine's speed drifts within minutes, so a",
        "ratio's two figures are measured next to each other); 1000× over the real build above.",
        "",
        "| data | rows | pages | build time | ÷ real | CPU time | peak memory | search index (gzip) "
        "| heaviest first visit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for build in results.builds:
        page, weight = build.heaviest
        lines.append(
            f"| {'real' if build.factor == 1 else f'{build.factor}× synthetic'} | {build.rows:,} | {build.pages:,} | "
            f"{build.seconds:.1f} s | {build.over(real):.1f}× | {build.cpu_seconds:.1f} s | "
            f"{build.peak_mib:.0f} MiB | {kib(build.search_index)} | {kib(weight)} (`/{page}`) |"
        )
    lines.append("")
    lines.append(
        f"Targets: 100× builds in ≤ {MAX_OVER_REAL[100]:g}× the real build; 1000× within {MAX_MEMORY[1000]:.0f} MiB "
        f"and every page within {kib(WEIGHT_BUDGET)}."
    )
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


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def bench(write: bool = True, factors: tuple[int, ...] = FACTORS) -> int:
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `npm ci` (make bench does)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BUILD_CACHE_DIR=str(folder / "cache"))
        _say("building the real site with an empty build cache, then again with the cache it left …")
        cold, _, _ = timed_build(folder / "real-cold" / "site", env)
        warm = [timed_build(folder / f"real-{number}" / "site", env) for number in range(RUNS)]
        seconds, cpu = statistics.median(run[0] for run in warm), statistics.median(run[2] for run in warm)
        peak = max(run[1] for run in warm)
        site = folder / "real-0" / "site"
        paths = page_paths(site)
        real = Build(1, _rows(DATASETS), seconds, peak, cpu, cold, len(paths), runs=[run[0] for run in warm])
        real.search_index = transfer_size(site / "search" / "search_index.json")
        _say("building the same pages' text with plain mkdocs-material …")
        plain_seconds, plain_pages = baseline_seconds(site, folder / "plain", env)
        _say(f"weighing all {len(paths)} pages …")
        real.weights = weigh(site, paths)
        charts = [p for p in paths if 'class="chart"' in (site / p / "index.html").read_text(encoding="utf-8")]
        chart_page = max(charts, key=lambda p: real.weights[p])
        scores: dict[str, dict[str, int]] = {}
        with serve(site, compress=True) as server:
            for page in ("", chart_page):
                _say(f"Lighthouse on /{page} …")
                scores[page] = lighthouse(server.url + page)
        _say("building the real site again, then editing under make serve …")
        beside = [timed_build(folder / f"serve-{number}" / "site", env)[0] for number in range(RUNS)]
        serve_ = measure_serve(folder / "serve", env["BUILD_CACHE_DIR"])
        serve_.full_builds = beside
        builds = [real]
        for factor in (f for f in factors if f > 1):
            _say(f"building {factor}× synthetic data …")
            data = generate(factor, folder / f"x{factor}" / "data", DATASETS, sources_dir())
            run_env = dict(env, DATASETS_DIR=str(data.datasets), SOURCES_DIR=str(data.sources))
            grown = folder / f"x{factor}" / "site"
            seconds, peak, cpu = timed_build(grown, run_env)
            cold_seconds = seconds
            beside: list[float] = []
            runs: list[tuple[float, float, float]] = []
            if factor < 1000:  # warm, as the real build is measured, each run between two real builds; 1000× once
                beside.append(timed_build(folder / f"x{factor}" / "real-0" / "site", env)[0])
                for number in range(1, RUNS + 1):
                    runs.append(timed_build(folder / f"x{factor}" / f"again-{number}" / "site", run_env))
                    beside.append(timed_build(folder / f"x{factor}" / f"real-{number}" / "site", env)[0])
                seconds, cpu = statistics.median(run[0] for run in runs), statistics.median(run[2] for run in runs)
                peak = max(peak, *(run[1] for run in runs))
            pages = len(page_paths(grown))
            build = Build(factor, data.rows, seconds, peak, cpu, cold_seconds, pages, [r[0] for r in runs], beside)
            build.search_index = transfer_size(grown / "search" / "search_index.json")
            build.weights = weigh(grown, sample_pages(grown))
            builds.append(build)
    results = Results(builds, plain_seconds, plain_pages, serve_, scores, _commit(), _machine())
    text = markdown(results)
    print(text)
    if write:
        write_readme(text)
    misses = results.misses()
    for miss in misses:
        print(f"MISSED {miss}", file=sys.stderr)
    return 1 if misses else 0
