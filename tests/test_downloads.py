"""Every table can be downloaded from its page in every format, and each download holds exactly its rows."""

import io
import json
import re
import urllib.request
import zipfile

import openpyxl
import pandas as pd
from frictionless import Package

from scripts.data.changelog import read_changelog
from scripts.data.packages import DESCRIPTOR
from scripts.data.paths import DATASETS

DOWNLOAD = re.compile(r'<a href="(?P<href>[^"]+)" download class="md-button">(?P<format>[^<]+)</a>')


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:
        return response.read()


def descriptors() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(DATASETS.glob("*/datapackage.json"))]


def downloads_on(site_url: str, path: str) -> dict[str, str]:
    """The address of each download the page offers, by its format."""
    html = fetch(site_url + path).decode("utf-8")
    return {m["format"]: urllib.request.urljoin(site_url + path, m["href"]) for m in DOWNLOAD.finditer(html)}


def test_every_table_downloads_as_csv_xlsx_and_json_with_exactly_its_rows(site_url):
    for meta in descriptors():
        for resource in meta["resources"]:
            expected = pd.read_csv(DATASETS / meta["name"] / resource["path"], dtype=str, keep_default_na=False)
            links = downloads_on(site_url, f"data/{meta['name']}/{resource['name']}/")
            assert set(links) == {"CSV", "XLSX", "JSON"}, resource["name"]
            contents = {fmt: fetch(url) for fmt, url in links.items()}  # their hashes: test_download_checks
            csv = pd.read_csv(io.BytesIO(contents["CSV"]), dtype=str, keep_default_na=False)
            pd.testing.assert_frame_equal(csv, expected)
            sheet = openpyxl.load_workbook(io.BytesIO(contents["XLSX"])).active
            rows = list(sheet.iter_rows(values_only=True))
            assert list(rows[0]) == list(expected.columns) and len(rows) - 1 == len(expected)
            if resource["name"] == "observations":  # numbers stay numbers, Chinese text stays as written
                first = dict(zip(rows[0], rows[1], strict=True))
                assert isinstance(first["value"], int | float) and first["excerpt"] == expected["excerpt"][0]
            records = json.loads(contents["JSON"])
            assert len(records) == len(expected) and all(list(r) == list(expected.columns) for r in records)


def test_the_served_package_its_zip_and_its_oldest_version_validate_with_frictionless(site_url, tmp_path):
    for meta in descriptors():
        links = downloads_on(site_url, f"data/{meta['name']}/")
        archive = zipfile.ZipFile(io.BytesIO(fetch(links["ZIP"])))
        assert f"{meta['name']}/CHANGELOG.md" in archive.namelist()
        archive.extractall(tmp_path)
        for package in (Package(links["datapackage.json"]), Package(str(tmp_path / meta["name"] / DESCRIPTOR))):
            report = package.validate()
            assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
            for resource in meta["resources"]:
                rows = len(pd.read_csv(DATASETS / meta["name"] / resource["path"]))
                assert len(package.get_resource(resource["name"]).read_rows()) == rows
        oldest = read_changelog(DATASETS / meta["name"])[0][-1].version
        package = Package(f"{site_url}data/{meta['name']}/{oldest}/datapackage.json")
        report = package.validate()
        assert package.version == oldest and report.valid, report.flatten(["rowNumber", "fieldName", "message"])


def test_a_table_page_tells_excel_and_wps_users_to_take_the_xlsx_and_folds_its_checksums(site_pages):
    tables = [path for path, html in site_pages.items() if re.search(r'download class="md-button">XLSX</a>', html)]
    tables = [path for path in tables if re.fullmatch(r"(en/)?data/[^/]+/[^/]+/", path)]  # a table's page
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


def test_a_charts_data_writes_whole_numbers_without_a_decimal_point_and_its_table_heads_in_the_pages_language(
    built_site, site_pages
):
    files = sorted(built_site.glob("**/assets/charts/*.csv"))
    assert len(files) >= 6
    for path in files:
        cells = [cell for line in path.read_text(encoding="utf-8").splitlines()[1:] for cell in line.split(",")]
        assert not [cell for cell in cells if re.fullmatch(r"-?\d+\.0+", cell)], path
    for path in ("", "slimming/", "en/", "en/course/"):
        heads = re.findall(r'<div class="tabbed-block chart__data">.*?<thead><tr>(.*?)</tr>', site_pages[path], re.S)
        names = [name for head in heads for name in re.findall(r"<th[^>]*>([^<]+)</th>", head)]
        assert names and not [name for name in names if re.fullmatch(r"[a-z_]+", name)], (path, names)
        if not path.startswith("en/"):
            assert all(re.search(r"[\u4e00-\u9fff]", name) for name in names), (path, names)


def test_readers_get_every_figure_with_names_and_units_of_measure_in_their_language(site_url):
    """The package page of each edition offers a table for people: one row per figure, names not ids, the unit of
    measure, each figure's page; XLSX, and CSV with a byte-order mark so that Excel and WPS read it as UTF-8."""
    meta = descriptors()[0]
    observations = pd.read_csv(DATASETS / meta["name"] / "data" / "observations.csv", dtype=str, keep_default_na=False)
    units = pd.read_csv(DATASETS / meta["name"] / "data" / "units.csv", dtype=str).set_index("unit_id")
    for prefix, lang, heading in (("", "zh", "计量单位"), ("en/", "en", "Unit of measure")):
        page = f"{site_url}{prefix}data/{meta['name']}/"
        html = fetch(page).decode("utf-8")
        section = html[html.index('id="readable"') : html.index('id="tables"')]
        links = {m["format"]: urllib.request.urljoin(page, m["href"]) for m in DOWNLOAD.finditer(section)}
        assert set(links) == {"XLSX", "CSV"}
        raw = fetch(links["CSV"])
        assert raw.startswith("\ufeff".encode())
        table = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        sheet = list(openpyxl.load_workbook(io.BytesIO(fetch(links["XLSX"]))).active.iter_rows(values_only=True))
        assert list(sheet[0]) == list(table.columns) and len(sheet) - 1 == len(table) == len(observations)
        assert heading in table.columns and not any(re.fullmatch(r"[a-z_]+", c) for c in table.columns)
        shown = set(table.iloc[:, 0])  # every unit by its name in the edition's language, no id
        assert shown <= set(units[f"name_{lang}"]) and not shown & set(units.index)
        pages = [address.split("/", 3)[3] for address in table.iloc[:, -1]]  # the published address's path
        assert {page.rstrip("/").rsplit("/", 1)[1] for page in pages} == set(observations["observation_id"])
        assert all(page.startswith(f"{prefix}figures/") and fetch(site_url + page) for page in pages[:3])
