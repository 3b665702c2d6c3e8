"""`python -m scripts bench`: the README's **Fast** targets, each ratio's figures measured in the same run against a
plain mkdocs-material build of the same pages, and a trial of Zensical on the rendered pages. Prints the figures,
writes them into README.md between the bench markers and exits non-zero when a target is missed. Everything is built
in temporary folders."""

import contextlib
import itertools
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

from scripts.bench.browser import WEIGHT_BUDGET, page_paths, serve, survey
from scripts.bench.project import Server, copy_project, environment, fetch, serving
from scripts.bench.synthetic import count_rows, generate
from scripts.data.paths import DATASETS, ROOT
from scripts.site.outputs.address import PREVIEW_ADDRESS
from scripts.site.pages.blocks import EXTENSION

RUNS = 3
MAX_RATIO = 1.5  # a full build, and a CSV edit shown under `make serve`, against the plain build
MAX_MIB = 1024  # the 10× build's peak memory
MIN_SCORES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_CHROME = "/usr/lib/chromium/chromium"  # the binary itself: Debian's /usr/bin/chromium is a wrapper script
LIGHTHOUSE_FLAGS = "--chrome-flags=--headless=new --no-sandbox --disable-gpu"
README, START, END = ROOT / "README.md", "<!-- bench:start -->", "<!-- bench:end -->"
CSV_FILE = "datasets/huaibei-dakeshi-reform/data/units.csv"
# the unit's full English name (translations must use its short one): the cell, then each edit's value
CSV_NAMES = tuple(f"Huaibei Municipal {name} Bureau" for name in ("Finance", "Treasury", "Fiscal", "Budget"))
CSV_PAGE = "en/departments/finance-bureau/"
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(?P<body>.*?)</article>', re.S)
SEARCH = {"separator": r"[\s\u200b\u3000\-、。，．？！；]+", "pipeline": ["stopWordFilter"]}
EDITIONS = (("zh", "", "mkdocs.yml"), ("en", "en", "mkdocs.en.yml"))  # language, folder in the site, configuration
ZENSICAL = ROOT / ".cache" / "zensical"

Row = tuple[str, str, str, bool]  # what was measured, the figure, its target, whether it is met
Scores = dict[str, tuple[int, dict[str, int]]]  # page → its first visit's weight, and Lighthouse category → score


def seconds(runs: list[float]) -> str:
    return ", ".join(f"{run:.2f}" for run in runs) + " s"


def kib(n: float) -> str:
    return f"{n / 1024:.1f} KiB"


def ratio_row(what: str, runs: list[float], plain: list[float]) -> Row:
    ratio = statistics.median(runs) / statistics.median(plain)
    return what, f"{ratio:.2f}×", f"≤ {MAX_RATIO:g}×", ratio <= MAX_RATIO


def write_configs(project: Path, name: str, change: Callable[[str, str, dict], dict], into: Path) -> list[Path]:
    """Each edition's configuration as mkdocs reads it (!ENV and INHERIT resolved), changed, as `into`/NAME.LANG.yml."""
    configs = []
    for lang, subfolder, file in EDITIONS:
        with (project / file).open("rb") as opened:
            config = change(lang, subfolder, yaml_load(opened))
        configs.append(into / f"{name}.{lang}.yml")
        configs[-1].write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return configs


def moved(item: object) -> object:
    """A menu with each page where the plain project keeps it: course.md is course/index.md there."""
    if isinstance(item, list):
        return [moved(entry) for entry in item]
    if isinstance(item, dict):
        return {title: moved(value) for title, value in item.items()}
    page = str(item)
    return page if Path(page).name == "index.md" or "://" in page else page.removesuffix(".md") + "/index.md"


