"""`python -m scripts draft SOURCE_ID`: a workbook with one row per figure of a report, for Excel or WPS.

Each figure the number finder (scripts/data/figures.py) reads in the archived text becomes an observation row with
its paragraph, the shortest clause around it (verbatim, within the excerpt limit), its value and qualifier, and the
strand of the report's heading it stands under (the rule validation holds rows to); the maintainer chooses unit,
indicator and period from drop-downs, translates the excerpt, states the scope of a city-level figure and gives the
row an id to import it. Dates become candidate milestone rows; figures the package already holds, and numbers that
are not figures (with the reason), are listed on their own sheets.
"""

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from scripts.checks.framing import CITY
from scripts.checks.glossary import GLOSSARY, terms_of
from scripts.data.coverage import Found, survey
from scripts.data.dates import date_span
from scripts.data.figures import DATE, REASONS
from scripts.data.messages import Joined, Text, label, texts
from scripts.data.packages import RawPackage
from scripts.data.problems import Problem
from scripts.data.sources import OVERVIEW, heading_strands, paragraphs, strand_under
from scripts.maintain.workbook import (
    DATA_ROWS,
    HELD,
    LISTS,
    NOT_FIGURES,
    PACKAGE_CELL,
    READ_ME,
    SOURCE_CELL,
    fields,
    fixed_codes,
    id_field,
    table_sheets,
)

HEADER_FONT = Font(bold=True)
PREFILLED = PatternFill("solid", fgColor="FFF2CC")  # the cells the draft filled in, for the maintainer to check
TO_FILL = PatternFill("solid", fgColor="DDEBF7")  # the cells the maintainer chooses
TEXT = "@"
PRECISIONS = {4: "year", 7: "month", 10: "day"}
PROMPT_LIMIT = 255  # Excel's limit for an input message: a longer one makes Excel repair (drop) the validation
WIDE = {"excerpt", "excerpt_en", "title_zh", "title_en", "scope_zh", "scope_en"}


def excerpt_limit(package: RawPackage) -> int:
    for spec in fields(package, "observations"):
        if spec["name"] == "excerpt":
            return int(spec.get("constraints", {}).get("maxLength", 80))
    return 80


def build_draft(package: RawPackage, source_id: str, text: str) -> Workbook:
    """The workbook for one source: read-me, one sheet per table, what is held and what is not a figure."""
    found = survey(text, source_id, package.tables, excerpt_limit(package))
    paras = paragraphs(text)
    headings = heading_strands(paras, package.tables.get("strands", []))
    book = Workbook()
    readme = book.active
    readme.title = READ_ME
    sheets = {name: book.create_sheet(name) for name in table_sheets(package)}
    lists = book.create_sheet(LISTS)
    code_lists = _code_lists(package, source_id)
    for name, sheet in sheets.items():
        _table_sheet(sheet, package, name, code_lists, lists)
    known_source = any(row.get("source_id") == source_id for row in package.tables.get("sources", []))
    if "sources" in sheets and not known_source:
        _prefill(sheets["sources"], package, "sources", [_source_row(package, source_id, text)])
    offered = [f for f in found if f.number.is_figure and not f.held_by]
    rows = [_observation(f, source_id, strand_under(f.paragraph, headings)) for f in offered]
    _prefill(sheets["observations"], package, "observations", rows, [f.number.text for f in offered])
    if "milestones" in sheets:
        candidates = [_milestone(f, source_id) for f in found if f.number.kind == DATE and not f.held_by]
        _prefill(sheets["milestones"], package, "milestones", [c for c in candidates if c])
    written, clause = _column("workbook.column-as-written"), _column("workbook.column-clause")
    _listing(
        book.create_sheet(HELD),
        ("locator", written, "value", _column("workbook.column-held-by"), clause),
        [(f.paragraph, f.number.text, f.number.value, ", ".join(f.held_by), f.clause) for f in found if f.held_by],
    )
    reason = "workbook.column-reason"  # the Chinese reason, then the English one
    _listing(
        book.create_sheet(NOT_FIGURES),
        ("locator", written, _column(reason), Text(reason).render("en"), clause),
        [
            (f.paragraph, f.number.text, *REASONS[f.number.kind], f.clause)
            for f in found
            if not f.number.is_figure and not f.held_by
        ],
    )
    _read_me(readme, package, source_id, paras, found, headings)
    book.move_sheet(LISTS, offset=len(book.sheetnames))
    lists.sheet_state = "hidden"
    book.active = 0
    return book


def _column(code: str) -> str:
    """A listing's column header: English, then Chinese (as written 原文)."""
    return f"{Text(code).render('en')} {Text(code).render('zh')}"


def _source_row(package: RawPackage, source_id: str, text: str) -> dict[str, Any]:
    row: dict[str, Any] = {"source_id": source_id}
    paras = paragraphs(text)
    if paras:
        row["title_zh"] = paras[0].strip()  # paragraph 1 is the title line, by the rule every locator counts by
    rules = {r.get("paragraph_rule_en") for r in package.tables.get("sources", [])}
    if len(rules) == 1:
        row["paragraph_rule_en"] = rules.pop()
    return row


