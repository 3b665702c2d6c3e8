"""Find data packages and read their descriptors and CSV files, refusing what cannot be read faithfully."""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.paths import DATASETS, display
from scripts.problems import Problem

DESCRIPTOR = "datapackage.json"
UTF8_BOM = b"\xef\xbb\xbf"

SAVE_AS_UTF8 = (
    "save it as UTF-8: in Excel choose 另存为 → “CSV UTF-8（逗号分隔）”; in WPS choose 另存为 → CSV and "
    "encoding UTF-8; or convert it with `iconv -f GB18030 -t UTF-8 in.csv > out.csv`"
)


@dataclass
class RawPackage:
    """A package as read from disk: its descriptor and each table's rows as text, keyed by resource name."""

    folder: Path
    descriptor: dict[str, Any]
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    bom_resources: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return str(self.descriptor.get("name", self.folder.name))

    def resource(self, name: str) -> dict[str, Any]:
        return next(r for r in self.descriptor["resources"] if r.get("name") == name)

    def table_path(self, name: str) -> Path:
        return self.folder / self.resource(name)["path"]


def discover(datasets: Path = DATASETS) -> tuple[list[Path], list[Problem]]:
    """Package folders under datasets/; a folder without a descriptor is an error, not something to skip."""
    folders, problems = [], []
    for entry in sorted(datasets.iterdir()) if datasets.is_dir() else []:
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        if (entry / DESCRIPTOR).is_file():
            folders.append(entry)
        else:
            problems.append(
                Problem(
                    display(entry),
                    f"the folder has no {DESCRIPTOR}",
                    f"add a {DESCRIPTOR} describing the package, or move the folder out of datasets/",
                )
            )
    if not folders and not problems:
        problems.append(
            Problem(display(datasets), "no data packages found", f"add a folder with a {DESCRIPTOR} under datasets/")
        )
    return folders, problems


def read_descriptor(folder: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    path = folder / DESCRIPTOR
    where = display(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(where, "the descriptor is not UTF-8 text", "save datapackage.json as UTF-8")]
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [
            Problem(
                where,
                f"the descriptor is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})",
                "correct the JSON syntax there (a missing comma or quote, or a trailing comma, "
                "is the usual cause); `python -m json.tool datapackage.json` shows the spot",
            )
        ]
    if not isinstance(descriptor, dict):
        return None, [
            Problem(where, "the descriptor is not a JSON object", "the file must start with { and end with }")
        ]
    return descriptor, []


def decode_csv(path: Path) -> tuple[str | None, bool, list[Problem]]:
    """The text of a CSV file, whether it began with a UTF-8 BOM, and any problem; never guesses silently."""
    where = display(path)
    data = path.read_bytes()
    has_bom = data.startswith(UTF8_BOM)
    if has_bom:
        data = data[len(UTF8_BOM) :]
    try:
        return data.decode("utf-8"), has_bom, []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            return (
                None,
                has_bom,
                [Problem(where, f"the file is not UTF-8 (undecodable bytes on line {line})", SAVE_AS_UTF8)],
            )
        return (
            None,
            has_bom,
            [
                Problem(
                    where,
                    "the file is saved in GBK/GB18030 (the Chinese Windows encoding), "
                    "not UTF-8; reading it as UTF-8 would garble every Chinese character",
                    SAVE_AS_UTF8,
                    row=line,
                )
            ],
        )


def read_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def load_raw(folder: Path) -> tuple[RawPackage | None, list[Problem]]:
    """Descriptor and table text of one package, with every problem that stops them being read."""
    descriptor, problems = read_descriptor(folder)
    if descriptor is None:
        return None, problems
    package = RawPackage(folder, descriptor)
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return package, [
            Problem(
                display(folder / DESCRIPTOR),
                "the descriptor lists no resources",
                "add a “resources” list naming each CSV file of the package",
            )
        ]
    for index, resource in enumerate(resources):
        name, path = resource.get("name"), resource.get("path")
        if not isinstance(name, str) or not isinstance(path, str):
            problems.append(
                Problem(
                    display(folder / DESCRIPTOR),
                    f"resource {index + 1} lacks a “name” or a single “path”",
                    "give every resource a name and the path of its CSV file",
                )
            )
            continue
        file = folder / path
        if not file.is_file():
            problems.append(
                Problem(
                    display(folder / DESCRIPTOR),
                    f"resource “{name}” names the file {path}, which does not exist",
                    f"create {display(file)} or correct the path in the descriptor",
                )
            )
            continue
        text, has_bom, decode_problems = decode_csv(file)
        problems += decode_problems
        if has_bom:
            package.bom_resources.add(name)
            problems.append(
                Problem(
                    display(file),
                    "the file starts with a UTF-8 byte-order mark (as Excel saves it); it is read correctly",
                    "nothing needed; saving without the BOM keeps diffs clean",
                    severity="warning",
                )
            )
        if text is not None:
            package.tables[name] = read_rows(text)
    return package, problems
