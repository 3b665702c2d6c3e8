"""`python -m scripts import WORKBOOK`: a filled draft into the package's CSVs, all or nothing: checked on a copy of the
package by `validate_package`, each problem mapped back to its sheet and cell (marked on a copy of the workbook)."""

import csv
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.workbook.workbook import Workbook

from scripts.checks.validate import validate_package
from scripts.data.messages import Text, label
from scripts.data.packages import RawPackage, discover, load_raw
from scripts.data.paths import display
from scripts.data.problems import Problem, errors
from scripts.data.sources import archived_text
from scripts.data.statements import STATED, differs
from scripts.maintain import workbook
from scripts.maintain.workbook import Filled, SheetRow

MARK = PatternFill("solid", fgColor="FFC7CE")  # Excel's own “bad” red


@dataclass
class Outcome:
    ok: bool
    lines: list[str] = field(default_factory=list)
    marked: Path | None = None
    added: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # why it was refused


def run_import(path: Path, datasets: Path, sources: Path) -> int:
    outcome = import_workbook(path, datasets, sources)
    print("\n".join(outcome.lines))
    return 0 if outcome.ok else 1


def import_workbook(path: Path, datasets: Path, sources: Path) -> Outcome:
    book, problems = workbook.open_workbook(path)
    package, problems = _target_package(book, datasets) if book else (None, problems)
    if book is None or package is None:
        return _refused(problems, None, path)
    filled = workbook.read_filled(book, package)
    restated(filled, package)
    filled.problems += _missing_texts(filled, package, sources)
    if filled.problems:
        return _refused(filled.problems, book, path, filled)
    if not any(filled.rows.values()):
        nothing = Problem(str(path), "nothing-to-import", {"left_out": _left_out(filled)})
        return Outcome(False, str(nothing).split("\n"), problems=[nothing])
    contents = appended(package, filled)
    with tempfile.TemporaryDirectory(prefix="import-") as scratch:
        copy = Path(scratch) / package.folder.name
        shutil.copytree(package.folder, copy)
        for path, data in contents.items():
            (copy / path.relative_to(package.folder)).write_bytes(data)
        report = validate_package(copy, sources)
        found = [_to_cell(p, package, copy, filled) for p in errors(report.problems)]
    if found:
        return _refused(found, book, path, filled)
    write_all(contents)
    added = {table: len(rows) for table, rows in filled.rows.items() if rows}
    listed = tuple(Text("report.imported-part", {"table": table, "count": n}) for table, n in added.items())
    listed += (Text("report.imported-preferred", {"count": len(filled.replaced)}),) if filled.replaced else ()
    imported = Text("report.imported", {"package": package.name, "added": listed, "left_out": _left_out(filled)})
    return Outcome(True, imported.lines() + Text("report.after-import").lines(), None, added)


def _target_package(book: Workbook, datasets: Path) -> tuple[RawPackage | None, list[Problem]]:
    name = str(book[workbook.READ_ME][workbook.PACKAGE_CELL].value or "") if workbook.READ_ME in book.sheetnames else ""
    folders, problems = discover(datasets)
    for package in (load_raw(folder)[0] for folder in folders):
        if package is not None and package.name == name:
            return package, []
    where = f"{workbook.READ_ME}!{workbook.PACKAGE_CELL}"
    other = Problem(where, "workbook-for-other-package", {"package": name, "datasets": display(datasets)})
    return None, [*problems, other]