def _observation(found: Found, source_id: str, strand_id: str | None) -> dict[str, Any]:
    value = found.number.value
    return ({"strand_id": strand_id} if strand_id else {}) | {
        "value": int(value) if value is not None and value.is_integer() else value,
        "qualifier": found.number.qualifier,
        "basis": "reported",
        "source_id": source_id,
        "locator": found.paragraph,
        "excerpt": found.clause,
    }


def _milestone(found: Found, source_id: str) -> dict[str, Any] | None:
    label = found.number.label
    precision = "half-year" if "-H" in label else PRECISIONS.get(len(label))
    span = date_span(label, precision) if precision else None
    if span is None:
        return None  # a month without its year, a quarter: listed on the not-figures sheet only
    return {
        "date": label,
        "precision": precision,
        "start_date": span[0].isoformat(),
        "end_date": span[1].isoformat(),
        "source_id": source_id,
        "locator": found.paragraph,
        "excerpt": found.clause,
    }


def _code_lists(package: RawPackage, source_id: str) -> dict[tuple[str, str], tuple[list[str], bool]]:
    """(table, field) → (the allowed codes, whether the list is closed) for every coded column."""
    found: dict[tuple[str, str], tuple[list[str], bool]] = {}
    for table in table_sheets(package):
        resource = package.resource(table)
        for fk in resource["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"] or table
            fixed = fixed_codes(package, target)
            if fixed:
                found[(table, fk["fields"][0])] = (fixed, True)
                continue
            codes = [row[fk["reference"]["fields"][0]] for row in package.tables.get(target, [])]
            if target == "sources" and source_id not in codes:
                codes.append(source_id)
            found[(table, fk["fields"][0])] = (codes, False)
        for spec in resource["schema"]["fields"]:
            enum = spec.get("constraints", {}).get("enum")
            if enum:
                found[(table, spec["name"])] = ([str(v) for v in enum], True)
    return found


def _table_sheet(sheet: Any, package: RawPackage, table: str, code_lists: dict, lists: Any) -> None:
    specs = fields(package, table)
    sheet.append([spec["name"] for spec in specs])
    for column, spec in enumerate(specs, start=1):
        letter = get_column_letter(column)
        header = sheet.cell(row=1, column=column)
        header.font = HEADER_FONT
        header.comment = Comment(_describe(spec), "make draft", width=320, height=160)
        sheet.column_dimensions[letter].width = 40 if spec["name"] in WIDE else 18
        if spec.get("type", "string") == "string":
            sheet.column_dimensions[letter].number_format = TEXT  # Excel keeps 2023-02 and 0561 as typed
        rows = f"{letter}2:{letter}{DATA_ROWS}"
        listed = code_lists.get((table, spec["name"]))
        if listed:
            codes, closed = listed
            index = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
            lists.cell(row=1, column=index, value=f"{table}.{spec['name']}")
            for row, code in enumerate(codes, start=2):
                lists.cell(row=row, column=index, value=code).number_format = TEXT
            target = get_column_letter(index)
            validation = DataValidation(
                type="list",
                formula1=f"{quote_sheetname(LISTS)}!${target}$2:${target}${max(len(codes), 1) + 1}",
                allow_blank=True,
                errorStyle="stop" if closed else "warning",
                error=label(Text("workbook.choose-from-list" if closed else "workbook.not-an-existing-code")),
                errorTitle=spec["name"][:32],
            )
        else:
            validation = DataValidation(allow_blank=True)
        validation.promptTitle = spec["name"][:32]
        validation.prompt = _prompt(spec)
        validation.showInputMessage = True
        validation.showErrorMessage = bool(listed)
        validation.add(rows)
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def _constraints(spec: dict[str, Any], codes: bool = True) -> list[str]:
    constraints = spec.get("constraints", {})
    lines = []
    if constraints.get("required"):
        lines.append(label(Text("workbook.required")))
    if codes and constraints.get("enum"):
        lines.append(label(Text("workbook.one-of", {"codes": ", ".join(map(str, constraints["enum"]))})))
    if constraints.get("maxLength"):
        lines.append(label(Text("workbook.max-length", {"limit": constraints["maxLength"]})))
    return lines


def _describe(spec: dict[str, Any]) -> str:
    """The field's description in Chinese and English and its constraints, as the header's comment shows them."""
    lines = [spec.get("description", ""), spec.get("description_en", ""), *_constraints(spec)]
    return "\n".join(line for line in lines if line)


