"""`python -m scripts draft SOURCE_ID`: a workbook for Excel or WPS with a row per figure of a report the package does
not hold yet (each matched to a held observation it restates), candidate milestones and claims, and a read-me."""

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from scripts.checks.editorial import CITY, GLOSSARY, terms_of
from scripts.data.coverage import Found, candidate_claims, survey
from scripts.data.dates import PATTERNS, date_span
from scripts.data.figures import DATE, REASONS
from scripts.data.messages import Joined, Text, label, texts
from scripts.data.packages import RawPackage, discover, load_raw
from scripts.data.paths import ROOT, display
from scripts.data.problems import Problem
from scripts.data.sources import (
    OVERVIEW,
    archived_text,
    heading_strands,
    paragraphs,
    sha256_of,
    strand_under,
    text_path,
)
from scripts.maintain import workbook
from scripts.maintain.matching import DIFFERS, NEW, Match, Matcher

HEADER_FONT = Font(bold=True)
PREFILLED = PatternFill("solid", fgColor="FFF2CC")  # the cells the draft filled in, for the maintainer to check
TO_FILL = PatternFill("solid", fgColor="DDEBF7")  # the cells the maintainer chooses
DIFFERING = PatternFill("solid", fgColor="F8CBAD")  # a restated figure whose value differs from the held one
TEXT = "@"
PROMPT_LIMIT = 255  # Excel's limit for an input message: a longer one makes Excel repair (drop) the validation
DATA_ROWS = 1000  # rows that carry input messages, drop-downs and the text format
WIDE = {"excerpt", "excerpt_en", "title_zh", "title_en", "scope_zh", "scope_en"}
CodeLists = dict[tuple[str, str], tuple[list[str], bool]]
DRAFTS = ROOT / "drafts"
DATELINE = 2  # the line under the title: when the report was published (2025-04-18 09:33 …), not an event of the reform
DATED = re.compile(r"\s*\d{4}-\d{2}-\d{2}\b")


def run_draft(source_id: str, datasets: Path, sources: Path, output: Path | None, package_name: str | None) -> int:
    text = archived_text(sources, source_id)
    if text is None:
        missing = {"source_id": source_id, "folder": sources}
        print(Problem(str(sources / f"{source_id}.txt"), "report-text-missing", missing))
        return 1
    packages = [p for p in (load_raw(folder)[0] for folder in discover(datasets)[0]) if p is not None]
    chosen = [p for p in packages if package_name in (None, p.name)]
    chosen = [p for p in chosen if any(r.get("source_id") == source_id for r in p.tables.get("sources", []))] or chosen
    if len(chosen) != 1:
        names = ", ".join(p.name for p in packages) or "none"
        print(Problem(display(datasets), "package-not-chosen", {"packages": names}))
        return 1
    path = output or DRAFTS / f"{source_id}.xlsx"
    found = draft(chosen[0], source_id, text, path, sha256_of(text_path(sources, source_id)) or "")
    print(*Text("report.drafted", {"path": display(path)} | counts(found)).lines(), sep="\n")
    print(Text("report.import-next", {"path": display(path)}).render("en"))
    return 0


def counts(found: list[Found]) -> dict[str, int]:
    figures = [f for f in found if f.number.is_figure]
    offered = sum(1 for f in figures if not f.held_by)
    return {"figures": len(figures), "held": len(figures) - offered, "offered": offered}


