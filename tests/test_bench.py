"""`make bench`: every target is a ratio of medians from one run; a missed one is named and makes it fail; its figures
land between the README's markers; its yardstick is a plain build of the same pages' text; an invalid edit under
serve is caught; a failing Zensical is only reported; the survey weighs what each page asks for."""

import re

import pytest
import yaml

from scripts.bench import bench
from scripts.bench.baseline import write_project, zensical, zensical_configs
from scripts.bench.browser import page_paths, survey, transfer_size
from scripts.bench.project import Server, copy_project

PERFECT = dict.fromkeys(bench.MIN_SCORES, 100)


@pytest.mark.parametrize(
    ("full", "kept", "performance", "missed"),
    [
        ([3.0, 27.0, 1.5], True, 100, ""),  # medians 3.0 and 4.0: 0.75×
        ([6.0, 6.0, 6.0], True, 100, ""),  # the target itself is met
        ([6.2, 0.1, 60.0], True, 100, "full build: 1.55× (target ≤ 1.5×)"),
        ([3.0, 3.0, 3.0], False, 100, "an invalid edit: no (target yes)"),
        ([3.0, 3.0, 3.0], True, 94, "Lighthouse performance of /slimming/ is 94 (target ≥ 95)"),
    ],
)
def test_every_target_is_a_ratio_of_figures_from_this_run_and_a_miss_is_named(full, kept, performance, missed):
    rows = [
        bench.ratio_row("full build", full, [4.0, 4.0, 36.0]),
        ("an invalid edit", "yes" if kept else "no", "yes", kept),
    ]
    scores = {"": (80_000, PERFECT), "slimming/": (90_000, PERFECT | {"performance": performance})}
    text, found = bench.markdown(rows, scores, "built in 1.0 s.", "commit `abc1234` on 2 cores")
    assert found == ([missed] if missed else [])
    assert text.endswith(f"Missed: {missed}." if missed else "Every target is met.")
    assert f"| heaviest chart page (`/slimming/`) | 87.9 KiB | {performance} | 100 | 100 | 100 |" in text
    assert "Zensical (a trial on the rendered pages, not a target): built in 1.0 s." in text


def test_the_figures_land_between_the_readmes_markers_and_it_states_the_targets(tmp_path):
    before, after = f"# Title\n\n{bench.START}\n", f"\n{bench.END}\n\n## Licence\n"
    readme = tmp_path / "README.md"
    readme.write_text(before + "old figures" + after, encoding="utf-8")
    bench.write_readme("new figures", readme)
    assert readme.read_text(encoding="utf-8") == before + "new figures" + after
    readme.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="bench:start"):
        bench.write_readme("x", readme)
    text = bench.README.read_text(encoding="utf-8")
    fast = re.search(r"^- \*\*Fast\*\*:.*?(?=^- \*\*|^$)", text, re.S | re.M)[0]
    figures = text.split(bench.START, 1)[1].split(bench.END, 1)[0]
    assert "1.5×" in fast and "1 GiB" in fast and "Zensical" in fast
    assert not re.search(r"\b1000?×", fast + figures), "no target of 100× or 1000× the data is left"
    for row in ("full build ÷ plain build, real data", "10× synthetic data", "a saved CSV edit", "peak memory"):
        assert row in figures, row


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


@pytest.mark.parametrize(("served_after", "kept"), [("Budget Bureau", True), ("Not Found", False)])
def test_an_invalid_edit_is_caught_if_the_served_page_loses_the_last_good_value(
    tmp_path, monkeypatch, served_after, kept
):
    """The bench watches only the server's console and the served page, whatever the server does inside."""
    page, log = tmp_path / "page.html", tmp_path / "serve.log"
    page.write_text("Budget Bureau", encoding="utf-8")
    log.write_text("Serving\n", encoding="utf-8")
    monkeypatch.setattr(bench, "fetch", lambda url: page.read_text(encoding="utf-8"))
    watched = Server("http://127.0.0.1:9/", tmp_path, tmp_path / "site", log)

    def rebuilt(*edit: str) -> None:
        page.write_text(served_after, encoding="utf-8")
        log.write_text("Serving\nThe data is invalid\n", encoding="utf-8")

    monkeypatch.setattr(watched, "edit", rebuilt)
    assert bench.keeps_last_good(watched, "Budget Bureau", watch=1) is kept


ZENSICAL_FAILS = """#!/bin/sh
[ "$1" = --version ] && { echo 0.0.73; exit 0; }
echo "Build started"; echo "No issues found"
printf 'Traceback (most recent call last):\\n  File "main.py", line 81\\nRuntimeError: undefined value\\n' >&2
exit 1
"""


def test_zensical_gets_each_editions_rendered_pages_and_failing_or_missing_is_reported(tmp_path):
    program = tmp_path / "venv" / "bin" / "zensical"
    program.parent.mkdir(parents=True)
    program.write_text(ZENSICAL_FAILS, encoding="utf-8")
    program.chmod(0o755)
    project = copy_project(tmp_path / "project")
    zh, en = (yaml.safe_load(path.read_text(encoding="utf-8")) for path in zensical_configs(project))
    assert (zh["docs_dir"], en["docs_dir"], zh["theme"]["language"]) == ("pages/zh", "pages/en", "zh")
    assert en["theme"]["custom_dir"] == "overrides" and "INHERIT" not in en and en["site_url"] == zh["site_url"] + "en/"
    said = zensical(project, venv=tmp_path / "venv")
    assert re.fullmatch(
        r"version 0\.0\.73 failed on zensical\.zh\.yml after \d+\.\d s: `RuntimeError: undefined value`", said
    )
    (tmp_path / "file").touch()  # no virtual environment can be made under it
    assert zensical(project, venv=tmp_path / "file" / "venv").startswith("not tried: it could not be installed")


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
    files = {"first/index.html": PAGE.format(name="first", more=LEAVING), "first/late.json": "{}"}
    files |= {"second/index.html": PAGE.format(name="second", more="")}
    files |= {"assets/shared.css": "body { color: #222; }\n" * 400, "assets/shared.js": "var shared = 1;\n" * 400}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    visits = survey(tmp_path, ["first/", "second/"], concurrency=1)
    assert visits["first/"].errors == visits["second/"].errors == visits["second/"].outside == []
    leaving = ["http://192.0.2.1/b.png", "https://example.invalid/a.png", "https://late.example.invalid/c"]
    assert sorted(visits["first/"].outside) == leaving
    for name, late in (("first", ["first/late.json"]), ("second", [])):
        asked = [f"{name}/index.html", "assets/shared.css", "assets/shared.js", *late]
        expected = sorted(
            ("/" + file.removesuffix("index.html"), 200, transfer_size(tmp_path / file)) for file in asked
        )
        assert sorted((s.path, s.status, s.bytes) for s in visits[f"{name}/"].sent) == expected
