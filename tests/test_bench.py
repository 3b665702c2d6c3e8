"""`make bench`: every target is a ratio of figures from one run; a missed one makes it fail; its figures land between
the README's markers; its yardstick is a plain build of the same pages' text; a failing Zensical is only reported."""

import os
import re
import signal
import subprocess
import sys

import pytest
import yaml

import scripts.bench.baseline
from scripts.bench import bench
from scripts.bench.baseline import first_error, write_project, zensical, zensical_configs
from scripts.bench.browser import WEIGHT_BUDGET, page_paths, survey, transfer_size
from scripts.bench.project import copy_project

PERFECT = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}


MEASURED = {"full": 3.0, "plain": 4.0, "full_10": 5.0, "csv_edit": 1.0, "kept": True, "memory": 600.0, "weight": 90_000}


def figures(**change: float) -> bench.Figures:
    """Figures of a run that meets every target, but for `change` (the runs' medians are the first full and plain)."""
    performance = change.pop("performance", 100)
    full, plain, full_10, csv_edit, kept, memory, weight = (MEASURED | change).values()
    sizes = [
        bench.Size(1, 160, 78, [full, 9 * full, full / 2], [plain, plain, 9 * plain], 250.0),
        bench.Size(10, 1_339, 356, [full_10] * 3, [4.0] * 3, memory),
    ]
    scores = {"": PERFECT, "slimming/": PERFECT | {"performance": performance}}
    weights = {"": 80_000, "slimming/": weight}
    edits = [csv_edit, 9 * csv_edit, csv_edit / 2]
    return bench.Figures(sizes, edits, bool(kept), weights, scores, "built in 1.0 s.", "abc1234", "2 cores")


@pytest.mark.parametrize(
    ("change", "missed"),
    [
        ({}, ""),
        ({"full": 6.0}, ""),  # the target itself is met
        ({"full": 13.0, "plain": 12.0, "csv_edit": 13.0}, ""),  # a slower machine slows both sides alike
        ({"full": 13.0, "plain": 8.0}, "full build ÷ plain build, real data"),
        ({"full": 6.2}, "full build ÷ plain build, real data (160 rows, 78 pages; full 6.20, 55.80, 3.10 s, plain"),
        ({"full_10": 6.2}, "10× synthetic data (1,339 rows, 356 pages; full 6.20, 6.20, 6.20 s, plain 4.00"),
        ({"csv_edit": 6.2}, "a saved CSV edit shows on the served page after 6.20, 55.80, 3.10 s"),
        ({"kept": False}, "an invalid edit leaves the last good site served: no (target yes)"),
        ({"memory": bench.MAX_MEMORY_MIB + 1}, "sampled): 1025 MiB (target ≤ 1024 MiB)"),
        ({"weight": WEIGHT_BUDGET + 1}, "heaviest first visit of the 2 pages, gzip (`/slimming/`): 200.0 KiB"),
        ({"performance": 94}, "Lighthouse performance of /slimming/ is 94 (target ≥ 95)"),
    ],
)
def test_every_target_is_a_ratio_of_figures_from_this_run_and_a_miss_is_named(change, missed):
    found, text = bench.misses(figures(**change)), bench.markdown(figures(**change))
    assert len(found) == bool(missed) and missed in "".join(found)
    assert text.endswith("Every target is met.") if not missed else f"Missed: {found[0]}." in text


def test_the_figures_name_each_target_and_what_it_was_measured_on_between_the_readmes_markers(tmp_path):
    text, readme = bench.markdown(figures()), tmp_path / "README.md"
    assert "| full build ÷ plain build, real data (160 rows, 78 pages; full 3.00, 27.00, 1.50 s" in text
    assert "| 0.75× | ≤ 1.5× |" in text and "10× synthetic data (1,339 rows, 356 pages" in text
    assert "after 1.00, 9.00, 0.50 s, ÷ plain build of the real data | 0.25× |" in text
    assert "| 600 MiB | ≤ 1024 MiB |" in text and "(`/slimming/`) | 87.9 KiB | ≤ 200.0 KiB |" in text
    assert "| heaviest chart page (`/slimming/`) | 87.9 KiB | 100 | 100 | 100 | 100 |" in text
    assert "Zensical (a trial on the rendered pages, not a target): built in 1.0 s." in text
    before, after = f"# Title\n\n{bench.START}\n", f"\n{bench.END}\n\n## Licence\n"
    readme.write_text(before + "old figures" + after, encoding="utf-8")
    bench.write_readme(text, readme)
    assert readme.read_text(encoding="utf-8") == before + text + after
    readme.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="bench:start"):
        bench.write_readme("x", readme)