def draft(package: RawPackage, source_id: str, text: str, output: Path, sha256: str) -> list[Found]:
    """Write the draft workbook for one source (sha256: its archived text's, for a new row of sources)."""
    found = survey(text, source_id, package.tables, _excerpt_limit(package, "observations"))
    paras = paragraphs(text)
    headings = heading_strands(paras, package.tables.get("strands", []))
    book = Workbook()
    book.active.title = workbook.READ_ME
    code_lists = _code_lists(package, source_id)
    sheets = {t: _table_sheet(book.create_sheet(t), package, t, code_lists) for t in workbook.table_sheets(package)}
    if "sources" in sheets and not any(r.get("source_id") == source_id for r in package.tables.get("sources", [])):
        rules = {r.get("paragraph_rule_en") for r in package.tables.get("sources", [])}
        rule = {"paragraph_rule_en": rules.pop()} if len(rules) == 1 else {}
        title = {"title_zh": paras[0].strip()} if paras else {}  # paragraph 1 is the title line, as locators count
        _prefill(sheets["sources"], package, "sources", [{"source_id": source_id, "sha256": sha256} | rule | title])
    _observations(sheets["observations"], package, source_id, [f for f in found if not f.held_by], paras, headings)
    if "milestones" in sheets:
        dateline = DATELINE if len(paras) >= DATELINE and DATED.match(paras[DATELINE - 1]) else None
        dated = [f for f in found if f.number.kind == DATE and not f.held_by and f.paragraph != dateline]
        dates = [(f, _milestone(f.number.label)) for f in dated]
        _prefill(sheets["milestones"], package, "milestones", [m | _cites(f, source_id) for f, m in dates if m])
    claims = _claims(package, source_id, paras, headings) if "claims" in sheets else []
    if claims:
        _prefill(sheets["claims"], package, "claims", claims)
    written, clause = _column("workbook.column-as-written"), _column("workbook.column-clause")
    held = [(f.paragraph, f.number.text, f.number.value, ", ".join(f.held_by), f.clause) for f in found if f.held_by]
    by = _column("workbook.column-held-by")
    _listing(book.create_sheet(workbook.HELD), ("locator", written, "value", by, clause), held)
    reason = "workbook.column-reason"  # the Chinese reason, then the English one
    others = [f for f in found if not f.number.is_figure and not f.held_by]
    header = ("locator", written, _column(reason), Text(reason).render("en"), clause)
    rest = [(f.paragraph, f.number.text, *REASONS[f.number.kind], f.clause) for f in others]
    _listing(book.create_sheet(workbook.NOT_FIGURES), header, rest)
    listed = tuple(
        Text("phrase.heading", {"paragraph": number, "title": paras[number - 1].strip(), "strand": strand})
        for number, strand in sorted(headings.items())
    )
    joined = Text("phrase.headings", {"headings": Joined(listed, "phrase.heading-separator")})
    pool = counts(found) | {"claims": len(claims), "headings": joined if listed else Text("phrase.no-headings")}
    _read_me(book[workbook.READ_ME], package, source_id, pool)
    _lists(book.create_sheet(workbook.LISTS), code_lists)
    output.parent.mkdir(parents=True, exist_ok=True)
    book.save(output)
    return found


def _excerpt_limit(package: RawPackage, table: str) -> int:
    """The longest excerpt the table's schema allows: the longest clause the draft offers for it."""
    excerpt = next((s for s in workbook.fields(package, table) if s["name"] == "excerpt"), {})
    return int(excerpt.get("constraints", {}).get("maxLength", 80))


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and value.is_integer() else value


def _observations(
    sheet: Any, package: RawPackage, source_id: str, found: list[Found], paras: list[str], headings: dict[int, str]
) -> None:
    """A row per figure, then the held observation it restates: match, held value (highlighted where it differs),
    the default rank, and the cells a conflict asks for."""
    offered = [f for f in found if f.number.is_figure]
    names = [spec["name"] for spec in workbook.columns(package, "observations")]
    at = {name: names.index(name) + 1 for name in workbook.MATCH_COLUMNS if name in names}
    matcher = Matcher(package.tables, source_id) if workbook.extra_columns(package, "observations") else None
    matches = [matcher.match(f, paras[f.paragraph - 1]) if matcher else Match(NEW) for f in offered]
    rows = []
    for f, match in zip(offered, matches, strict=True):
        strand = strand_under(f.paragraph, headings)
        row = {"value": _number(f.number.value), "qualifier": f.number.qualifier, "basis": "reported"}
        restates = {"observation_id": match.observation_id} if match.observation_id else {}
        rows.append(({"strand_id": strand} if strand else {}) | row | _cites(f, source_id) | restates)
    _prefill(sheet, package, "observations", rows, [f.number.text for f in offered])
    for row, match in enumerate(matches if matcher else [], start=2):
        values = {"match": match.match, "held_value": _number(match.held_value)}
        values["rank"] = "normal" if match.observation_id else None
        for name, value in values.items():
            cell = sheet.cell(row=row, column=at[name], value=value)
            cell.fill = DIFFERING if match.match == DIFFERS and name != "rank" else PREFILLED
        for name in ("rank_reason_zh", "rank_reason_en", "held_rank"):  # what a conflict asks for
            sheet.cell(row=row, column=at[name]).fill = TO_FILL if match.match == DIFFERS else PatternFill()


