"""`python -m scripts release`: freeze each valid package's current version into releases/<version>/ with the SHA-256
of its files, never rewriting a frozen version (`--from-history`: also the changelog's earlier versions, from the git
history). Nothing is written unless every version can be frozen."""

import json
import subprocess
from pathlib import Path

from scripts.checks.validate import validate_package
from scripts.data.changelog import read_changelog
from scripts.data.messages import Text
from scripts.data.model import load_package
from scripts.data.packages import CHANGELOG, DESCRIPTOR, discover
from scripts.data.paths import display
from scripts.data.problems import Problem, errors
from scripts.site.outputs.downloads import served_descriptor
from scripts.site.outputs.versions import (
    RECORD,
    changed_data,
    current_files,
    frozen_files,
    record_text,
    release_folder,
    served_files,
)

Files = dict[str, bytes]  # path in the package's folder → content


def run_release(datasets: Path, sources: Path, from_history: bool = False) -> int:
    folders, problems = discover(datasets)
    planned: list[tuple[str, str, Path, Files]] = []  # (package, version, folder, files) to freeze
    done: list[Text] = []
    for folder in folders:
        found = errors(validate_package(folder, sources).problems)
        if found:
            problems += found
            continue
        package = load_package(folder)
        wanted, missing = history_versions(folder) if from_history else ({}, [])
        problems += missing
        for version, files in {**wanted, package.version: current_files(package)}.items():
            target = release_folder(folder, version)
            params = {"package": package.name, "version": version, "folder": display(target)}
            if not target.is_dir():
                planned.append((package.name, version, target, files))
            elif changed := changed_data(files, frozen_files(target)):
                files_shown = tuple(display(folder / path) for path in changed)
                params = {"version": version, "folder": display(target), "files": files_shown}
                problems.append(Problem(display(folder / DESCRIPTOR), "release-frozen-differs", params))
            else:
                done.append(Text("report.already-released", params))
    if errors(problems):
        print(*problems, *Text("report.release-refused", {"count": len(errors(problems))}).lines(), sep="\n")
        return 1
    for name, version, target, files in planned:
        freeze(name, version, target, files)
        params = {"package": name, "version": version, "folder": display(target), "files": len(files) + 1}
        done.append(Text("report.released", params))
    print(*(line for text in done for line in text.lines()), sep="\n")
    return 0


def freeze(package: str, version: str, target: Path, files: Files) -> None:
    """A version's files into its folder, with the record of their SHA-256 and of the zip made from them."""
    for path, content in files.items():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes(content)
    (target / RECORD).write_text(record_text(files, served_files(package, version, files)[-1]), encoding="utf-8")


def git(folder: Path, *args: str) -> bytes | None:
    """A git command's output in the package's folder; None if it fails (no history, no such file)."""
    try:
        result = subprocess.run(["git", *args], cwd=folder, capture_output=True, check=False)
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def history_versions(folder: Path) -> tuple[dict[str, Files], list[Problem]]:
    """The files of each earlier version of the changelog not frozen yet, at the last commit that carries it (edits
    were committed after a version was raised)."""
    entries, _ = read_changelog(folder)
    current = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8-sig"))["version"]
    wanted = {e.version for e in entries if e.version != current and not release_folder(folder, e.version).is_dir()}
    found: dict[str, Files] = {}
    log = git(folder, "log", "--format=%H", "--", ".") or b""
    for commit in log.decode().split():  # newest first: the first commit found with a version is its last state
        raw = git(folder, "show", f"{commit}:./{DESCRIPTOR}")
        descriptor = json.loads(raw.decode("utf-8-sig")) if raw else {}
        version = descriptor.get("version")
        if version in wanted and version not in found and (files := files_at(folder, commit, descriptor)):
            found[version] = files
    missing = sorted(wanted - found.keys())
    where = display(folder / CHANGELOG)
    return found, [Problem(where, "release-not-in-history", {"version": version}) for version in missing]


def files_at(folder: Path, commit: str, descriptor: dict) -> Files | None:
    """The package's files at a commit, as a release freezes them; None if its CSVs are not all there."""
    csvs: Files = {}
    for resource in descriptor["resources"]:
        content = git(folder, "show", f"{commit}:./{resource['path']}")
        if content is None:
            return None
        csvs[resource["path"]] = content
    files = {DESCRIPTOR: served_descriptor(descriptor, csvs), **csvs}
    changelog = git(folder, "show", f"{commit}:./{CHANGELOG}")
    return files | ({CHANGELOG: changelog} if changelog is not None else {})