def write_project(site: Path, folder: Path) -> list[Path]:
    """The plain project: each built page's article as a Markdown page, with the site's theme, language, menu (without
    it Material lists every page in every page's menu: a build quadratic in the pages) and search, and nothing else."""

    def plain_config(lang: str, subfolder: str, config: dict) -> dict:
        docs, edition = folder / f"docs-{lang}", site / subfolder
        for html in sorted(edition.rglob("index.html")):
            relative = html.parent.relative_to(edition)
            if lang == "zh" and relative.parts[:1] == ("en",):
                continue
            target = docs / relative / "index.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(ARTICLE.search(html.read_text(encoding="utf-8"))["body"].strip() + "\n", encoding="utf-8")
        return {
            "site_name": "baseline",
            "site_url": PREVIEW_ADDRESS + (f"{subfolder}/" if subfolder else ""),
            "docs_dir": docs.name,
            "site_dir": f"site/{subfolder}",
            "theme": {"name": "material", "language": lang, "font": False},
            "nav": moved(config.get("nav") or []),
            "plugins": [{"search": SEARCH}],
            "markdown_extensions": ["attr_list", "md_in_html", "admonition", "tables", {"toc": {"permalink": True}}],
        }

    return write_configs(ROOT, "mkdocs", plain_config, folder)


def plain_seconds(configs: list[Path]) -> float:
    """Wall-clock seconds of the plain build of both editions, one after the other as any mkdocs user would."""
    start = time.perf_counter()
    for config in configs:
        command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config)]
        subprocess.run(command, cwd=config.parent, check=True, capture_output=True)
    return time.perf_counter() - start


def zensical_configs(project: Path) -> list[Path]:
    """Each edition's configuration, pointed at the pages `build --pages-dir` rendered into the copy's `pages`."""

    def rendered(lang: str, subfolder: str, config: dict) -> dict:
        config["site_url"] = (config["site_url"] or PREVIEW_ADDRESS) + (f"{subfolder}/" if subfolder else "")
        # a relative docs_dir: Zensical 0.0.73 stops on an absolute one (a panic naming the root folder)
        config |= {"docs_dir": f"pages/{lang}", "site_dir": f"zensical-site/{lang}", "exclude_docs": ""}
        blocks = project / "pages" / f"{lang}.blocks"  # the blocks' extension set as the build sets it
        nonce = next((path.name[2:18] for path in sorted(blocks.glob("zz*.html"))), "")
        options = {"folder": str(blocks), "nonce": nonce}
        config["markdown_extensions"] = [{e: options} if e == EXTENSION else e for e in config["markdown_extensions"]]
        return config

    return write_configs(project, "zensical", rendered, project)


def first_error(output: str) -> str:
    """The line of a tool's output that best says what went wrong: an exception's, else the first naming an error."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    raised = [line for line in lines if re.match(r"[\w.]*(Error|Exception)\b", line)]
    said = [line for line in lines if "error" in line.lower()]
    return (raised or said or lines[-1:] or ["(no output)"])[0]


def _run(command: list[str], **options: Any) -> tuple[bool, str]:
    """Whether a command of the trial succeeded, and what it printed; a hang or a missing program is a failure."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False, **options)
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, str(error)
    return done.returncode == 0, done.stdout + "\n" + done.stderr


def zensical(project: Path, venv: Path = ZENSICAL) -> str:
    """What Zensical (installed into a virtual environment of its own, never the project's) does with the pages."""
    program = str(venv / "bin" / "zensical")
    install = [[sys.executable, "-m", "venv", "--clear", str(venv)], [str(venv / "bin" / "pip"), "install", "zensical"]]
    for command in [] if Path(program).exists() else install:
        installed, said = _run(command)
        if not installed:
            return f"not tried: it could not be installed into {venv} ({first_error(said)})"
    version = _run([program, "--version"])[1].strip()
    env = dict(os.environ, PYTHONPATH=str(project))  # the project's Markdown extension, from its copy
    start = time.perf_counter()
    for config in zensical_configs(project):
        built, said = _run([program, "build", "-f", config.name], cwd=project, env=env)
        if not built:
            took = time.perf_counter() - start
            return f"version {version} failed on {config.name} after {took:.1f} s: `{first_error(said)}`"
    took = time.perf_counter() - start
    return f"version {version} built both editions' rendered pages in {took:.1f} s (what differs: above)."


