"""`make sources`: every archived source text is there and is the text its row of sources records; each one missing
or differing is named with what to do, and a text no package cites yet is listed with its sha256 (on the fixture)."""

import hashlib
import shutil
from pathlib import Path

import pytest

from scripts.__main__ import main
from scripts.data.paths import display
from tests.conftest import FIXTURE, FIXTURE_SOURCES

SOURCE = "fictional-2025-06-01-report"  # the fixture package's one source
NEW = "fictional-2026-01-10-report"  # the report the import tests add: in the folder, cited by no package yet


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    assert f"{display(new)} is cited by no package yet; its sha256 is {sha256(new)}" in out
    assert f"make draft SOURCE={NEW}" in out
    cited = len(workspace.table("sources").read_text(encoding="utf-8").splitlines()) - 1  # one text per source
    assert f"✓ {cited} archived source text(s) in {sources}, each the text recorded." in out


def test_a_missing_text_is_named_with_the_way_to_get_it(workspace, sources, capsys):
    (sources / f"{SOURCE}.txt").unlink()
    code, out = run(workspace, sources, capsys)
    assert code == 1
    where = f"ERROR {display(workspace.package / 'data' / 'sources.csv')}, row 2, field “source_id”"
    assert f"{where}: the archived text of source “{SOURCE}”, {sources / f'{SOURCE}.txt'}, is not there" in out
    assert "copy the archived texts folder" in out and "point SOURCES_DIR at the folder" in out
    assert "✗ 1 archived source text(s) missing or not the text recorded" in out and "downloads nothing" in out


def test_a_text_other_than_the_one_recorded_is_named_with_both_hashes(workspace, sources, capsys):
    text = sources / f"{SOURCE}.txt"
    recorded = sha256(text)
    text.write_bytes(text.read_bytes().replace("精简".encode(), "压减".encode(), 1))
    code, out = run(workspace, sources, capsys)
    assert code == 1
    assert f"field “sha256”: the archived text of source “{SOURCE}”, {text}, is not the text recorded" in out
    assert f"its sha256 should be {recorded} but is {sha256(text)}" in out
    assert "restore the archived text" in out and f"set sha256 to {sha256(text)}" in out


def test_a_source_that_records_no_sha256_is_given_the_one_to_record(workspace, sources, capsys):
    workspace.set("sources", SOURCE, "sha256", "")
    code, out = run(workspace, sources, capsys)
    assert code == 1
    assert f"source “{SOURCE}” records no sha256" in out and f"set sha256 to {sha256(sources / f'{SOURCE}.txt')}" in out