def test_the_readme_states_the_targets_make_bench_checks_on_the_real_data_and_ten_times_it(monkeypatch):
    from scripts.__main__ import main

    text = bench.README.read_text(encoding="utf-8")
    fast = re.search(r"^- \*\*Fast\*\*:.*?(?=^- \*\*|^$)", text, re.S | re.M)
    figures_ = text.split(bench.START, 1)[1].split(bench.END, 1)[0]
    assert fast and "1.5×" in fast[0] and "1 GiB" in fast[0] and "Zensical" in fast[0]
    assert not re.search(r"\b1000?×", fast[0] + figures_), "no target of 100× or 1000× the data is left"
    for row in ("full build ÷ plain build, real data", "10× synthetic data", "a saved CSV edit", "peak memory"):
        assert row in figures_, row
    asked = []
    monkeypatch.setattr(bench, "bench", lambda write, factors: asked.append(factors) or 0)
    assert main(["bench", "--no-readme"]) == main(["bench", "--no-readme", "--factors", "1", "3"]) == 0
    assert asked == [(1, 10), (1, 3)]


def test_the_yardstick_holds_every_page_and_its_text_but_no_hooks(built_site, tmp_path):
    configs = write_project(built_site, tmp_path)

    def served(docs, prefix: str) -> set[str]:
        folders = (p.parent.relative_to(docs).as_posix() for p in docs.rglob("index.md"))
        return {prefix + ("" if folder == "." else folder + "/") for folder in folders}

    assert served(tmp_path / "docs-zh", "") | served(tmp_path / "docs-en", "en/") == set(page_paths(built_site))
    home = (tmp_path / "docs-zh" / "index.md").read_text(encoding="utf-8")
    assert "68" in home and "<svg" in home, "the page's text and charts are in the plain page"
    for config in configs:
        text = config.read_text(encoding="utf-8")
        assert "hooks" not in text and "separator" in text and "material" in text
        assert "course/index.md" in text and "departments/index.md" in text, "the site's menu, not every page"


def test_an_invalid_edit_is_caught_if_the_served_page_loses_the_last_good_value(tmp_path, monkeypatch):
    """The bench watches only the server's console and the served page, whatever the server does inside."""
    from scripts.bench.project import Server

    page, log = tmp_path / "page.html", tmp_path / "serve.log"
    monkeypatch.setattr(bench, "fetch", lambda url: page.read_text(encoding="utf-8"))
    watched = Server("http://127.0.0.1:9/", tmp_path, tmp_path / "site", log)
    for served_after, kept in (("Budget Bureau", True), ("Not Found", False)):
        page.write_text("Budget Bureau", encoding="utf-8")
        log.write_text("Serving\n", encoding="utf-8")

        def rebuilt(*edit: str, shown: str = served_after) -> None:
            page.write_text(shown, encoding="utf-8")
            log.write_text("Serving\nThe data is invalid\n", encoding="utf-8")

        monkeypatch.setattr(watched, "edit", rebuilt)
        assert bench._keeps_last_good(watched, "Budget Bureau", watch=1) is kept


ZENSICAL_FAILS = """#!/bin/sh
[ "$1" = --version ] && { echo 0.0.73; exit 0; }
echo "Build started"; echo "No issues found"
printf 'Traceback (most recent call last):\\n  File "main.py", line 81\\nRuntimeError: undefined value\\n' >&2
exit 1
"""


