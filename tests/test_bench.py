"""`make bench`: its figures land between the README's markers, and a missed target makes it fail."""

import pytest

from scripts.bench.bench import END, START, Build, Results, markdown, write_readme
from scripts.bench.browser import WEIGHT_BUDGET

PERFECT = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}


def results(weight: int = 90_000, seconds_100: float = 30.0, performance: int = 100) -> Results:
    builds = [
        Build(1, 124, 12.0, 400.0, 20.0, 68, 15_000, {"": weight, "slimming/": 80_000}),
        Build(10, 1_300, 16.0, 410.0, 25.0, 338, 26_000, {"": 100_000}),
        Build(100, 13_000, seconds_100, 460.0, 50.0, 3_038, 40_000, {"": 140_000}),
    ]
    return Results(builds, {"": PERFECT | {"performance": performance}}, "slimming/", "abc1234", "2 cores")


def test_targets_met_and_missed():
    assert results().misses() == []
    assert "Every target is met." in markdown(results())
    missed = results(weight=WEIGHT_BUDGET + 1, seconds_100=200.0, performance=90).misses()
    assert len(missed) == 4, missed  # weight, 100× build time, build time growing faster than the data, score
    assert "Missed:" in markdown(results(performance=90))


def test_figures_replace_what_stood_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\n{START}\nold figures\n{END}\n\n## Licence\n", encoding="utf-8")
    write_readme("| new | figures |", readme)
    assert readme.read_text(encoding="utf-8") == f"# Title\n\n{START}\n| new | figures |\n{END}\n\n## Licence\n"
    readme.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="bench:start"):
        write_readme("x", readme)
