"""`python -m scripts release`: freeze each valid package's current version into releases/<version>/ with the SHA-256
of its files, never rewriting a frozen version. Nothing is written unless every version can be frozen."""

from pathlib import Path

from scripts.checks.validate import validate_package
from scripts.data.messages import Text
from scripts.data.model import load_package
from scripts.data.packages import DESCRIPTOR, discover
from scripts.data.paths import display
from scripts.data.problems import Problem, errors
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


def run_release(datasets: Path, sources: Path) -> int:
    folders, problems = discover(datasets)
    planned: list[tuple[str, str, Path, Files]] = []  # (package, version, folder, files) to freeze
    done: list[Text] = []
    for folder in folders:
        found = errors(validate_package(folder, sources).problems)
        if found:
            problems += found
            continue
        package = load_package(folder)
        version, files, target = package.version, current_files(package), release_folder(folder, package.version)
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
