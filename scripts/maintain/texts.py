"""`python -m scripts sources` (`make sources`): is every archived source text here, and is each the text recorded (its
row's sha256)? It fetches nothing (no download of a report's page gives the archived bytes): it names each text
missing or differing with what to do, and prints the sha256 of a text no package cites yet (a new report)."""

from pathlib import Path

from scripts.checks.provenance import numbered, text_problem
from scripts.data.messages import Text
from scripts.data.packages import discover, load_raw
from scripts.data.paths import display
from scripts.data.problems import errors
from scripts.data.sources import find_text, sha256_of


def run_sources(datasets: Path, sources: Path) -> int:
    folders, problems = discover(datasets)
    lines: list[str] = []
    cited: set[Path] = set()
    for folder in folders:
        package, unreadable = load_raw(folder)
        if package is None:
            problems += unreadable
            continue
        file = display(package.table_path("sources"))
        for row_number, row in numbered(package.tables.get("sources") or []):
            text = find_text(sources, row["source_id"], row.get("sha256") or "")
            cited.add(text.path)
            problem = text_problem(text, file, row_number)
            if problem is None:
                found = {"package": package.name, "source_id": text.source_id, "path": display(text.path)}
                lines += Text("report.source-text-ok", found).lines()
            else:
                problems.append(problem)
    for path in sorted(set(sources.glob("*.txt")) - cited):
        new = {"path": display(path), "sha256": sha256_of(path), "source_id": path.stem}  # a new report's text
        lines += Text("report.source-text-uncited", new).lines()
    print(*lines, *map(str, problems), sep="\n")
    counts = {"count": len(errors(problems)) or len(cited), "folder": sources}
    outcome = Text("report.sources-failed" if errors(problems) else "report.sources-passed", counts)
    print(*outcome.lines(), sep="\n")
    return 1 if errors(problems) else 0
