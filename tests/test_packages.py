"""The published data packages are valid, typed and complete."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

from scripts.data.packages import DESCRIPTOR
from scripts.data.paths import DATASETS, ROOT
from scripts.data.sources import normalise, paragraphs
from tests.conftest import PACKAGE

PACKAGE_DIR = DATASETS / PACKAGE


def test_make_validate_passes_on_the_real_packages(workspace):
    result = workspace.validate_command()
    assert result.returncode == 0, result.stdout + result.stderr
    version = json.loads((PACKAGE_DIR / DESCRIPTOR).read_text(encoding="utf-8"))["version"]
    assert f"✓ {PACKAGE} {version}" in result.stdout
    assert "ERROR" not in result.stdout


def test_frictionless_cli_validates_every_package():
    cli = Path(sys.executable).with_name("frictionless")
    for descriptor in sorted(DATASETS.glob(f"*/{DESCRIPTOR}")):
        result = subprocess.run([str(cli), "validate", str(descriptor)], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, result.stdout


def test_every_package_folder_is_its_kebab_case_name_and_has_utf8_csvs_without_bom():
    for descriptor in sorted(DATASETS.glob(f"*/{DESCRIPTOR}")):
        meta = json.loads(descriptor.read_text(encoding="utf-8"))
        assert meta["name"] == descriptor.parent.name
        for resource in meta["resources"]:
            data = (descriptor.parent / resource["path"]).read_bytes()
            assert not data.startswith(b"\xef\xbb\xbf")
            data.decode("utf-8")


def test_pandas_reads_every_table_as_typed_data():
    meta = json.loads((PACKAGE_DIR / DESCRIPTOR).read_text(encoding="utf-8"))
    for resource in meta["resources"]:
        frame = pd.read_csv(PACKAGE_DIR / resource["path"], dtype_backend="pyarrow")
        assert list(frame.columns) == [f["name"] for f in resource["schema"]["fields"]]
        for field in resource["schema"]["fields"]:
            column = frame[field["name"]]
            if field["type"] in {"number", "integer"}:
                assert pd.api.types.is_numeric_dtype(column), (resource["name"], field["name"])
            if field["type"] in {"date", "datetime"}:
                assert pd.to_datetime(column).notna().all()


def _values(table: str) -> pd.DataFrame:
    return pd.read_csv(PACKAGE_DIR / "data" / f"{table}.csv", dtype=str, keep_default_na=False)


def test_every_figure_of_the_report_is_in_the_data(archived_source):
    """Each number in the body of the report is a reported value, a date, or a count of named sections."""
    paras = paragraphs(archived_source.read_text(encoding="utf-8"))
    observations = _values("observations")
    reported = observations[observations["basis"] == "reported"]
    milestones = _values("milestones")
    dates = set(milestones["date"]) | set(observations["period"])
    changes = _values("changes").merge(_values("change-sections"), on="change_id")
    section_counts = changes.groupby("change_id").agg(excerpt=("excerpt", "first"), n=("section_zh", "size"))
    body = range(3, paras.index(next(p for p in paras if p.startswith("记者"))) + 1)
    missing = []
    for number in body:
        text = normalise(paras[number - 1])
        for match in re.finditer(r"(\d{4})年(?:(\d{1,2})月|上半年)?|(\d+(?:\.\d+)?)(万)?", text):
            year, month, digits, wan = match.groups()
            if year:
                label = f"{year}-{int(month):02d}" if month else (f"{year}-H1" if "上半年" in match[0] else year)
                if label not in dates:
                    missing.append((number, match[0]))
                continue
            value = float(digits) * (10_000 if wan else 1)
            stated = reported[reported["locator"] == str(number)]["value"].astype(float)
            counted = section_counts[section_counts["excerpt"].map(normalise).str.contains(f"{digits}个科室")]
            if not (stated == value).any() and not (counted["n"] == value).any():
                missing.append((number, match[0]))
    assert missing == []


def test_every_unit_has_a_chinese_and_english_name_and_every_indicator_a_definition():
    units = _values("units")
    assert (units["name_zh"] != "").all() and (units["name_en"] != "").all()
    indicators = _values("indicators")
    assert (indicators[["definition_zh", "definition_en", "unit_zh", "unit_en"]] != "").all().all()
