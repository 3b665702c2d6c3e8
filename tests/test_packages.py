"""The published data packages and the fictional fixture the tests break copies of are valid, typed and complete."""

import collections
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from scripts.data.coverage import survey
from scripts.data.figures import DATE
from scripts.data.packages import DESCRIPTOR, load_raw
from scripts.data.paths import DATASETS, ROOT, sources_dir
from scripts.data.sources import paragraphs
from tests.conftest import FIXTURE, FIXTURE_DATASETS, FIXTURE_SOURCES, PACKAGE, archived
from tests.site_support import run_scripts

FOLDERS = {"real": (DATASETS, PACKAGE, sources_dir()), "fixture": (FIXTURE_DATASETS, FIXTURE, FIXTURE_SOURCES)}
EACH = pytest.mark.parametrize("which", list(FOLDERS))


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))


@EACH
def test_make_validate_passes(which):
    datasets, name, sources = FOLDERS[which]
    result = run_scripts(["validate", "--datasets", str(datasets), "--sources", str(sources)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"✓ {name} {_descriptor(datasets / name)['version']}" in result.stdout
    assert "ERROR" not in result.stdout


def test_the_fixture_has_every_table_and_field_of_the_real_package():
    real, fixture = (_descriptor(datasets / name)["resources"] for datasets, name, _ in FOLDERS.values())
    assert [(r["name"], r["path"], r["schema"]) for r in fixture] == [(r["name"], r["path"], r["schema"]) for r in real]


@EACH
def test_every_package_is_named_for_its_folder_and_frictionless_and_pandas_read_it_as_typed_data(which):
    cli = Path(sys.executable).with_name("frictionless")  # what a researcher runs
    for descriptor in sorted(FOLDERS[which][0].glob(f"*/{DESCRIPTOR}")):
        result = subprocess.run([str(cli), "validate", str(descriptor)], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, result.stdout
        meta = json.loads(descriptor.read_text(encoding="utf-8"))
        assert meta["name"] == descriptor.parent.name
        for resource in meta["resources"]:
            data = (descriptor.parent / resource["path"]).read_bytes()
            assert not data.startswith(b"\xef\xbb\xbf")
            frame = pd.read_csv(io.StringIO(data.decode("utf-8")), dtype_backend="pyarrow")
            assert list(frame.columns) == [f["name"] for f in resource["schema"]["fields"]]
            for field in resource["schema"]["fields"]:
                column = frame[field["name"]]
                if field["type"] in {"number", "integer"} and len(frame):  # no rows yet: no type to read
                    assert pd.api.types.is_numeric_dtype(column), (resource["name"], field["name"])
                if field["type"] in {"date", "datetime"}:
                    assert pd.to_datetime(column).notna().all()


@EACH
def test_every_figure_of_the_report_is_in_the_data(which):
    """Each number in the body of a report (after its title and dateline, before the byline) is a reported value,
    a date of a milestone or a period, or the count of the sections a change names."""
    datasets, name, sources = FOLDERS[which]
    package, _ = load_raw(datasets / name)
    dates = {r["date"] for r in package.tables["milestones"]} | {r["period"] for r in package.tables["observations"]}
    sections = collections.Counter(r["change_id"] for r in package.tables["change-sections"])
    for source in package.tables["sources"]:
        text = archived(sources / f"{source['source_id']}.txt").read_text(encoding="utf-8")
        byline = next(n for n, para in enumerate(paragraphs(text), start=1) if para.startswith("记者"))
        missing = [
            (f.paragraph, f.number.text)
            for f in survey(text, source["source_id"], package.tables)
            if 2 < f.paragraph < byline
            and (
                (f.number.is_figure and not f.held_by and all(sections[c] != f.number.value for c in f.quoted_by))
                or (f.number.kind == DATE and f.number.label not in dates)
            )
        ]
        assert missing == []
