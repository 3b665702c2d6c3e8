"""`make sources`: every archived source text is there and is the text its row of sources records; each one missing
or differing is named with what to do, and a text no package cites yet is listed with its sha256 (on the fixture)."""

import hashlib
import shutil
from pathlib import Path

import pytest

from scripts.__main__ import main
from scripts.checks.provenance import text_problem
from scripts.data.messages import Text
from scripts.data.paths import display
from scripts.data.sources import find_text
from tests.conftest import FIXTURE, FIXTURE_SOURCES

SOURCE = "fictional-2025-06-01-report"  # the fixture package's one source
NEW = "fictional-2026-01-10-report"  # the report the import tests add: in the folder, cited by no package yet


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, folder)
    return folder


def run(workspace, sources: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["sources", "--datasets", str(workspace.datasets), "--sources", str(sources)])
    return code, capsys.readouterr().out


def test_each_text_that_is_the_one_recorded_is_ok_and_a_new_one_is_listed_with_its_sha256(workspace, sources, capsys):
    code, out = run(workspace, sources, capsys)
    assert code == 0, out
    assert f"✓ {FIXTURE} / {SOURCE}: {display(sources / f'{SOURCE}.txt')} is the text recorded" in out
    new = sources / f"{NEW}.txt"
    sha256 = hashlib.sha256(new.read_bytes()).hexdigest()
    assert f"{display(new)} is cited by no package yet; its sha256 is {sha256}" in out
    assert f"make draft SOURCE={NEW}" in out
    cited = len(workspace.table("sources").read_text(encoding="utf-8").splitlines()) - 1  # one text per source
    assert f"✓ {cited} archived source text(s) in {sources}, each the text recorded." in out


FAULTS = {  # what is done to the first source's text or row, the problem's code and field
    "missing": (lambda w, text: text.unlink(), "source-text-missing", "source_id"),
    "changed": (lambda w, text: text.write_bytes(text.read_bytes() + b"\n"), "source-text-changed", "sha256"),
    "unrecorded": (lambda w, text: w.set("sources", SOURCE, "sha256", ""), "source-hash-unrecorded", "sha256"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_text_missing_changed_or_unrecorded_is_named_at_its_row_with_what_to_do(fault, workspace, sources, capsys):
    change, code, field = FAULTS[fault]
    text, recorded = sources / f"{SOURCE}.txt", workspace.get("sources", SOURCE, "sha256")
    change(workspace, text)
    status, out = run(workspace, sources, capsys)
    found = find_text(sources, SOURCE, workspace.get("sources", SOURCE, "sha256"))
    problem = text_problem(found, display(workspace.table("sources")), 2)
    assert status == 1 and problem and (problem.code, problem.field) == (code, field)
    now = hashlib.sha256(text.read_bytes()).hexdigest() if text.exists() else None
    named = {"missing": {"path": text, "folder": sources}, "changed": {"expected": recorded, "found": now}}
    assert all(problem.params[k] == v for k, v in named.get(fault, {"found": now}).items()), problem.params
    assert str(problem) in out  # with its fix, in Chinese and English
    assert "\n".join(Text("report.sources-failed", {"count": 1, "folder": sources}).lines()) in out
