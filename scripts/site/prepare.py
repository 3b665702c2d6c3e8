"""What both editions are built from, made once per process for the same inputs: the validated packages, their
data downloads and their releases.

A build of both editions validates once; `make serve` keeps this between rebuilds and makes it again only when a
file it was made from changes (a data file, a source text, or the git commit that the releases are read from).
"""

import os
import pickle
import subprocess
import sys
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from scripts.checks.validate import PackageReport, summary, validate_all
from scripts.data.coverage import CITING_TABLES, Found, survey
from scripts.data.model import Package, load_package
from scripts.data.packages import discover
from scripts.data.paths import DATASETS, ROOT, sources_dir
from scripts.data.problems import Problem
from scripts.data.sources import archived_text
from scripts.site.downloads import Download
from scripts.site.publish import data_downloads
from scripts.site.releases import Release, releases

Fingerprint = tuple[tuple[str, int, int], ...]


class InvalidData(Exception):
    """The packages did not validate; the message is validation's report."""


class AwaitingVerdict(Exception):
    """Validation's reports were read before validation had given them."""


class Unvalidated:
    """Stands for validation's reports while validation runs (`make serve` makes the pages meanwhile): whatever reads
    them raises AwaitingVerdict, and is made again once the reports are in."""

    def __iter__(self) -> Any:
        raise AwaitingVerdict("validation has not reported yet")


@dataclass(frozen=True)
class Prepared:
    reports: list[PackageReport]
    packages: list[Package]
    data_files: tuple[dict[tuple[str, str], list[Download]], dict[str, list[Download]]]
    history: dict[str, list[Release]]
    report_text: str
    coverage: dict[str, dict[str, list[Found] | None]]  # package → source → its numbers (None: no archived text)


def fingerprint(datasets: Path, sources: Path) -> Fingerprint:
    """Every input file's path, size and modification time, and the commit the releases are read from."""
    entries = []
    for folder in (datasets, sources):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return (*entries, (head, 0, 0))


def prepare(datasets: Path, sources: Path) -> Prepared:
    """Validate every package and make what both editions share; InvalidData if any package is invalid."""
    reports, general = validate_all(datasets, sources)
    text = refuse_invalid(((), reports, general))
    return _assemble([report.folder for report in reports], sources, reports, text)


def _assemble(folders: list[Path], sources: Path, reports: list[PackageReport], text: str) -> Prepared:
    packages = [load_package(folder) for folder in folders]
    history = {package.name: releases(package) for package in packages}
    coverage = {package.name: source_coverage(package, sources) for package in packages}
    return Prepared(reports, packages, data_downloads(packages), history, text, coverage)


Validation = tuple[Fingerprint, list[PackageReport], list[Problem]]


def validation(datasets: Path, sources: Path) -> Validation:
    """validate_all() and the inputs' fingerprint as it was before and is after: what `make serve` runs in a process of
    its own while it builds from the same files (scripts/site/serve.py)."""
    stamp = fingerprint(datasets, sources)
    reports, general = validate_all(datasets, sources)
    return (stamp if fingerprint(datasets, sources) == stamp else ()), reports, general


def prepare_alongside(datasets: Path, sources: Path) -> tuple[Fingerprint, Prepared]:
    """What prepare() makes, made before validation has said whether the packages are valid (its report empty), and
    the fingerprint of the inputs it was made from. Only accept() makes it a prepared result."""
    stamp = fingerprint(datasets, sources)
    return stamp, _assemble(discover(datasets)[0], sources, [], "")


def refuse_invalid(checked: Validation) -> str:
    """Validation's report; InvalidData if it found an error."""
    _, reports, general = checked
    text, ok = summary(reports, general)
    if not ok:
        raise InvalidData(text)
    return text


def accept(stamp: Fingerprint, unchecked: Prepared, checked: Validation) -> Prepared:
    """The result of prepare_alongside(), once the validation of the same inputs found them valid (InvalidData if not;
    ValueError if the two saw different files: a file changed meanwhile)."""
    text = refuse_invalid(checked)
    seen, reports, _ = checked
    if seen != stamp:
        raise ValueError("the data changed while it was validated")
    result = replace(unchecked, reports=reports, report_text=text)
    _latest.clear()
    _latest.update(stamp=stamp, result=result)
    return result


def source_coverage(package: Package, sources: Path) -> dict[str, list[Found] | None]:
    """Each source's numbers and the rows that hold them (the data-quality page shows them in both editions)."""
    if "sources" not in package.tables:
        return {}
    # each source's citing rows, table by table in their order: survey looks only at the rows of its source, and
    # giving it every row made the cost the number of sources times the number of rows
    by_source: dict[Any, dict[str, list[dict[str, Any]]]] = {}
    for name in CITING_TABLES:
        for row in package.tables[name].records() if name in package.tables else []:
            by_source.setdefault(row.get("source_id"), {}).setdefault(name, []).append(row)
    coverage: dict[str, list[Found] | None] = {}
    for source in package.table("sources").records():
        source_id = str(source["source_id"])
        text = archived_text(sources, source_id)
        coverage[source_id] = None if text is None else survey(text, source_id, by_source.get(source_id, {}))
    return coverage


_latest: dict[str, Any] = {}


def prepared(datasets: Path = DATASETS, sources: Path | None = None) -> Prepared:
    """prepare(), reused within this process while no input has changed since it was made."""
    folder = sources or sources_dir()
    stamp = fingerprint(datasets, folder)
    if _latest.get("stamp") != stamp:
        _latest.clear()
        _latest.update(stamp=stamp, result=prepare(datasets, folder))
    return _latest["result"]


def prepared_forking(datasets: Path = DATASETS, sources: Path | None = None, max_rows: int = 40_000) -> Prepared:
    """prepared(), with validation run by a forked copy of this process while this one loads the model and makes the
    coverage and the downloads from the same files (about a third of the time of preparing, and more with more data).

    For a one-shot build, before it has started any thread (a forked copy has only the thread that forked). Above
    max_rows data rows the two are done in turn: each holds the whole data, and together they would hold it twice."""
    folder = sources or sources_dir()
    if _data_rows(datasets) > max_rows:
        return prepared(datasets, folder)
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the copy: validate, send the result, exit
        os.close(reader)
        try:
            sent = pickle.dumps(("done", validation(datasets, folder)))
        except BaseException:
            sent = pickle.dumps(("failed", traceback.format_exc()))
        with os.fdopen(writer, "wb") as out:
            out.write(sent)
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as received:
        try:
            stamp, unchecked = prepare_alongside(datasets, folder)
        except Exception:
            refuse_invalid(_validated(received, pid))  # what made this fail is best told by validation
            raise
        checked = _validated(received, pid)
    try:
        return accept(stamp, unchecked, checked)
    except ValueError:  # a file changed meanwhile: validate what is there now
        return prepared(datasets, folder)


def _validated(received: IO[bytes], pid: int) -> Validation:
    outcome, result = pickle.loads(received.read())
    os.waitpid(pid, 0)
    if outcome != "done":
        raise RuntimeError(f"validation failed in its process:\n{result}")
    return result


def _data_rows(datasets: Path) -> int:
    """Lines of every data file (a header each): enough to tell how large the data is without reading it."""
    return sum(path.read_bytes().count(b"\n") for path in datasets.glob("*/data/*.csv"))
