"""Downloads of every table and package: CSV (canonical), XLSX, JSON, the descriptor and a zip, with their hashes."""

import copy
import functools
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from scripts.data.model import Package, Table
from scripts.data.packages import CHANGELOG, DESCRIPTOR
from scripts.site.outputs.cache import cached

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed so that the same data gives the same zip
OPENPYXL = version("openpyxl")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # a change to how workbooks are written


@dataclass(frozen=True)
class Download:
    path: str  # site-relative, e.g. downloads/huaibei-dakeshi-reform/data/units.csv
    content: bytes
    format: str  # CSV, XLSX, JSON, datapackage.json, ZIP
    media_type: str

    @property
    def size(self) -> int:
        return len(self.content)

    @functools.cached_property
    def sha256(self) -> str:  # once: every page that lists a download states its hash
        return hashlib.sha256(self.content).hexdigest()


def package_root(package: Package) -> str:
    return f"downloads/{package.name}"


def table_downloads(package: Package, table: Table) -> list[Download]:
    base = f"{package_root(package)}/{table.resource['path'].removesuffix('.csv')}"
    csv = table.path.read_bytes()
    # a workbook comes from the build cache when the same table was written before by the same code and openpyxl
    key = [OPENPYXL, CODE, table.name, table.fields, hashlib.sha256(csv).hexdigest()]
    records = [{k: _json_value(v) for k, v in row.items()} for row in table.records]
    text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    return [
        Download(f"{base}.csv", csv, "CSV", "text/csv"),
        Download(f"{base}.xlsx", cached("table-xlsx", key, lambda: xlsx(table)), "XLSX", XLSX_TYPE),
        Download(f"{base}.json", text.encode("utf-8"), "JSON", "application/json"),
    ]


def _json_value(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def xlsx(table: Table) -> bytes:
    names = [f["name"] for f in table.fields]
    return workbook(table.name, [names, *([_json_value(row[name]) for name in names] for row in table.records)])


def workbook(title: str, rows: list[list[Any]]) -> bytes:
    """A one-sheet workbook, its first row the headings, whose text cells stay text: a value starting with = + - @
    never becomes a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                cell.data_type = TYPE_STRING
                cell.quotePrefix = True
    sheet.freeze_panes = "A2"
    book.properties.creator = "huaibei-dakeshi-reform"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_dates(buffer.getvalue())


def _fixed_zip_dates(data: bytes) -> bytes:
    """openpyxl stamps the build time into the file; rewrite the archive so that the same data gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>1980-01-01T00:00:00Z", content)
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_DATE), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def served_descriptor(descriptor: dict[str, Any], csvs: dict[str, bytes]) -> bytes:
    """A descriptor as the site serves it: with the bytes and SHA-256 of each CSV (csvs: by the resource's path)."""
    served = copy.deepcopy(descriptor)
    for resource in served["resources"]:
        content = csvs[resource["path"]]
        resource.update(bytes=len(content), hash=f"sha256:{hashlib.sha256(content).hexdigest()}")
    return (json.dumps(served, ensure_ascii=False, indent=2) + "\n").encode()


def package_zip(name: str, descriptor: bytes, csvs: dict[str, bytes], changelog: bytes | None) -> bytes:
    """The zip of a package: its served descriptor, its CSVs in the descriptor's order and its changelog, in a folder
    named after it; fixed dates and order, so that the same files always give the same zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(f"{name}/{DESCRIPTOR}", ZIP_DATE), descriptor)
        for path, content in csvs.items():
            archive.writestr(zipfile.ZipInfo(f"{name}/{path}", ZIP_DATE), content)
        if changelog is not None:
            archive.writestr(zipfile.ZipInfo(f"{name}/{CHANGELOG}", ZIP_DATE), changelog)
    return buffer.getvalue()


def zip_name(name: str, version: str) -> str:
    return f"{name}-{version}.zip"


def current_files(package: Package) -> dict[str, bytes]:
    """What a release of the package freezes, as the files stand now: the served descriptor, CSVs and changelog."""
    csvs = {table.resource["path"]: table.path.read_bytes() for table in package.tables.values()}
    files = {DESCRIPTOR: served_descriptor(package.descriptor, csvs), **csvs}
    changelog = package.folder / CHANGELOG
    return files | ({CHANGELOG: changelog.read_bytes()} if changelog.is_file() else {})


def package_files(root: str, name: str, version: str, files: dict[str, bytes]) -> list[Download]:
    """A package's files as served at root: its descriptor, its CSVs in the descriptor's order, and their zip."""
    paths = [resource["path"] for resource in json.loads(files[DESCRIPTOR])["resources"]]
    csvs = {path: files[path] for path in paths}
    archive = package_zip(name, files[DESCRIPTOR], csvs, files.get(CHANGELOG))
    return [
        Download(f"{root}/{DESCRIPTOR}", files[DESCRIPTOR], DESCRIPTOR, "application/json"),
        *(Download(f"{root}/{path}", content, "CSV", "text/csv") for path, content in csvs.items()),
        Download(f"{root}/{zip_name(name, version)}", archive, "ZIP", "application/zip"),
    ]
