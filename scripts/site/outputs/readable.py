"""The figures for people, one workbook and one CSV per edition: each figure's unit and indicator by name in the
edition's language, its value as the site states it, the number and its unit of measure apart, qualifier, basis,
scope, period, note, the report's paragraph and excerpt, and the figure's page. The package's own tables stay the
canonical data, keyed by ids, for machines."""

import csv
import io
from collections.abc import Callable
from typing import Any

from scripts.data.dates import label
from scripts.data.model import Package
from scripts.data.numbers import Lang
from scripts.data.values import figure_text, period_text
from scripts.site.outputs.downloads import XLSX_TYPE, Download, workbook
from scripts.site.outputs.languages import language_prefix, t

QUALIFIERS = {
    "exact": ("", ""),
    "approx": ("约数", "approximate"),
    "at-least": ("下限（以上）", "at least"),
    "at-most": ("上限（不超过）", "at most"),
}
BASES = {
    "reported": ("报道", "reported"),
    "derived": ("本站推算", "computed by us"),
    "estimated": ("本站估算", "estimated by us"),
}
COLUMNS = [  # (Chinese heading, English heading, the row's cell); a translation in the English edition only
    ("单位", "Unit", lambda r: r["unit"]),
    ("指标", "Indicator", lambda r: r["indicator"]),
    ("时期", "Period", lambda r: r["period"]),
    ("数值（如网站所示）", "Value (as the site states it)", lambda r: r["shown"]),
    ("数", "Number", lambda r: r["number"]),
    ("计量单位", "Unit of measure", lambda r: r["measure"]),
    ("限定", "Qualifier", lambda r: r["qualifier"]),
    ("依据", "Basis", lambda r: r["basis"]),
    ("口径", "Scope", lambda r: r["scope"]),
    ("说明", "Note", lambda r: r["note"]),
    ("来源", "Source", lambda r: r["source"]),
    ("段落", "Paragraph", lambda r: r["paragraph"]),
    ("说话人", "Speaker", lambda r: r["speaker"]),
    ("原文摘录", "Excerpt (Chinese)", lambda r: r["excerpt"]),
    ("", "Excerpt (our translation)", lambda r: r["translation"]),
    ("网页", "Page", lambda r: r["page"]),
]


def readable_rows(package: Package, lang: Lang, page_of: Callable[[str], str]) -> list[list[Any]]:
    """The heading row and one row per figure, city-wide figures first, in the package's order; `page_of` gives a
    figure's page address from its id."""
    units, indicators = package.table("units").by_key, package.table("indicators").by_key
    sources = package.table("sources").by_key
    rows = package.city_first(package.table("observations").records)
    columns = [column for column in COLUMNS if column[0] or lang == "en"]
    found = [[t(lang, zh, en) for zh, en, _ in columns]]
    for row in rows:
        indicator, source = indicators[row["indicator_id"]], sources[row["source_id"]]
        published = label(str(source["published"])[:10], "day", lang)
        value = row["value"]
        cells = {
            "unit": units[row["unit_id"]][f"name_{lang}"],
            "indicator": indicator[f"name_{lang}"],
            "period": period_text(row["period"], lang),
            "shown": figure_text(package, row, lang),
            "number": int(value) if float(value).is_integer() else value,
            "measure": indicator[f"unit_{lang}"],
            "qualifier": t(lang, *QUALIFIERS[row["qualifier"]]),
            "basis": t(lang, *BASES[row["basis"]]),
            "scope": row.get(f"scope_{lang}") or "",
            "note": row.get(f"note_{lang}") or "",
            "source": source[f"publisher_{lang}"] + t(lang, "", ", ") + published,
            "paragraph": row["locator"],
            "speaker": row.get(f"speaker_{lang}") or "",
            "excerpt": row["excerpt"],
            "translation": row["excerpt_en"],
            "page": page_of(row["observation_id"]),
        }
        found.append([cell(cells) for _, _, cell in columns])
    return found


def readable_downloads(package: Package, lang: Lang, page_of: Callable[[str], str]) -> list[Download]:
    """The edition's readable figures as XLSX and as CSV with a byte-order mark (which Excel and WPS need to read
    UTF-8), under the edition's own downloads folder."""
    rows = readable_rows(package, lang, page_of)
    base = f"{language_prefix(lang)}downloads/{package.name}/{package.name}-figures-{lang}"
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    sheet = t(lang, "数字一览", "Figures")
    return [
        Download(f"{base}.xlsx", workbook(sheet, rows), "XLSX", XLSX_TYPE),
        Download(f"{base}.csv", ("\ufeff" + text.getvalue()).encode("utf-8"), "CSV", "text/csv"),
    ]