def restated(filled: Filled, package: RawPackage) -> None:
    """Rows of the observations sheet that restate a held observation become its statements. A differing one ranked
    preferred takes the observation's row instead, and the value held until then becomes a statement (held_rank)."""
    observations, extra = package.tables.get("observations", []), workbook.extra_columns(package, "observations")
    if not extra:
        return
    held = {row["observation_id"]: index for index, row in enumerate(observations)}
    names, kept = workbook.field_names(package, workbook.STATEMENTS), []
    statements = filled.rows.setdefault(workbook.STATEMENTS, [])
    for row in filled.rows.get("observations", []):
        values, columns = row.values, {"statement_id": "observation_id"}
        index = held.get(values["observation_id"])
        if values.get("match") not in ("same", "differs") or index is None:
            kept.append(row)
            continue
        stated = values | {"rank": values.get("rank") or "normal"}
        if values["rank"] == "preferred" and differs(values, observations[index]):
            if index in filled.replaced:  # one value per observation: two rows cannot both replace it
                where = workbook.cell_name("observations", row.row, _columns(package, "observations").index("rank") + 1)
                first = {"observation": values["observation_id"], "first_row": filled.replaced[index].row}
                filled.problems.append(Problem(where, "preferred-twice", first, field="rank"))
                continue
            preferred = observations[index] | {name: values[name] for name in STATED}
            filled.replaced[index] = replace(row, values=preferred)
            reasons = {name: values[name] for name in ("rank_reason_zh", "rank_reason_en")}
            stated = observations[index] | reasons | {"rank": values.get("held_rank") or "normal"}
            columns |= {"rank": "held_rank"}
        statement = {name: stated.get(name, "") for name in names}
        statement["statement_id"] = f"{values['observation_id']}-{stated['source_id']}"
        statements.append(SheetRow(row.row, statement, "observations", columns))
    filled.rows["observations"] = kept


def _missing_texts(filled: Filled, package: RawPackage, sources: Path) -> list[Problem]:
    """A new row's excerpt is checked against the archived text: name the cell citing a missing one."""
    found, cited = [], workbook.provenance_tables(package)
    for table, rows in filled.rows.items():
        names = workbook.field_names(package, table)
        for row in rows if table in cited and "source_id" in names else []:
            source_id = row.values["source_id"]
            if source_id and archived_text(sources, source_id) is None:
                where = workbook.cell_name(table, row.row, names.index("source_id") + 1)
                missing = {"source_id": source_id, "folder": sources}
                found.append(Problem(where, "import-source-text-missing", missing, field="source_id"))
    return found


def csv_rows(original: bytes, header: list[str], rows: list[dict[str, str]]) -> bytes:
    """Rows to append to a CSV file, written the way the file is: its line ending and quoting."""
    text = original.decode("utf-8-sig")
    ending = "\r\n" if "\r\n" in text else "\n"
    quoting = csv.QUOTE_ALL if text.startswith('"') else csv.QUOTE_MINIMAL
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=ending, quoting=quoting)
    for row in rows:
        writer.writerow([row[name] for name in header])
    lead = ending if text and not text.endswith(("\n", "\r")) else ""
    return (lead + buffer.getvalue()).encode("utf-8")


def rewritten(original: bytes, header: list[str], rows: dict[int, dict[str, str]]) -> bytes:
    """The CSV with its data rows at these indexes (0: the first) written anew; every other byte as it was."""
    lines = original.decode("utf-8").splitlines(keepends=True)
    reader = csv.reader(lines)
    ends = [reader.line_num for _ in reader]  # the line after each record (a quoted field may span lines)
    for index, values in sorted(rows.items(), reverse=True):
        start, end = ends[index], ends[index + 1]
        new = csv_rows(original, header, [values]).decode("utf-8").lstrip("\r\n")
        lines[start:end] = [new if lines[end - 1].endswith(("\n", "\r")) else new.rstrip("\r\n")]
    return "".join(lines).encode("utf-8")


def appended(package: RawPackage, filled: Filled) -> dict[Path, bytes]:
    """The new content of every CSV that gains rows (the old bytes but for an observation a new value takes, then
    the new rows), code lists first: a row is never written before a new code it refers to."""
    cited = workbook.provenance_tables(package)
    contents: dict[Path, bytes] = {}
    for table in sorted(workbook.table_sheets(package), key=lambda name: name in cited):
        replaced = {i: r.values for i, r in filled.replaced.items()} if table == "observations" else {}
        if (rows := filled.rows.get(table)) or replaced:
            header, original = workbook.field_names(package, table), package.table_path(table).read_bytes()
            original = rewritten(original, header, replaced) if replaced else original
            contents[package.table_path(table)] = original + csv_rows(original, header, [r.values for r in rows or []])
    return contents


