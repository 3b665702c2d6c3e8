"""The draft and import commands as the command line runs them: arguments in, bilingual lines out, an exit code."""

from pathlib import Path

from scripts.data.messages import Text
from scripts.data.packages import discover, load_raw
from scripts.data.paths import ROOT, display
from scripts.data.problems import Problem
from scripts.data.sources import archived_text
from scripts.maintain.draft import counts, draft
from scripts.maintain.importer import import_workbook

DRAFTS = ROOT / "drafts"


def run_draft(source_id: str, datasets: Path, sources: Path, output: Path | None, package_name: str | None) -> int:
    text = archived_text(sources, source_id)
    if text is None:
        missing = {"source_id": source_id, "folder": sources}
        print(Problem(str(sources / f"{source_id}.txt"), "report-text-missing", missing))
        return 1
    folders, _ = discover(datasets)
    packages = [p for p in (load_raw(folder)[0] for folder in folders) if p is not None]
    chosen = [p for p in packages if package_name in (None, p.name)]
    citing = [p for p in chosen if any(r.get("source_id") == source_id for r in p.tables.get("sources", []))]
    chosen = citing or chosen
    if len(chosen) != 1:
        names = ", ".join(p.name for p in packages) or "none"
        print(Problem(display(datasets), "package-not-chosen", {"packages": names}))
        return 1
    path = output or DRAFTS / f"{source_id}.xlsx"
    drafted = {"path": display(path)} | counts(draft(chosen[0], source_id, text, path))
    print(*Text("report.drafted", drafted).lines(), sep="\n")
    print(Text("report.import-next", {"path": display(path)}).render("en"))
    return 0


def run_import(workbook: Path, datasets: Path, sources: Path) -> int:
    outcome = import_workbook(workbook, datasets, sources)
    print("\n".join(outcome.lines))
    return 0 if outcome.ok else 1