def timed_build(site: Path, env: dict[str, str], *options: str, project: Path = ROOT) -> tuple[float, float]:
    """Seconds and peak memory of a build (MiB: the kernel's high-water mark of its one process's resident set)."""
    command = [sys.executable, "-m", "scripts", "build", "--site-dir", str(site), *options]
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            errors.seek(0)
            raise RuntimeError(f"the build of {site} failed:\n{errors.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def measure_size(factor: int, folder: Path, cache: str) -> tuple[list[Row], list[float]]:
    """Full and plain builds of one size of data, in turn, after an untimed build that warms the cache: the rows, and
    the plain builds' seconds."""
    env, datasets = environment(BUILD_CACHE_DIR=cache), DATASETS
    if factor > 1:
        datasets, sources = generate(factor, folder / "data")
        env |= {"DATASETS_DIR": str(datasets), "SOURCES_DIR": str(sources)}
    site = folder / "site"
    _, peak = timed_build(site, env)
    configs = write_project(site, folder / "plain")
    full, plain = [], []
    for run in range(RUNS):
        elapsed, mib = timed_build(folder / f"site-{run}", env)
        full.append(elapsed)
        peak = max(peak, mib)
        plain.append(plain_seconds(configs))
    data = "real data" if factor == 1 else f"{factor}× synthetic data"
    size = f"{count_rows(datasets):,} rows, {len(page_paths(site)):,} pages"
    what = f"full build ÷ plain build, {data} ({size}; full {seconds(full)}, plain {seconds(plain)})"
    rows = [ratio_row(what, full, plain)]
    if factor == 10:
        what = f"peak memory of the {factor}× builds (the build's resident set)"
        rows.append((what, f"{peak:.0f} MiB", f"≤ {MAX_MIB} MiB", peak <= MAX_MIB))
    return rows, plain


def keeps_last_good(server: Server, shown: str, watch: float) -> bool:
    """After an invalid edit and the server's next line (whatever it says), the page shows `shown` for `watch` s."""
    logged = len(server.said())
    server.edit(CSV_FILE, "finance-bureau,", "Finance Bureau!,")  # an invalid code: the unit's page would go
    server.wait_for_log("\n", after=logged)
    with contextlib.suppress(TimeoutError):
        server.until(lambda: shown not in fetch(server.url + CSV_PAGE), "", watch, 0.1)
        return False
    return True


def measure_serve(project: Path, cache: str, plain: list[float]) -> list[Row]:
    with serving(project, BUILD_CACHE_DIR=cache) as server:
        server.wait_for(CSV_PAGE, CSV_NAMES[0], timeout=300)
        edits = []
        for old, new in itertools.pairwise(CSV_NAMES):
            time.sleep(1)  # the watcher's look at the files after the last change
            server.edit(CSV_FILE, f",{old},", f",{new},")
            edits.append(server.wait_for(CSV_PAGE, new))
        kept = keeps_last_good(server, CSV_NAMES[-1], max(5.0, 3 * max(edits)))
    what = f"`make serve`: a saved CSV edit shows on the served page after {seconds(edits)}, ÷ plain build"
    invalid = "`make serve`: an invalid edit leaves the last good site served"
    return [ratio_row(f"{what} of the real data", edits, plain), (invalid, "yes" if kept else "no", "yes", kept)]


def lighthouse(url: str) -> dict[str, int]:
    """Lighthouse's mobile scores (0-100) of a page: the median of RUNS runs, as Lighthouse's docs advise."""
    found = []
    for _ in range(RUNS):
        command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout", LIGHTHOUSE_FLAGS]
        command.append(f"--only-categories={','.join(MIN_SCORES)}")
        env = dict(os.environ, CHROME_PATH=LIGHTHOUSE_CHROME)
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"lighthouse {url} failed:\n{result.stderr[-2000:]}")
        found.append(json.loads(result.stdout)["categories"])
    return {c: round(100 * statistics.median(run[c]["score"] for run in found)) for c in MIN_SCORES}


