"""Every released version of a package: its CHANGELOG.md entry, the rows it changed, and its files, served at its own
address byte for byte as `python -m scripts release` froze them in releases/<version>/, with SHA256SUMS (the SHA-256 of
each and of the version's zip). The build stops when a frozen file or the zip no longer matches its record, or when a
released version has no frozen copy. No git history is needed: the last commit alone holds every version."""

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from scripts.data.changelog import Correction, read_changelog
from scripts.data.model import Package
from scripts.data.packages import CHANGELOG, DESCRIPTOR
from scripts.data.paths import display
from scripts.data.problems import Problem
from scripts.site.outputs.downloads import Download, current_files, package_files, zip_name

RELEASES = "releases"  # in a package's folder: one folder per released version
RECORD = "SHA256SUMS"  # in a version's folder: `<sha256>  <path>` per line, as sha256sum writes it
Rows = dict[str, dict[str, dict[str, str]]]  # table → key → row


def version_root(package: str, version: str) -> str:
    """A version's address in the site: its page, and the folder of its files."""
    return f"data/{package}/{version}"


@dataclass(frozen=True)
class Version:
    package: str
    version: str
    date: date
    files: list[Download]  # as served at its address: descriptor, CSVs, zip
    frozen: bool  # False only for a current version not frozen yet, which a preview serves from the working files

    @property
    def root(self) -> str:
        return version_root(self.package, self.version)


@dataclass(frozen=True)
class TableDiff:
    table: str
    added: list[str]
    removed: list[str]
    changed: list[str]


@dataclass(frozen=True)
class Release:
    version: str
    date: date
    notes: list[str]
    diffs: list[TableDiff]
    corrections: list[Correction]  # rows this release corrects, from CHANGELOG.md


def release_folder(package_folder: Path, version: str) -> Path:
    return package_folder / RELEASES / version


def frozen_files(folder: Path) -> dict[str, bytes]:
    """The frozen files of a version's folder, by path in it (its record aside)."""
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != RECORD)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in found}


def served_files(package: str, version: str, files: dict[str, bytes]) -> list[Download]:
    """A version's files as its address serves them: descriptor, CSVs in its order, and the zip made from them."""
    return package_files(version_root(package, version), package, version, files)


def record_text(files: dict[str, bytes], archive: Download) -> str:
    """The record of a release: the SHA-256 of each frozen file and of its zip."""
    hashes = {path: hashlib.sha256(content).hexdigest() for path, content in files.items()}
    hashes[archive.path.rsplit("/", 1)[-1]] = archive.sha256
    return "".join(f"{sha}  {path}\n" for path, sha in hashes.items())


def check_release(package: str, version: str, folder: Path) -> tuple[list[Download], list[Problem]]:
    """A frozen version's served files, and every way its folder no longer matches its record."""
    record, recorded, problems = folder / RECORD, {}, []
    lines = record.read_text(encoding="utf-8").splitlines() if record.is_file() else []
    if not record.is_file():
        problems.append(Problem(display(record), "release-record-missing", {"folder": display(folder)}))
    for number, line in enumerate(lines, start=1):  # a line that is not `<sha256>  <path>` is a problem
        sha, _, name = line.partition("  ")
        if len(sha) != 64 or not name or any(c not in "0123456789abcdef" for c in sha):
            problems.append(Problem(display(record), "release-record-line", {"line": line}, row=number))
        else:
            recorded[name] = sha
    files = frozen_files(folder)
    archive = zip_name(package, version)
    for path in sorted((recorded.keys() | files.keys()) - {archive}):
        sha, actual = recorded.get(path), hashlib.sha256(files[path]).hexdigest() if path in files else None
        params = {"version": version, "record": RECORD}
        if sha is None:
            problems.append(Problem(display(folder / path), "release-file-unlisted", params))
        elif actual is None:
            problems.append(Problem(display(folder / path), "release-file-missing", params))
        elif actual != sha:
            params = {"version": version, "sha": sha, "actual": actual}
            problems.append(Problem(display(folder / path), "release-file-changed", params))
    if problems or not recorded:
        return [], problems
    served = served_files(package, version, files)
    if served[-1].sha256 != recorded.get(archive):
        params = {"version": version, "zip": archive, "sha": recorded.get(archive, "—"), "actual": served[-1].sha256}
        problems.append(Problem(display(record), "release-zip-changed", params))
    return served, problems


