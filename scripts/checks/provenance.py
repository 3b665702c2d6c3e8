"""Our own checks: every excerpt is in its source, every value is in its excerpt, derived values recompute."""

import math
from collections.abc import Iterator
from pathlib import Path

from scripts.data.dates import date_span
from scripts.data.figures import figure_values
from scripts.data.formulas import FormulaError, evaluate, references
from scripts.data.packages import RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem
from scripts.data.sources import OVERVIEW, archived_text, heading_strands, locate, normalise, paragraphs, strand_under

PROVENANCE_FIELDS = ("source_id", "locator", "excerpt")
FIRST_DATA_ROW = 2  # row 1 is the header, as in Excel and frictionless
COMPUTED = ("derived", "estimated")  # values that carry a formula, recomputed by validation


def numbered(rows: list[dict[str, str]]) -> Iterator[tuple[int, dict[str, str]]]:
    return enumerate(rows, start=FIRST_DATA_ROW)


def check_provenance(package: RawPackage, sources_folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    texts: dict[str, list[str] | None] = {}
    headings: dict[str, dict[int, str]] = {}
    for name, rows in package.tables.items():
        if not rows or not all(f in rows[0] for f in PROVENANCE_FIELDS):
            continue
        file = display(package.table_path(name))
        for row_number, row in numbered(rows):
            source_id = row["source_id"]
            if source_id not in texts:
                text = archived_text(sources_folder, source_id)
                texts[source_id] = paragraphs(text) if text is not None else None
                headings[source_id] = heading_strands(texts[source_id] or [], package.tables.get("strands", []))
                if text is None:
                    problems.append(
                        Problem(
                            file,
                            f"the archived text of source “{source_id}” is not in "
                            f"{sources_folder}; its excerpts are not checked",
                            f"put {source_id}.txt there, or point SOURCES_DIR at the folder that holds it",
                            row_number,
                            "source_id",
                            severity="warning",
                            message_zh=f"来源“{source_id}”的存档原文不在 {sources_folder} 中；它的摘录未经核对",
                            fix_zh=f"把 {source_id}.txt 放到该文件夹，或把 SOURCES_DIR 指向存放它的文件夹",
                        )
                    )
            paras = texts[source_id]
            if paras is not None:
                problems += _check_excerpt(file, row_number, row, paras)
                if "strand_id" in row:
                    problems += _check_strand(file, row_number, row, headings[source_id], paras)
    return problems


def _check_excerpt(file: str, row_number: int, row: dict[str, str], paras: list[str]) -> list[Problem]:
    excerpt = row["excerpt"]
    found = locate(excerpt, paras)
    if not found:
        return [
            Problem(
                file,
                f"the excerpt “{excerpt}” is not in source “{row['source_id']}” word for word",
                "copy the clause exactly from the archived text (white space and quote style may differ)",
                row_number,
                "excerpt",
                message_zh=f"摘录“{excerpt}”与来源“{row['source_id']}”的原文不一致",
                fix_zh="从存档原文中一字不差地复制这句话（空白和引号样式可以不同）",
            )
        ]
    try:
        locator = int(row["locator"])
    except ValueError:
        return []  # frictionless reports the malformed locator
    if locator not in found:
        where = ", ".join(map(str, found))
        return [
            Problem(
                file,
                f"the excerpt is in paragraph {where}, not in paragraph {locator}",
                f"set the locator to {found[0]}",
                row_number,
                "locator",
                message_zh=f"摘录在第 {where} 段，不在第 {locator} 段",
                fix_zh=f"把 locator 改为 {found[0]}",
            )
        ]
    return []


def _check_strand(
    file: str, row_number: int, row: dict[str, str], headings: dict[int, str], paras: list[str]
) -> list[Problem]:
    """A row stands in the part of the report that gives it: the strand of the heading its paragraph is under, or the
    overview; a report without strand headings leaves the strand to the maintainer."""
    try:
        locator = int(row["locator"])
    except ValueError:
        return []
    expected = strand_under(locator, headings)
    if expected is None or row["strand_id"] in (expected, OVERVIEW):
        return []
    heading = max((n for n in headings if n <= locator), default=None)
    if heading is None:
        under, under_zh = "before the report's first heading", "在报道的第一个小标题之前"
        fix, fix_zh = f"set strand_id to {OVERVIEW}", f"把 strand_id 改为 {OVERVIEW}"
    else:
        title = paras[heading - 1].strip()
        under, under_zh = f"under the heading “{title}” ({expected})", f"在小标题“{title}”（{expected}）之下"
        fix = f"set strand_id to {expected}, or to {OVERVIEW} for the launch and the course of the reform"
        fix_zh = f"把 strand_id 改为 {expected}；属于改革启动和总体进程的，改为 {OVERVIEW}"
    return [
        Problem(
            file,
            f"paragraph {locator} stands {under}, but the row's strand is {row['strand_id']}",
            fix,
            row_number,
            "strand_id",
            message_zh=f"第 {locator} 段{under_zh}，这一行的方向却是 {row['strand_id']}",
            fix_zh=fix_zh,
        )
    ]


def numbers_in(text: str) -> list[float]:
    """The figures a text states, read by the same number finder as the draft and the quality page."""
    return figure_values(text)


def check_values(package: RawPackage) -> list[Problem]:
    """Reported values must be stated in their excerpt; derived values must recompute from their formula."""
    problems: list[Problem] = []
    for name, rows in package.tables.items():
        if not rows or not {"value", "basis", "formula", "decimals", "excerpt"} <= rows[0].keys():
            continue
        file = display(package.table_path(name))
        id_field = next(iter(rows[0]))
        values = {row[id_field]: _number(row["value"]) for row in rows}
        known = {key: number for key, number in values.items() if number is not None}
        for row_number, row in numbered(rows):
            value = _number(row["value"])
            if value is None:
                continue  # frictionless reports the malformed value
            if row["basis"] == "reported":
                problems += _check_reported(file, row_number, row, value)
            elif row["basis"] in COMPUTED:
                problems += _check_derived(file, row_number, row, value, row[id_field], values, known)
            problems += _check_range(file, row_number, row, value)
        problems += _check_estimate_inputs(file, rows, id_field)
    return problems


def _check_range(file: str, row_number: int, row: dict[str, str], value: float) -> list[Problem]:
    """An estimate states its range (lower ≤ value ≤ upper); a reported or derived value has none."""
    if "lower" not in row or "upper" not in row:
        return []
    lower, upper = _number(row["lower"]), _number(row["upper"])
    if row["basis"] != "estimated":
        if not row["lower"] and not row["upper"]:
            return []
        return [
            Problem(
                file,
                f"a {row['basis']} value has a range (lower, upper); only estimates have one",
                "clear “lower” and “upper”, or set basis to estimated if the value rests on rounded figures",
                row_number,
                "lower" if row["lower"] else "upper",
                message_zh=f"{row['basis']} 数值不应有范围（lower、upper）；只有估算值才有",
                fix_zh="清空“lower”和“upper”，或在数值依据取整数字时把 basis 改为 estimated",
            )
        ]
    if lower is None or upper is None:
        return [
            Problem(
                file,
                "an estimate needs its range: the lowest and highest values the figures it rests on allow",
                "fill in “lower” and “upper” (e.g. 332 and 349 for 68 ÷ 20%, with 20% rounded from 19.5–20.5%)",
                row_number,
                "lower" if lower is None else "upper",
                message_zh="估算值需要写明范围：所依据的数字允许的最小值和最大值",
                fix_zh="填写“lower”和“upper”（例如 68 ÷ 20%，20% 由19.5%至20.5%取整而来，则为332和349）",
            )
        ]
    if not lower <= value <= upper:
        return [
            Problem(
                file,
                f"the estimate {value:g} lies outside its range {lower:g}–{upper:g}",
                "correct the range or the value so that lower ≤ value ≤ upper",
                row_number,
                "lower" if value < lower else "upper",
                message_zh=f"估算值 {value:g} 不在它的范围 {lower:g}–{upper:g} 之内",
                fix_zh="改正范围或数值，使 lower ≤ value ≤ upper",
            )
        ]
    return []


def _check_estimate_inputs(file: str, rows: list[dict[str, str]], id_field: str) -> list[Problem]:
    """A value computed from an estimate is itself an estimate."""
    estimated = {row[id_field] for row in rows if row.get("basis") == "estimated"}
    problems = []
    for row_number, row in numbered(rows):
        inputs = [ref for ref in references(row.get("formula") or "") if ref in estimated]
        if row.get("basis") == "derived" and inputs:
            problems.append(
                Problem(
                    file,
                    f"the value is computed from the estimate {', '.join(inputs)}, so it is an estimate too",
                    "set basis to estimated and give its range in “lower” and “upper”",
                    row_number,
                    "basis",
                    message_zh=f"这个数值由估算值 {'、'.join(inputs)} 推算而来，因此也是估算值",
                    fix_zh="把 basis 改为 estimated，并在“lower”和“upper”中写明范围",
                )
            )
    return problems


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _check_reported(file: str, row_number: int, row: dict[str, str], value: float) -> list[Problem]:
    problems = []
    if row["formula"] or row["decimals"]:
        problems.append(
            Problem(
                file,
                "a reported value has a formula or decimals",
                "clear “formula” and “decimals”, or set basis to derived (or estimated)",
                row_number,
                "basis",
                message_zh="报道值不应有公式（formula）或小数位数（decimals）",
                fix_zh="清空“formula”和“decimals”，或把 basis 改为 derived",
            )
        )
    stated = numbers_in(row["excerpt"])
    if not any(math.isclose(value, number, rel_tol=1e-12) for number in stated):
        listed = ", ".join(f"{n:g}" for n in stated) or "none"
        listed_zh = "、".join(f"{n:g}" for n in stated) or "无"
        problems.append(
            Problem(
                file,
                f"the value {value:g} is not stated in its excerpt (numbers there: {listed})",
                "correct the value to the figure in the excerpt (49.9万 is 499000, 20% is 20), "
                "or quote the clause that states it",
                row_number,
                "value",
                message_zh=f"数值 {value:g} 没有出现在它的摘录中（摘录中的数字：{listed_zh}）",
                fix_zh="把数值改成摘录中的数字（49.9万即 499000，20% 即 20），或引用写有这个数字的那句话",
            )
        )
    return problems


def _check_derived(
    file: str,
    row_number: int,
    row: dict[str, str],
    value: float,
    row_id: str,
    values: dict[str, float | None],
    known: dict[str, float],
) -> list[Problem]:
    formula, decimals = row["formula"], row["decimals"]
    if not formula or not decimals.isdigit():
        return [
            Problem(
                file,
                f"a{'n' if row['basis'] == 'estimated' else ''} {row['basis']} value needs its formula and the "
                "decimals it is rounded to",
                "fill in “formula” (e.g. {a-id} - {b-id}) and “decimals” (e.g. 0)",
                row_number,
                "formula" if not formula else "decimals",
                message_zh=f"{'估算值' if row['basis'] == 'estimated' else '推算值'}需要写明公式（formula）"
                "和保留的小数位数（decimals）",
                fix_zh="填写“formula”（例如 {a-id} - {b-id}）和“decimals”（例如 0）",
            )
        ]
    if row_id in references(formula):
        return [
            Problem(
                file,
                "the formula refers to its own row",
                "refer to other observations only",
                row_number,
                "formula",
                message_zh="公式引用了它自己这一行",
                fix_zh="只引用其他观测值",
            )
        ]
    if any(ref in values and values[ref] is None for ref in references(formula)):
        return []  # an input is not a number: frictionless reports that cell, and this value follows from it
    try:
        result = round(evaluate(formula, known), int(decimals))
    except FormulaError as error:
        return [
            Problem(
                file,
                f"the formula cannot be computed: {error}",
                "use ids of observations in this table, numbers, + - * / and brackets",
                row_number,
                "formula",
                message_zh=f"公式无法计算：{error.zh}",
                fix_zh="只用本表中观测值的编号（写在花括号中）、数字、+ - * / 和括号",
            )
        ]
    if not math.isclose(result, value, rel_tol=1e-12, abs_tol=1e-12):
        return [
            Problem(
                file,
                f"the value {value:g} does not match its formula, which gives {result:g}",
                f"set the value to {result:g}, or correct the formula or its inputs",
                row_number,
                "value",
                message_zh=f"数值 {value:g} 与公式的计算结果 {result:g} 不符",
                fix_zh=f"把数值改为 {result:g}，或改正公式或它引用的数值",
            )
        ]
    return []


def check_dates(package: RawPackage) -> list[Problem]:
    """Dates with a precision: the excerpt states the date, and start and end match it."""
    problems: list[Problem] = []
    for name, rows in package.tables.items():
        if not rows or not {"date", "precision", "start_date", "end_date", "excerpt"} <= rows[0].keys():
            continue
        file = display(package.table_path(name))
        for row_number, row in numbered(rows):
            span = date_span(row["date"], row["precision"])
            if span is None:
                problems.append(
                    Problem(
                        file,
                        f"the date “{row['date']}” does not have the precision “{row['precision']}”",
                        "write 2024 (year), 2024-H1 (half-year), 2023-02 (month) or 2023-02-15 (day)",
                        row_number,
                        "date",
                        message_zh=f"日期“{row['date']}”与精度“{row['precision']}”不符",
                        fix_zh="写成 2024（year，年）、2024-H1（half-year，半年）、2023-02（month，月）"
                        "或 2023-02-15（day，日）",
                    )
                )
                continue
            start, end, label = span
            for field, expected in (("start_date", start), ("end_date", end)):
                if row[field] != expected.isoformat():
                    problems.append(
                        Problem(
                            file,
                            f"{field} is {row[field]!r} but the date {row['date']} "
                            f"{'starts' if field == 'start_date' else 'ends'} on {expected}",
                            f"set {field} to {expected}",
                            row_number,
                            field,
                            message_zh=f"{field} 是 {row[field]!r}，但日期 {row['date']} "
                            f"{'始于' if field == 'start_date' else '止于'} {expected}",
                            fix_zh=f"把 {field} 改为 {expected}",
                        )
                    )
            if normalise(label) not in normalise(row["excerpt"]):
                problems.append(
                    Problem(
                        file,
                        f"the excerpt does not state the date ({label})",
                        "quote the clause that gives the date, or correct the date",
                        row_number,
                        "date",
                        message_zh=f"摘录中没有写明这个日期（{label}）",
                        fix_zh="引用写有这个日期的那句话，或改正日期",
                    )
                )
    return problems


def check_sections(package: RawPackage) -> list[Problem]:
    """A section named in a change must be named in that change's excerpt."""
    problems: list[Problem] = []
    changes = {row.get("change_id"): row for row in package.tables.get("changes", [])}
    for name, rows in package.tables.items():
        if not rows or not {"change_id", "section_zh"} <= rows[0].keys() or name == "changes":
            continue
        file = display(package.table_path(name))
        for row_number, row in numbered(rows):
            change = changes.get(row["change_id"])
            if change and normalise(row["section_zh"]) not in normalise(change.get("excerpt", "")):
                problems.append(
                    Problem(
                        file,
                        f"the section “{row['section_zh']}” is not named in the excerpt of change {row['change_id']}",
                        "write the section name exactly as the excerpt does, or extend that change's excerpt",
                        row_number,
                        "section_zh",
                        message_zh=f"科室“{row['section_zh']}”没有出现在变化 {row['change_id']} 的摘录中",
                        fix_zh="按摘录的原样书写科室名称，或扩充那项变化的摘录",
                    )
                )
    return problems


def check_natural_keys(package: RawPackage) -> list[Problem]:
    """One observation per unit, indicator and period."""
    problems: list[Problem] = []
    for name, rows in package.tables.items():
        if not rows or not {"unit_id", "indicator_id", "period"} <= rows[0].keys():
            continue
        file = display(package.table_path(name))
        seen: dict[tuple[str, str, str], int] = {}
        for row_number, row in numbered(rows):
            key = (row["unit_id"], row["indicator_id"], row["period"])
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        f"unit, indicator and period {key} repeat row {seen[key]}",
                        "keep one observation per unit, indicator and period",
                        row_number,
                        "indicator_id",
                        message_zh=f"单位、指标和时期 {key} 与第 {seen[key]} 行重复",
                        fix_zh="每个单位、指标和时期只保留一个观测值",
                    )
                )
            seen.setdefault(key, row_number)
    return problems
