"""The figures for people, one workbook and one CSV per edition: each figure's unit and indicator by name in the
edition's language, its value as the site states it, the number and its unit of measure apart, qualifier, basis,
scope, period, note, the report's paragraph and excerpt, and the figure's page. The package's own tables stay the
canonical data, keyed by ids, for machines."""

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scripts.data.dates import label
from scripts.data.messages import catalogue, say
from scripts.data.model import Package
from scripts.data.numbers import Lang
from scripts.data.values import figure_text, period_text
from scripts.site.outputs.downloads import XLSX_TYPE, Download, workbook
from scripts.site.outputs.languages import language_prefix, t

WORDING = Path(__file__).with_name("wording.toml")  # the headings, qualifiers and bases (checked as messages.toml is)


def readable_rows(package: Package, lang: Lang, page_of: Callable[[str], str]) -> list[list[Any]]:
    """The heading row and one row per figure, city-wide figures first, in the package's order; `page_of` gives a
    figure's page address from its id."""
    units, indicators = package.table("units").by_key, package.table("indicators").by_key
    sources = package.table("sources").by_key
    rows = package.city_first(package.table("observations").records)
    headings = catalogue(WORDING)["column"]
    columns = [column for column, heading in headings.items() if heading["zh"] or lang == "en"]
    found = [[headings[column][lang] for column in columns]]
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
            "qualifier": say(WORDING, f"qualifier.{row['qualifier']}", lang),
            "basis": say(WORDING, f"basis.{row['basis']}", lang),
            "scope": row.get(f"scope_{lang}") or "",
            "note": row.get(f"note_{lang}") or "",
            "source": source[f"publisher_{lang}"] + t(lang, "", ", ") + published,
            "paragraph": row["locator"],
            "speaker": row.get(f"speaker_{lang}") or "",
            "excerpt": row["excerpt"],
            "translation": row["excerpt_en"],
            "page": page_of(row["observation_id"]),
        }
        found.append([cells[column] for column in columns])
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