def versions(package: Package) -> tuple[list[Version], list[Problem]]:
    """Every version of the changelog with the files its address serves (newest first), and what stops the build:
    a released version without its frozen copy, or with one that no longer matches its record."""
    entries, _ = read_changelog(package.folder)
    listed: list[Version] = []
    problems: list[Problem] = []
    for entry in entries:
        folder = release_folder(package.folder, entry.version)
        if folder.is_dir():
            files, found = check_release(package.name, entry.version, folder)
            problems += found
            listed.append(Version(package.name, entry.version, entry.date, files, True))
        elif entry.version == package.version:
            files = served_files(package.name, entry.version, current_files(package))
            listed.append(Version(package.name, entry.version, entry.date, files, False))
        else:
            params = {"version": entry.version, "folder": display(folder)}
            problems.append(Problem(display(package.folder / CHANGELOG), "release-not-frozen", params))
    known = {entry.version for entry in entries}
    releases = package.folder / RELEASES
    for folder in sorted(p for p in releases.iterdir() if p.is_dir()) if releases.is_dir() else []:
        if folder.name not in known:
            problems.append(Problem(display(folder), "release-not-in-changelog", {"version": folder.name}))
    return listed, problems


def unreleased(package: Package) -> list[Problem]:
    """Why the package's working files are not its current version as released: it was never frozen, or its data
    (descriptor or CSVs) changed since. A build for publishing refuses them; a preview only says so."""
    folder = release_folder(package.folder, package.version)
    params = {"version": package.version, "folder": display(folder)}
    if not folder.is_dir():
        return [Problem(display(package.folder / DESCRIPTOR), "release-not-made", params)]
    changed = changed_data(current_files(package), frozen_files(folder))
    if not changed:
        return []
    files = tuple(display(package.folder / path) for path in changed)
    return [Problem(display(package.folder), "release-data-changed", params | {"files": files})]


def changed_data(now: dict[str, bytes], then: dict[str, bytes]) -> list[str]:
    """The files whose data differ: the CSVs, and the descriptor apart from the sizes and hashes it states of them (a
    changed CSV changes those alone). A changelog edited since makes no new version."""

    def described(path: str, content: bytes | None) -> object:
        if path != DESCRIPTOR or content is None:
            return content
        descriptor = json.loads(content)
        for resource in descriptor.get("resources", []):
            resource.pop("bytes", None)
            resource.pop("hash", None)
        return json.dumps(descriptor, ensure_ascii=False)

    paths = sorted((now.keys() | then.keys()) - {CHANGELOG})
    return [path for path in paths if described(path, now.get(path)) != described(path, then.get(path))]


def read_rows(folder: Path) -> Rows:
    """A package's rows by table and key, from the files of its folder (or of a version's frozen folder)."""

    def read(path: str) -> str:
        return (folder / path).read_text(encoding="utf-8").removeprefix("\ufeff")

    tables: Rows = {}
    for resource in json.loads(read(DESCRIPTOR))["resources"]:
        rows = csv.DictReader(io.StringIO(read(resource["path"]), newline=""))
        tables[resource["name"]] = {
            " / ".join(row.get(f, "") for f in resource["schema"]["primaryKey"]): row for row in rows
        }
    return tables


def diff(previous: Rows, current: Rows) -> list[TableDiff]:
    diffs = []
    for table in sorted(set(previous) | set(current)):
        old, new = previous.get(table, {}), current.get(table, {})
        changed = [key for key in new if key in old and new[key] != old[key]]
        result = TableDiff(table, [k for k in new if k not in old], [k for k in old if k not in new], changed)
        if result.added or result.removed or result.changed:
            diffs.append(result)
    return diffs


def releases(package: Package) -> list[Release]:
    """Every release with its notes and its row changes against the release before it (newest first): the current
    one's rows read from the package's files, earlier ones' from their frozen copies (no git history is needed). A
    release without either is listed without row changes (the build stops on it: versions)."""
    entries, _ = read_changelog(package.folder)
    folders = [package.folder if v == package.version else release_folder(package.folder, v) for v, *_ in entries]
    # each version's rows read once; each release against the one before it, the oldest against nothing
    snapshots = [read_rows(folder) if folder.is_dir() else None for folder in folders] + [{}]
    result = []
    for (version, day, notes, corrections), current, previous in zip(entries, snapshots, snapshots[1:], strict=False):
        diffs = diff(previous, current) if current is not None and previous is not None else []
        result.append(Release(version, day, notes, diffs, corrections))
    return result
