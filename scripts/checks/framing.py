"""Checks that the data frame their figures as the report does: each excerpt has its translation, and each city-level
figure says which units it covers."""

from scripts.checks.provenance import numbered
from scripts.data.packages import RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem

CITY = "city"  # the unit type of the city as a whole: its figures rarely cover every department


def check_translations(package: RawPackage) -> list[Problem]:
    """Every verbatim excerpt has an English translation, so that an English reader can see what the evidence says."""
    problems: list[Problem] = []
    for name, rows in package.tables.items():
        if not rows or "excerpt" not in rows[0]:
            continue
        file = display(package.table_path(name))
        if "excerpt_en" not in rows[0]:
            problems.append(
                Problem(
                    file,
                    "the table quotes excerpts but has no “excerpt_en” column for their English translation",
                    "add an “excerpt_en” field after “excerpt” to the schema and the CSV, and translate each excerpt",
                    1,
                    message_zh="该表有原文摘录（excerpt），却没有存放英文翻译的“excerpt_en”列",
                    fix_zh="在描述文件和 CSV 中“excerpt”之后添加“excerpt_en”字段，并翻译每条摘录",
                )
            )
            continue
        for row_number, row in numbered(rows):
            if (row.get("excerpt") or "").strip() and not (row.get("excerpt_en") or "").strip():
                problems.append(
                    Problem(
                        file,
                        f"the excerpt “{row['excerpt']}” has no English translation",
                        "translate the excerpt into “excerpt_en”, keeping the report’s terms as the glossary "
                        "renders them",
                        row_number,
                        "excerpt_en",
                        message_zh=f"摘录“{row['excerpt']}”没有英文翻译",
                        fix_zh="在“excerpt_en”中填写摘录的英文翻译，术语按术语表的译名",
                    )
                )
    return problems


def check_scope(package: RawPackage) -> list[Problem]:
    """A city-level figure states its scope in both languages: “全市” figures often cover only some departments."""
    units = {row.get("unit_id"): row.get("unit_type") for row in package.tables.get("units", [])}
    problems: list[Problem] = []
    for name, rows in package.tables.items():
        if not rows or not {"unit_id", "scope_zh", "scope_en"} <= rows[0].keys():
            continue
        file = display(package.table_path(name))
        for row_number, row in numbered(rows):
            zh, en = (row["scope_zh"] or "").strip(), (row["scope_en"] or "").strip()
            if units.get(row["unit_id"]) == CITY and not (zh and en):
                problems.append(
                    Problem(
                        file,
                        "a city-level figure must say which units it covers, as the report gives it",
                        "fill in “scope_zh” and “scope_en”, e.g. 精简了内设机构的29家市直部门 / the 29 municipal "
                        "departments that cut internal sections",
                        row_number,
                        "scope_en" if zh else "scope_zh",
                        message_zh="全市层面的数字必须按报道写明口径（涵盖哪些单位）",
                        fix_zh="填写“scope_zh”和“scope_en”，例如“精简了内设机构的29家市直部门”",
                    )
                )
            elif bool(zh) != bool(en):
                problems.append(
                    Problem(
                        file,
                        "the scope is given in one language only",
                        "fill in both “scope_zh” and “scope_en”, or neither",
                        row_number,
                        "scope_en" if zh else "scope_zh",
                        message_zh="口径只写了一种语言",
                        fix_zh="同时填写“scope_zh”和“scope_en”，或都不填",
                    )
                )
    return problems