def measure_pages(site: Path) -> tuple[Row, Scores]:
    weights = {path: visit.weight for path, visit in survey(site, page_paths(site)).items()}
    heaviest = max(weights, key=weights.__getitem__)
    charts = [p for p in weights if 'class="chart"' in (site / p / "index.html").read_text(encoding="utf-8")]
    with serve(site, compress=True) as server:
        pages = ("", max(charts, key=weights.__getitem__))
        scores = {page: (weights[page], lighthouse(server.url + page)) for page in pages}
    what = f"heaviest first visit of the {len(weights)} pages, gzip (`/{heaviest}`)"
    return (what, kib(weights[heaviest]), f"≤ {kib(WEIGHT_BUDGET)}", weights[heaviest] <= WEIGHT_BUDGET), scores


def markdown(rows: list[Row], scores: Scores, tried: str, where: str) -> tuple[str, list[str]]:
    missed = [f"{what}: {figure} (target {target})" for what, figure, target, met in rows if not met]
    lines = [
        f"Measured by `make bench` at {where}; each ratio's two figures come",
        f"from this one run (medians of {RUNS} builds each, full and plain taken in turn, warm build cache).",
        "",
        "| what | measured | target |",
        "| --- | ---: | ---: |",
        *(f"| {what} | {figure} | {target} |" for what, figure, target, _ in rows),
        "",
        "| Lighthouse 12, mobile, median of 3 runs | weight | performance | accessibility | best practices | SEO |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page, (weight, found) in scores.items():
        label = "home page" if page == "" else f"heaviest chart page (`/{page}`)"
        lines.append(f"| {label} | {kib(weight)} | {' | '.join(str(found[c]) for c in MIN_SCORES)} |")
        missed += [
            f"Lighthouse {c} of /{page} is {found[c]} (target ≥ {m})" for c, m in MIN_SCORES.items() if found[c] < m
        ]
    verdict = "Missed: " + "; ".join(missed) + "." if missed else "Every target is met."
    lines += ["", f"Zensical (a trial on the rendered pages, not a target): {tried}", "", verdict]
    return "\n".join(lines), missed


def write_readme(text: str, readme: Path = README) -> None:
    content = readme.read_text(encoding="utf-8")
    if START not in content or END not in content:
        raise RuntimeError(f"{readme} has no {START} … {END} section for the figures")
    head, rest = content.split(START, 1)
    readme.write_text(f"{head}{START}\n{text}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def bench(write: bool = True) -> int:
    if not LIGHTHOUSE.exists():
        say(f"{LIGHTHOUSE} is missing: run `npm ci` (make bench does)")
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        cache = str(folder / "cache")
        say(f"1×: full and plain builds, {RUNS} of each …")
        real, plain = measure_size(1, folder / "x1", cache)
        say(f"10×: full and plain builds, {RUNS} of each …")
        grown, _ = measure_size(10, folder / "x10", cache)
        say("weighing every page; Lighthouse on two …")
        heaviest, scores = measure_pages(folder / "x1" / "site")
        say("editing a CSV file under make serve …")
        served = measure_serve(copy_project(folder / "serve"), cache, plain)
        say("trying Zensical …")
        project = copy_project(folder / "zensical")
        pages = ("--pages-dir", str(project / "pages"))
        timed_build(project / "site", environment(BUILD_CACHE_DIR=cache), *pages, project=project)
        tried = zensical(project)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.machine()}"
    where = f"commit `{commit.strip()}` on {machine}"
    text, missed = markdown([*real, *grown, *served, heaviest], scores, tried, where)
    print(text)
    if write:
        write_readme(text)
    for miss in missed:
        say(f"MISSED {miss}")
    return 1 if missed else 0