def _prompt(spec: dict[str, Any]) -> str:
    """The input message: the description in both languages within Excel's limit (the longer one is shortened
    first, the drop-down then lists the codes); the header's comment keeps the whole text."""
    whole = _describe(spec)
    if len(whole) <= PROMPT_LIMIT:
        return whole
    zh, en = spec.get("description", ""), spec.get("description_en", "")
    extra = _constraints(spec, codes=False)
    room = PROMPT_LIMIT - sum(len(line) + 1 for line in extra) - 1
    zh = _shorten(zh, max(room // 2, room - len(en)))
    return "\n".join(line for line in (zh, _shorten(en, room - len(zh)), *extra) if line)


def _shorten(text: str, room: int) -> str:
    return text if len(text) <= room else text[: room - 1] + "…"


def _prefill(
    sheet: Any, package: RawPackage, table: str, rows: list[dict[str, Any]], notes: list[str] | None = None
) -> None:
    specs = fields(package, table)
    key = id_field(package, table)
    for index, values in enumerate(rows, start=2):
        for column, spec in enumerate(specs, start=1):
            cell = sheet.cell(row=index, column=column)
            value = values.get(spec["name"])
            if value is not None and value != "":
                cell.value = value
                cell.fill = PREFILLED
            elif spec["name"] == key or spec["name"] not in values:
                cell.fill = TO_FILL
            if spec.get("type", "string") == "string":
                cell.number_format = TEXT
            if spec["name"] == "value" and notes:
                written = label(Text("workbook.as-written", {"text": notes[index - 2]}))
                cell.comment = Comment(written, "make draft", width=220, height=60)
        sheet.cell(row=index, column=1).alignment = Alignment(vertical="top")


def _listing(sheet: Any, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    for row in rows:
        sheet.append(list(row))
    for column in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 60 if column == len(header) else 16
    sheet.freeze_panes = "A2"


def _read_me(
    sheet: Any, package: RawPackage, source_id: str, paras: list[str], found: list[Found], headings: dict[int, str]
) -> None:
    """The read-me sheet: the catalogue's readme lines, Chinese in column A and English in column B, then the codes."""
    pool = _read_me_facts(package, source_id, paras, found, headings)
    for zh, en in zip(texts("readme", pool, "zh"), texts("readme", pool, "en"), strict=True):
        sheet.append([zh, en])
    sheet[PACKAGE_CELL].value, sheet[SOURCE_CELL].value = package.name, source_id
    _codes(sheet, package)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 70
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _read_me_facts(
    package: RawPackage, source_id: str, paras: list[str], found: list[Found], headings: dict[int, str]
) -> dict[str, Any]:
    """What the read-me's lines say of this package and report."""
    figures = [f for f in found if f.number.is_figure]
    offered = sum(1 for f in figures if not f.held_by)
    fixed = ", ".join(r["name"] for r in package.descriptor["resources"] if fixed_codes(package, r["name"]))
    return {
        "package": package.name,
        "source_id": source_id,
        "figures": len(figures),
        "held": len(figures) - offered,
        "offered": offered,
        "held_sheet": HELD,
        "not_figures_sheet": NOT_FIGURES,
        "overview": OVERVIEW,
        "city": ", ".join(u["unit_id"] for u in package.tables.get("units", []) if u.get("unit_type") == CITY),
        "headings": _headings_line(paras, headings),
        "fixed_lists": Text("phrase.fixed-lists", {"fixed": fixed}) if fixed else "",
    }


def _headings_line(paras: list[str], headings: dict[int, str]) -> Text:
    if not headings:
        return Text("phrase.no-headings")
    listed = tuple(
        Text("phrase.heading", {"paragraph": number, "title": paras[number - 1].strip(), "strand": strand})
        for number, strand in sorted(headings.items())
    )
    return Text("phrase.headings", {"headings": Joined(listed, "phrase.heading-separator")})


def _codes(sheet: Any, package: RawPackage) -> None:
    """The codes the observations refer to, with their names, and the glossary's renderings for translating."""
    sheet.append([])
    sheet.append([label(Text("workbook.codes")), label(Text("workbook.names"))])
    for fk in package.resource("observations")["schema"].get("foreignKeys", []):
        target = fk["reference"]["resource"]
        sheet.append([f"observations.{fk['fields'][0]} ← {target}", ""])
        for row in package.tables.get(target, []):
            names = " / ".join(v for k, v in row.items() if k in {"name_zh", "name_en", "title_zh"} and v)
            sheet.append([next(iter(row.values())), names])
    for spec in fields(package, "observations"):
        codes = spec.get("constraints", {}).get("enum")
        if codes:
            sheet.append([f"observations.{spec['name']}: {', '.join(map(str, codes))}", ""])
            sheet.append([spec.get("description", ""), spec.get("description_en", "")])
    terms = terms_of(package.tables.get(GLOSSARY, []))
    if terms:
        sheet.append([])
        glossary = Text("workbook.glossary")
        sheet.append([glossary.render("zh"), glossary.render("en")])
        for term in terms:
            avoid = f" (not: {', '.join(term.avoid_en)})" if term.avoid_en else ""
            sheet.append([" / ".join(term.forms_zh), f"{term.term_en}{avoid}"])


def draft(package: RawPackage, source_id: str, text: str, output: Path) -> tuple[Path, list[Found]]:
    """Write the draft workbook; return where, and what the finder found."""
    book = build_draft(package, source_id, text)
    output.parent.mkdir(parents=True, exist_ok=True)
    book.save(output)
    return output, survey(text, source_id, package.tables, excerpt_limit(package))


def missing_text(sources: Path, source_id: str) -> Problem:
    return Problem(
        str(sources / f"{source_id}.txt"), "report-text-missing", {"source_id": source_id, "folder": sources}
    )
