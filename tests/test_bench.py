"""`make bench`: every target is a ratio of medians from one run, a miss named and failing, the figures written into
the README; an invalid edit under serve is caught; a failing Zensical is only reported; the survey weighs pages."""

import re

import pytest

from scripts.bench import bench
from scripts.bench.bench import zensical
from scripts.bench.browser import survey, transfer_size
from scripts.bench.project import Server, copy_project


@pytest.mark.parametrize(
    ("full", "performance", "missed"),
    [
        ([3.0, 27.0, 1.5], 100, ""),  # medians 3.0 and 4.0: 0.75×
        ([6.0, 6.0, 6.0], 100, ""),  # the target itself is met
        ([6.2, 0.1, 60.0], 100, "full build: 1.55× (target ≤ 1.5×)"),
        ([3.0, 3.0, 3.0], 94, "Lighthouse performance of /slimming/ is 94 (target ≥ 95)"),
    ],
)
def test_every_target_is_a_ratio_of_figures_from_this_run_and_a_miss_is_named(full, performance, missed, tmp_path):
    scores = {"": (80_000, dict.fromkeys(bench.MIN_SCORES, 100))}
    scores["slimming/"] = (90_000, scores[""][1] | {"performance": performance})
    rows = [bench.ratio_row("full build", full, [4.0, 4.0, 36.0])]
    text, found = bench.markdown(rows, scores, "built in 1.0 s.", "commit `abc1234` on 2 cores")
    assert found == ([missed] if missed else [])
    assert text.endswith(f"Missed: {missed}." if missed else "Every target is met.")
    assert f"| heaviest chart page (`/slimming/`) | 87.9 KiB | {performance} | 100 | 100 | 100 |" in text
    readme, before, after = tmp_path / "README.md", f"# Title\n\n{bench.START}\n", f"\n{bench.END}\n\n## Licence\n"
    readme.write_text(before + "old figures" + after, encoding="utf-8")
    bench.write_readme(text, readme)
    assert readme.read_text(encoding="utf-8") == before + text + after, "the figures land between the markers"
    readme.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="bench:start"):
        bench.write_readme(text, readme)


@pytest.mark.parametrize(("served_after", "kept"), [("Budget Bureau", True), ("Not Found", False)])
def test_an_invalid_edit_is_caught_if_the_served_page_loses_its_value(tmp_path, monkeypatch, served_after, kept):
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
[ "$1" = --version ] && echo 0.0.73 && exit
printf 'Build started\\nTraceback (most recent call last):\\nRuntimeError: undefined value\\nNo issues found\\n' >&2
exit 1"""


def test_a_failing_or_missing_zensical_is_only_reported(tmp_path):
    program = tmp_path / "venv" / "bin" / "zensical"
    program.parent.mkdir(parents=True)
    program.write_text(ZENSICAL_FAILS, encoding="utf-8")
    program.chmod(0o755)
    project = copy_project(tmp_path / "project")
    failed = r"version 0\.0\.73 failed on zensical\.zh\.yml after \d+\.\d s: `RuntimeError: undefined value`"
    assert re.fullmatch(failed, zensical(project, venv=tmp_path / "venv"))
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
    """Requests to other hosts are listed and go nowhere, late ones too; what a tab's cache gives still counts."""
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
        expected = sorted(("/" + f.removesuffix("index.html"), 200, transfer_size(tmp_path / f)) for f in asked)
        assert sorted((s.path, s.status, s.bytes) for s in visits[f"{name}/"].sent) == expected