def test_zensical_gets_each_editions_rendered_pages_and_failing_or_missing_is_reported(tmp_path, monkeypatch):
    program = tmp_path / "venv" / "bin" / "zensical"
    program.parent.mkdir(parents=True)
    program.write_text(ZENSICAL_FAILS, encoding="utf-8")
    program.chmod(0o755)
    configs = zensical_configs(copy_project(tmp_path / "project"), tmp_path / "pages")
    zh, en = (yaml.safe_load(path.read_text(encoding="utf-8")) for path in configs)
    assert (zh["docs_dir"], en["docs_dir"]) == ("../pages/zh", "../pages/en")
    assert zh["theme"]["language"] == "zh" and en["theme"]["language"] == "en"
    assert en["theme"]["custom_dir"] == "overrides" and "INHERIT" not in en
    assert en["site_url"] == zh["site_url"] + "en/" and en["nav"][0] == {"Home": "index.md"}
    said = zensical(configs, dict(os.environ), venv=tmp_path / "venv")
    assert re.fullmatch(
        r"version 0\.0\.73 failed on zensical\.zh\.yml after \d+\.\d s: `RuntimeError: undefined value`", said
    )
    monkeypatch.setattr(scripts.bench.baseline.sys, "executable", str(tmp_path / "no-python"))
    said = zensical(configs, dict(os.environ), venv=tmp_path / "missing")
    assert said.startswith("not tried: it could not be installed"), said
    assert first_error("Building\nWARNING: slow\nerror: no theme\nfatal: stop\n") == "error: no theme"
    assert first_error("") == "(no output)"


def test_the_memory_of_a_build_counts_every_process_it_forks():
    """A forked process shares its parent's memory but writes its own: the figure is all of them, shared pages once."""
    each = 150 * 1024  # kB: what both share, then what each writes after the fork
    code = f"import os, time\nshared = bytearray({each} * 1024)\nos.fork()\nown = bytearray({each} * 1024)\n"
    code += "print('ready', flush=True)\ntime.sleep(30)\n"
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert process.stdout and process.stdout.readline() and process.stdout.readline()
        assert 2.8 * each < bench.tree_memory(process.pid) < 3.5 * each, "each process's pages once, shared ones once"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>{name}</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/shared.css"><script src="/assets/shared.js"></script>
<body>{name}{more}</body></html>"""
LEAVING = """<img src="https://example.invalid/a.png" alt=""><img src="http://192.0.2.1/b.png" alt=""><script>
  const later = (ms, run) => new Promise((done) => setTimeout(() => done(run()), ms));
  addEventListener("load", () => later(150, () => fetch("late.json"))
    .then(() => later(150, () => fetch("https://late.example.invalid/c").catch(() => {}))));
</script>"""


def test_a_survey_names_requests_that_would_leave_and_weighs_what_each_page_asks_for(tmp_path):
    """Requests to other hosts, by name or by address, are listed and go nowhere; a request a page starts well after
    it has loaded, once an earlier one has finished, still belongs to its visit. A survey's tab keeps its cache from
    page to page; what a page takes from it still counts, as downloaded."""
    for name, more in (("first", LEAVING), ("second", "")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(PAGE.format(name=name, more=more), encoding="utf-8")
    (tmp_path / "assets").mkdir()
    (tmp_path / "first" / "late.json").write_text("{}", encoding="utf-8")
    (tmp_path / "assets" / "shared.css").write_text("body { color: #222; }\n" * 400, encoding="utf-8")
    (tmp_path / "assets" / "shared.js").write_text("var shared = 1;\n" * 400, encoding="utf-8")
    visits = survey(tmp_path, ["first/", "second/"], concurrency=1)
    assert visits["first/"].errors == visits["second/"].errors == visits["second/"].outside == []
    assert sorted(visits["first/"].outside) == [
        "http://192.0.2.1/b.png",
        "https://example.invalid/a.png",
        "https://late.example.invalid/c",
    ]
    for name, late in (("first", ["first/late.json"]), ("second", [])):
        files = [f"{name}/index.html", "assets/shared.css", "assets/shared.js", *late]
        expected = sorted(
            ("/" + file.removesuffix("index.html"), 200, transfer_size(tmp_path / file)) for file in files
        )
        assert sorted((s.path, s.status, s.bytes) for s in visits[f"{name}/"].sent) == expected
