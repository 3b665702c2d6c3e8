"""Every table can be downloaded from its page in every format, and each download holds exactly its rows."""

import io
import json
import re
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
from frictionless import Package

from scripts.data.paths import DATASETS

DOWNLOAD = re.compile(
    r'<a href="(?P<href>[^"]+)" download class="md-button">(?P<format>[^<]+)</a>.*?'
    r'<code class="sha256">(?P<sha>[0-9a-f]{64})</code>',
    re.S,
)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:
        return response.read()


def descriptors() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(DATASETS.glob("*/datapackage.json"))]


def downloads_on(site_url: str, path: str) -> dict[str, tuple[str, str]]:
    html = fetch(site_url + path).decode("utf-8")
    base = site_url + path
    return {m["format"]: (urllib.request.urljoin(base, m["href"]), m["sha"]) for m in DOWNLOAD.finditer(html)}


def test_every_table_downloads_as_csv_xlsx_and_json_with_exactly_its_rows(site_url):
    for meta in descriptors():
        for resource in meta["resources"]:
            expected = pd.read_csv(DATASETS / meta["name"] / resource["path"], dtype=str, keep_default_na=False)
            links = downloads_on(site_url, f"data/{meta['name']}/{resource['name']}/")
            assert set(links) == {"CSV", "XLSX", "JSON"}, resource["name"]
            contents = {fmt: fetch(url) for fmt, (url, _) in links.items()}  # their hashes: test_download_checks
            csv = pd.read_csv(io.BytesIO(contents["CSV"]), dtype=str, keep_default_na=False)
            pd.testing.assert_frame_equal(csv, expected)
            sheet = openpyxl.load_workbook(io.BytesIO(contents["XLSX"])).active
            rows = list(sheet.iter_rows(values_only=True))
            assert list(rows[0]) == list(expected.columns) and len(rows) - 1 == len(expected)
            if resource["name"] == "observations":  # numbers stay numbers, Chinese text stays as written
                first = dict(zip(rows[0], rows[1], strict=True))
                assert isinstance(first["value"], int | float) and first["excerpt"] == expected["excerpt"][0]
            records = json.loads(contents["JSON"])
            assert len(records) == len(expected) and list(records[0]) == list(expected.columns)


def test_the_served_package_and_its_zip_validate_with_frictionless(site_url, tmp_path):
    cli = Path(sys.executable).with_name("frictionless")
    for meta in descriptors():
        links = downloads_on(site_url, f"data/{meta['name']}/")
        url, _ = links["datapackage.json"]
        result = subprocess.run([str(cli), "validate", url], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout
        package = Package(url)
        for resource in meta["resources"]:
            rows = len(pd.read_csv(DATASETS / meta["name"] / resource["path"]))
            assert len(package.get_resource(resource["name"]).read_rows()) == rows
        archive = zipfile.ZipFile(io.BytesIO(fetch(links["ZIP"][0])))
        assert f"{meta['name']}/CHANGELOG.md" in archive.namelist()
        archive.extractall(tmp_path)
        report = Package(str(tmp_path / meta["name"] / "datapackage.json")).validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])


def test_a_table_page_tells_excel_and_wps_users_to_take_the_xlsx_and_folds_its_checksums(site_pages):
    tables = [path for path, html in site_pages.items() if 'download class="md-button">XLSX</a>' in html]
    assert len(tables) >= 20
    for path in tables:
        html = site_pages[path]
        hint = "请下载 XLSX" if not path.startswith("en/") else "Take the XLSX"
        assert hint in html and "Windows" in html, path
        checksums = re.findall(r'<code class="sha256">', html)
        folded = re.findall(
            r'<details class="download__check"><summary>[^<]+</summary><abbr[^>]*>sha256</abbr> <code', html
        )
        assert checksums and len(folded) == len(checksums), path


def test_a_charts_data_writes_whole_numbers_without_a_decimal_point(built_site):
    files = sorted(built_site.glob("**/assets/charts/*.csv"))
    assert len(files) >= 6
    for path in files:
        cells = [cell for line in path.read_text(encoding="utf-8").splitlines()[1:] for cell in line.split(",")]
        assert not [cell for cell in cells if re.fullmatch(r"-?\d+\.0+", cell)], path