def write_all(contents: dict[Path, bytes]) -> None:
    """Replace every file by rename once all are written; if one rename fails, put back those already replaced."""
    originals = {path: path.read_bytes() for path in contents}
    staged: list[Path] = []
    try:
        for path, data in contents.items():
            with tempfile.NamedTemporaryFile(prefix=f".{path.name}.import-", dir=path.parent, delete=False) as out:
                staged.append(Path(out.name))
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            shutil.copymode(path, out.name)
        for done, (temporary, path) in enumerate(zip(staged, contents, strict=True)):
            try:
                os.replace(temporary, path)
            except OSError:
                for earlier in list(contents)[:done]:
                    earlier.write_bytes(originals[earlier])
                raise
    finally:
        for temporary in staged:
            temporary.unlink(missing_ok=True)


def _to_cell(found: Problem, package: RawPackage, copy: Path, filled: Filled) -> Problem:
    """A validation problem of the copy, at the sheet and cell of the workbook row it comes from."""
    for table in workbook.table_sheets(package):
        if found.file != display(copy / package.resource(table)["path"]):
            continue
        names = workbook.field_names(package, table)
        fields = [f for f in (found.field or "").split(", ") if f in names]
        name = fields[0] if fields else names[0]
        where = _cell(package, filled, table, found.row, name)
        if where is None:  # a problem in a row the package already had, or in the file as a whole
            return replace(found, file=display(package.folder / package.resource(table)["path"]))
        also = tuple(c for c in (_cell(package, filled, table, r, name) for r in found.also) if c)
        return replace(found, file=where, row=None, also=(), also_in=also)
    return replace(found, file=found.file.replace(str(copy), display(package.folder)))


def _cell(package: RawPackage, filled: Filled, table: str, csv_row: int | None, name: str) -> str | None:
    """The workbook cell of a CSV row the import wrote (a statement's is on the observations sheet), or None."""
    held = len(package.tables.get(table, []))
    index = -1 if csv_row is None else csv_row - 2
    replaced = filled.replaced if table == "observations" else {}
    rows = filled.rows.get(table, [])
    row = replaced.get(index) if index < held else rows[index - held] if index - held < len(rows) else None
    if row is None:
        return None
    sheet = row.sheet or table
    columns = _columns(package, sheet)
    name = row.columns.get(name, name)
    return workbook.cell_name(sheet, row.row, columns.index(name) + 1 if name in columns else 1)


def _columns(package: RawPackage, sheet: str) -> list[str]:
    return [column["name"] for column in workbook.columns(package, sheet)]


def _refused(problems: list[Problem], book: Workbook | None, path: Path, filled: Filled | None = None) -> Outcome:
    """The problems, and a copy of the workbook with each problem's cell marked and the problem as its comment."""
    lines = [line for p in problems for line in str(p).splitlines()]
    lines += Text("report.import-refused", {"count": len(problems)}).lines()
    marked = None
    if book is not None:
        notes: dict[tuple[str, str], list[str]] = {}
        for p in problems:
            sheet, _, cell = p.file.partition("!")
            if sheet in book.sheetnames and cell:
                notes.setdefault((sheet, cell), []).append(f"{p.text('zh')}\n{p.text('en')}")
        for (sheet, reference), texts in notes.items():
            book[sheet][reference].fill = MARK
            book[sheet][reference].comment = Comment("\n\n".join(texts)[:30000], "make import", width=420, height=220)
        marked = path.with_name(f"{path.stem}.problems.xlsx")
        book.save(marked)
        lines += Text("report.import-marked", {"marked": marked}).lines()
    if filled and any(filled.left_out.values()):
        lines.append(f"  {label(_left_out(filled))}")
    return Outcome(False, lines, marked, problems=problems)


def _left_out(filled: Filled) -> Text:
    parts = tuple(Text("report.left-out-part", {"table": t, "count": n}) for t, n in filled.left_out.items() if n)
    return Text("report.left-out", {"parts": parts or Text("phrase.none")})
