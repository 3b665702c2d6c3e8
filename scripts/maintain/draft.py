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
    _listing(
        book.create_sheet(HELD),
        ("locator", "as written 原文", "value", "held by 已由此行收录", "clause 所在分句"),
        [(f.paragraph, f.number.text, f.number.value, ", ".join(f.held_by), f.clause) for f in found if f.held_by],
    )
    _listing(
        book.create_sheet(NOT_FIGURES),
        ("locator", "as written 原文", "reason 原因", "reason", "clause 所在分句"),
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
                error="只能从列表中选择 · choose a value from the list"
                if closed
                else "不在现有代码中：如已在代码表中新增，请继续 · not an existing code: continue if you added it",
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
        lines.append("必填 · required")
    if codes and constraints.get("enum"):
        lines.append("取值 · one of: " + ", ".join(map(str, constraints["enum"])))
    if constraints.get("maxLength"):
        lines.append(f"不超过 {constraints['maxLength']} 字 · at most {constraints['maxLength']} characters")
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
                cell.comment = Comment(f"原文 · as written: {notes[index - 2]}", "make draft", width=220, height=60)
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
    figures = [f for f in found if f.number.is_figure]
    offered = sum(1 for f in figures if not f.held_by)
    city = ", ".join(u["unit_id"] for u in package.tables.get("units", []) if u.get("unit_type") == CITY)
    fixed = ", ".join(r["name"] for r in package.descriptor["resources"] if fixed_codes(package, r["name"]))
    lines: list[tuple[str, str]] = [
        ("淮北“大科室”改革数据：新报道录入工作簿 · Adding a report", ""),
        ("数据包 · package", package.name),
        ("来源 · source", source_id),
        (
            f"原文中有 {len(figures)} 个数字，其中 {len(figures) - offered} 个已收录（见 {HELD} 表），"
            f"{offered} 个列在 observations 表中待填。",
            f"The text states {len(figures)} figures: {len(figures) - offered} are already in the data (sheet "
            f"{HELD}), {offered} are offered as rows of the observations sheet.",
        ),
        ("", ""),
        ("要填什么", "What to fill"),
        (
            "黄色单元格是根据原文预先填好的（段落、原文摘录、数值、精确程度、方向），请核对；蓝色单元格由您填写。",
            "Yellow cells were filled from the text (paragraph, excerpt, value, qualifier, strand): check them. "
            "Blue cells are yours to fill.",
        ),
        (
            "observations 表：为每一行选择 unit_id（单位）、indicator_id（指标），填写 period（参照期：年份 2024、"
            "年月 2023-02，或 before-reform、after-reform、reform-total；报道没有写明时间的填 not-stated），"
            "最后填写 observation_id（编号，小写字母、数字和连字符）。",
            "observations: for each row choose unit_id and indicator_id, type period (a year 2024, a month 2023-02, "
            "before-reform, after-reform or reform-total; not-stated when the report gives no period), and last "
            "give it an observation_id (lower-case letters, digits and hyphens).",
        ),
        (
            "strand_id（方向）按该段所在的小标题预先填写；讲改革启动、试点和总体进程的行可以改为 "
            f"{OVERVIEW}，填其他方向的行导入时会被拒绝。",
            "strand_id is pre-filled with the strand of the report's heading the paragraph stands under; a row on "
            f"the launch, the pilots or the course of the reform may be {OVERVIEW} instead; any other strand is "
            "refused by the import.",
        ),
        _headings_line(paras, headings),
        (
            "每条摘录都要有英文翻译：在 excerpt_en 中填写 excerpt 的英文翻译（observations、changes、milestones "
            "各表都是如此），术语按本页下方术语表的译名；没有翻译的行不能导入。",
            "Every excerpt needs its English translation: write it in excerpt_en (on observations, changes and "
            "milestones alike), rendering terms as the glossary below does; a row without one is not imported.",
        ),
        (
            f"全市层面的数字（unit_id 为 {city}）要写明口径：在 scope_zh 和 scope_en 中按报道的说法写明它涵盖"
            "哪些单位，例如“全市”（the city as a whole）、“精简了内设机构的29家市直部门”（the 29 municipal "
            "departments that cut internal sections）。",
            f"A city-level figure (unit_id {city}) needs its scope: in scope_zh and scope_en, which units it covers, "
            "as the report gives it, e.g. 全市 (the city as a whole), 精简了内设机构的29家市直部门 (the 29 "
            "municipal departments that cut internal sections).",
        ),
        (
            "由其他数字算出的数值单独成行：精确算出的 basis 填 derived，并填写 formula 和 decimals；依据的数字是"
            "约数（约、左右、49.9万）或估算值的填 estimated，还要在 lower 和 upper 中写明范围。",
            "A value computed from other figures is a row of its own: basis derived when computed exactly, with its "
            "formula and decimals; estimated when it rests on rounded figures (约, 左右, 49.9万) or on estimates, "
            "with its range in lower and upper as well.",
        ),
        (
            "只有填了编号（第一列）的行才会导入；没有编号的预填行会被略过，导入时会报告略过了多少行。",
            "Only rows whose id (the first column) is filled are imported; a pre-filled row left without an id is "
            "left out, and the import says how many it left out.",
        ),
        (
            "milestones 表列出了原文中的日期，作为候选时间节点；需要的行请补全单位、事件类型、说明和摘录的英文翻译，"
            "并填写编号。",
            "milestones lists the dates of the text as candidate milestones: complete unit, event type, "
            "description and the excerpt's translation of those you keep, and give them an id.",
        ),
        (
            f"{NOT_FIGURES} 表列出原文中不是数字的数（日期、序数、文号、词语中的“一”）及原因，供核对没有遗漏。",
            f"{NOT_FIGURES} lists the numbers of the text that are not figures (dates, ordinals, document numbers, "
            "the 一 of words) with the reason, so that you can check nothing was missed.",
        ),
        (
            "单元格只填值：不要填公式（以 = 开头），数字不要带单位、千位分隔符或全角数字；文本不能以 = + - @ 开头。",
            "Cells hold values: no formulas (=…); numbers without units, thousands separators or full-width "
            "digits; no text may begin with = + - @.",
        ),
        ("", ""),
        ("下拉列表", "Drop-down lists"),
        (
            "带下拉箭头的列填代码：unit_id、indicator_id、source_id 来自对应的表，在该表新增一行后可以使用新代码；"
            "strand_id、qualifier、basis 等只能从列表中选择。每列的输入提示说明代码的含义（完整说明见表头的批注），"
            "现有代码列在本页下方。",
            "Columns with a drop-down take codes: unit_id, indicator_id and source_id come from their tables, and a "
            "new code is a new row of that sheet; strand_id, qualifier, basis and the other closed lists take only "
            "the codes listed. Each column's input message says what its codes mean (the header's comment has the "
            "whole text); the existing codes are listed below.",
        ),
        ("", ""),
        ("新增单位、指标或术语", "Adding a unit, an indicator or a term"),
        (
            "在 units 或 indicators 表中新增一行（填写全部列，编号写在第一列），再在 observations 表中填写这个"
            "新编号（下拉列表会提示不是现有代码，选择“是”继续即可）。代码表中的新行会先于其他行写入。",
            "Add a row to the units or indicators sheet (every column, its id in the first), then type the new id "
            "in observations (the drop-down warns that it is not an existing code: choose Yes to continue). "
            "Code-list rows are written first.",
        ),
        (
            "报道中新出现的规范术语，可以在 glossary 表中新增一行（中文、拼音、英文译名、定义和译名来源）。此后数据包"
            "中所有英文文本都必须使用这个译名（导入时会指出没有使用它的文本），也不能使用 avoid_en 中排除的译法。"
            + (f"{fixed} 是固定的代码表，工作簿中不能新增。" if fixed else ""),
            "A new official term of a report is a new row of the glossary sheet (Chinese, pinyin, English rendering, "
            "definitions and where the rendering comes from). From then on every English text of the package must "
            "use that rendering (the import names any text that does not), and none may use a rendering listed in "
            "avoid_en." + (f" {fixed}: fixed code lists, which the workbook cannot add to." if fixed else ""),
        ),
        ("", ""),
        ("接下来", "What happens next"),
        (
            "保存工作簿，运行 make import DRAFT=本文件路径。导入会用 make validate 的全部检查核对这些行；"
            "有任何问题都不会改动数据，而是逐条说明（例如 observations!F12）并生成标出问题单元格的副本，"
            "改正后再次导入。全部通过后才写入 CSV，然后运行 make validate，提高 datapackage.json 的版本号并在 "
            "CHANGELOG.md 中记录。",
            "Save the workbook and run make import DRAFT=<this file>. The import checks the rows with every check "
            "of make validate; on any problem it changes nothing, lists each problem by cell (e.g. "
            "observations!F12) and writes a copy with those cells marked: correct it and import again. Only when "
            "all pass are the rows written to the CSVs; then run make validate, raise the version in "
            "datapackage.json and note the release in CHANGELOG.md.",
        ),
    ]
    for zh, en in lines:
        sheet.append([zh, en])
    sheet[PACKAGE_CELL].value, sheet[SOURCE_CELL].value = package.name, source_id
    _codes(sheet, package)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 70
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _headings_line(paras: list[str], headings: dict[int, str]) -> tuple[str, str]:
    if not headings:
        return (
            "原文中没有标出方向（瘦身、强身、塑身等）的小标题，strand_id 没有预先填写：请为每一行选择。",
            "The text has no heading that names a strand (slimming down, strengthening, …), so strand_id is not "
            "pre-filled: choose it for each row.",
        )
    listed = [(number, paras[number - 1].strip(), strand) for number, strand in sorted(headings.items())]
    return (
        "原文的小标题：" + "；".join(f"第 {n} 段“{title}”→ {strand}" for n, title, strand in listed) + "。",
        "The text's headings: " + "; ".join(f"paragraph {n} “{title}” → {strand}" for n, title, strand in listed) + ".",
    )


def _codes(sheet: Any, package: RawPackage) -> None:
    """The codes the observations refer to, with their names, and the glossary's renderings for translating."""
    sheet.append([])
    sheet.append(["代码 · codes", "名称 · names"])
    for fk in package.resource("observations")["schema"].get("foreignKeys", []):
        target = fk["reference"]["resource"]
        sheet.append([f"observations.{fk['fields'][0]} ← {target}", ""])
        for row in package.tables.get(target, []):
            label = " / ".join(v for k, v in row.items() if k in {"name_zh", "name_en", "title_zh"} and v)
            sheet.append([next(iter(row.values())), label])
    for spec in fields(package, "observations"):
        codes = spec.get("constraints", {}).get("enum")
        if codes:
            sheet.append([f"observations.{spec['name']}: {', '.join(map(str, codes))}", ""])
            sheet.append([spec.get("description", ""), spec.get("description_en", "")])
    terms = terms_of(package.tables.get(GLOSSARY, []))
    if terms:
        sheet.append([])
        sheet.append(["术语表 · glossary：英文文本一律使用的译名", "the renderings every English text uses"])
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
        str(sources / f"{source_id}.txt"),
        "the report's text is not there",
        f"save the report's text as {source_id}.txt in {sources} (UTF-8; one paragraph per line, "
        "the title on the first line), or point --sources / SOURCES_DIR at its folder",
        message_zh="没有找到报道原文",
        fix_zh=f"把报道原文保存为 {sources} 中的 {source_id}.txt（UTF-8 编码，每段一行，第一行为标题），"
        "或用 --sources / SOURCES_DIR 指向它所在的文件夹",
    )