def _claims(package: RawPackage, source_id: str, paras: list[str], headings: dict[int, str]) -> list[dict[str, Any]]:
    """Clauses outside the title and headings that assert an outcome and no claim quotes yet (the observation giving
    a claim's figure is the maintainer's to name)."""
    cited = [r for r in package.tables.get("claims", []) if r.get("source_id") == source_id]
    held = [(int(r["locator"]), r["excerpt"]) for r in cited if r.get("locator", "").isdigit()]
    found = candidate_claims(paras, {1, *headings}, held, _excerpt_limit(package, "claims"))
    cites = [{"source_id": source_id, "locator": c.paragraph, "excerpt": c.clause} for c in found]
    return [{"strand_id": strand_under(c["locator"], headings)} | c if headings else c for c in cites]


def _column(code: str) -> str:
    """A listing's column header: English, then Chinese (as written 原文)."""
    return f"{Text(code).render('en')} {Text(code).render('zh')}"


def _cites(found: Found, source_id: str) -> dict[str, Any]:
    return {"source_id": source_id, "locator": found.paragraph, "excerpt": found.clause}


def _milestone(label: str) -> dict[str, Any] | None:
    spans = ((precision, date_span(label, precision)) for precision in PATTERNS)
    precision, span = next(((p, s) for p, s in spans if s), ("", None))
    if span is None:
        return None  # a month without its year, a quarter: listed on the not-figures sheet only
    return {"date": label, "precision": precision, "start_date": span[0].isoformat(), "end_date": span[1].isoformat()}


def _code_lists(package: RawPackage, source_id: str) -> CodeLists:
    """(table, field) → (the allowed codes, whether the list is closed) for every coded column, in sheet order."""
    found: CodeLists = {}
    for table in workbook.table_sheets(package):
        schema = package.resource(table)["schema"]
        references = {fk["fields"][0]: fk["reference"] for fk in schema.get("foreignKeys", [])}
        for spec in schema["fields"]:
            name, enum = spec["name"], spec.get("constraints", {}).get("enum")
            if enum:
                found[(table, name)] = ([str(v) for v in enum], True)
            elif name in references:
                target = references[name]["resource"] or table
                fixed = workbook.fixed_codes(package, target)
                codes = fixed or [row[references[name]["fields"][0]] for row in package.tables.get(target, [])]
                extra = [source_id] if target == "sources" and source_id not in codes else []
                found[(table, name)] = (codes + extra, bool(fixed))
    return found


def _lists(sheet: Any, code_lists: CodeLists) -> None:
    """The hidden sheet the drop-downs read their codes from."""
    for column, ((table, name), (codes, _)) in enumerate(code_lists.items(), start=1):
        sheet.cell(row=1, column=column, value=f"{table}.{name}")
        for row, code in enumerate(codes, start=2):
            sheet.cell(row=row, column=column, value=code).number_format = TEXT
    sheet.sheet_state = "hidden"


def _table_sheet(sheet: Any, package: RawPackage, table: str, code_lists: CodeLists) -> Any:
    specs = workbook.columns(package, table)
    sheet.append([spec["name"] for spec in specs])
    for column, spec in enumerate(specs, start=1):
        letter, name = get_column_letter(column), spec["name"]
        header = sheet.cell(row=1, column=column)
        header.font = HEADER_FONT
        header.comment = Comment(_described(spec), "make draft", width=320, height=160)
        sheet.column_dimensions[letter].width = 40 if name in WIDE else 18
        if spec.get("type", "string") == "string":
            sheet.column_dimensions[letter].number_format = TEXT  # Excel keeps 2023-02 and 0561 as typed
        prompt = _described(spec, PROMPT_LIMIT)
        validation = DataValidation(allow_blank=True, promptTitle=name[:32], prompt=prompt, showInputMessage=True)
        if (table, name) in code_lists:
            codes, closed = code_lists[(table, name)]
            target = get_column_letter(list(code_lists).index((table, name)) + 1)
            validation.type, validation.errorStyle = "list", "stop" if closed else "warning"
            validation.formula1 = f"{quote_sheetname(workbook.LISTS)}!${target}$2:${target}${max(len(codes), 1) + 1}"
            validation.error = label(Text("workbook.choose-from-list" if closed else "workbook.not-an-existing-code"))
            validation.errorTitle, validation.showErrorMessage = name[:32], True
        validation.add(f"{letter}2:{letter}{DATA_ROWS}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    return sheet


def _described(spec: dict[str, Any], room: int | None = None) -> str:
    """The field's descriptions and constraints, as the header's comment shows them; with room, as its input message
    (the longer language shortened first, the codes left to the drop-down when the whole is too long)."""
    constraints = spec.get("constraints", {})
    zh, en = spec.get("description", ""), spec.get("description_en", "")
    extra = [label(Text("workbook.required"))] if constraints.get("required") else []
    if constraints.get("enum") and (room is None or len(_described(spec)) <= room):
        extra.append(label(Text("workbook.one-of", {"codes": ", ".join(map(str, constraints["enum"]))})))
    if constraints.get("maxLength"):
        extra.append(label(Text("workbook.max-length", {"limit": constraints["maxLength"]})))
    if room is not None:
        room -= sum(len(line) + 1 for line in extra) + 1
        zh = _shorten(zh, max(room // 2, room - len(en)))
        en = _shorten(en, room - len(zh))
    return "\n".join(line for line in (zh, en, *extra) if line)


def _shorten(text: str, room: int) -> str:
    return text if len(text) <= room else text[: room - 1] + "…"


def _prefill(
    sheet: Any, package: RawPackage, table: str, rows: list[dict[str, Any]], notes: list[str] | None = None
) -> None:
    key = workbook.id_field(package, table)
    for index, values in enumerate(rows, start=2):
        for column, spec in enumerate(workbook.fields(package, table), start=1):
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
    for row in [header, *rows]:
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    for column in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 60 if column == len(header) else 16
    sheet.freeze_panes = "A2"


def _read_me(sheet: Any, package: RawPackage, source_id: str, pool: dict[str, Any]) -> None:
    """The catalogue's readme lines (pool: the draft's counts, headings and claims), Chinese in A and English in B."""
    fixed = ", ".join(r["name"] for r in package.descriptor["resources"] if workbook.fixed_codes(package, r["name"]))
    pool |= {"package": package.name, "source_id": source_id, "held_sheet": workbook.HELD, "overview": OVERVIEW}
    pool |= {"not_figures_sheet": workbook.NOT_FIGURES, "fixed_lists": ""}
    pool |= {"city": ", ".join(u["unit_id"] for u in package.tables.get("units", []) if u.get("unit_type") == CITY)}
    if fixed:
        pool["fixed_lists"] = Text("phrase.fixed-lists", {"fixed": fixed})
    for zh, en in zip(texts("readme", pool, "zh"), texts("readme", pool, "en"), strict=True):
        sheet.append([zh, en])
    sheet[workbook.PACKAGE_CELL].value, sheet[workbook.SOURCE_CELL].value = package.name, source_id
    _codes(sheet, package)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 70
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _codes(sheet: Any, package: RawPackage) -> None:
    sheet.append([])
    sheet.append([label(Text("workbook.codes")), label(Text("workbook.names"))])
    for fk in package.resource("observations")["schema"].get("foreignKeys", []):
        target = fk["reference"]["resource"]
        sheet.append([f"observations.{fk['fields'][0]} ← {target}", ""])
        for row in package.tables.get(target, []):
            names = " / ".join(v for k, v in row.items() if k in {"name_zh", "name_en", "title_zh"} and v)
            sheet.append([next(iter(row.values())), names])
    for spec in workbook.fields(package, "observations"):
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
