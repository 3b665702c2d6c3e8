"""What the maintainer tests share: the fictional report drafted against the fixture package, and a workbook filled
as a maintainer would fill it in Excel."""

import csv
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from scripts.__main__ import main
from scripts.maintain.workbook import MATCH_COLUMNS
from tests.conftest import FIXTURE, FIXTURE_DATASETS, FIXTURE_SOURCES

SOURCE = "fictional-2026-01-10-report"
FICTIONAL = FIXTURE_SOURCES / f"{SOURCE}.txt"
PACKAGE_DIR = FIXTURE_DATASETS / FIXTURE
CITY = "fictional-city"
NEW_UNIT = "fictional-training-centre"
NEW_INDICATOR = "fictional_cadres_trained"
NEW_TERM = "yewu-peixun"
SCHEMAS = {r["name"]: r["schema"] for r in json.loads((PACKAGE_DIR / "datapackage.json").read_bytes())["resources"]}
WINDOW = {"value": 499000, "locator": 8}  # 49.9万件, a city-level figure under the heading of reshaping


def draft(source: str, datasets: Path, sources: Path, output: Path) -> Path:
    assert main(["draft", source, "--datasets", str(datasets), "--sources", str(sources), "--output", str(output)]) == 0
    return output


def header(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def letter(name: str, table: str = "observations") -> str:
    """The column of a field on its table's sheet: the descriptor's fields in order, then the observations' matches."""
    names = [f["name"] for f in SCHEMAS[table]["fields"]] + (list(MATCH_COLUMNS) if table == "observations" else [])
    return get_column_letter(names.index(name) + 1)


def records(sheet) -> list[dict]:
    names = header(sheet)
    return [dict(zip(names, row, strict=False)) for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]


def row_where(sheet, **wanted) -> int:
    return next(r + 2 for r, row in enumerate(records(sheet)) if all(row.get(k) == v for k, v in wanted.items()))


def put(sheet, row: int, **values) -> None:
    names = header(sheet)
    for name, value in values.items():
        sheet.cell(row=row, column=names.index(name) + 1).value = value


def fill(book, city: str = CITY) -> None:
    """What a maintainer does in Excel: complete the source; add a unit, an indicator, a glossary term; choose codes;
    translate with the glossary's renderings; state city-level scopes; give ids (to three figures, a milestone and a
    claim without a figure)."""
    put(book["sources"], 2, publisher_zh="测试用虚构来源", publisher_en="Fictional source for tests",
        title_en="A fictional report (for tests only, never published): the “big section” reform one year on brings "
        "new outcomes", authors_zh="记者 虚构", published="2026-01-10T08:00:00+08:00",
        url="https://example.invalid/fictional-report")  # fmt: skip
    put(book["units"], 2, unit_id=NEW_UNIT, name_zh="虚构培训中心", name_en="Fictional Training Centre",
        short_name_zh="培训中心", short_name_en="Training Centre", unit_type="government")  # fmt: skip
    put(book["indicators"], 2, indicator_id=NEW_INDICATOR, name_zh="参加培训的干部数", name_en="Cadres trained",
        definition_zh="参加业务培训的干部人数", definition_en="Cadres who attended professional training",
        unit_zh="名", unit_en="cadres")  # fmt: skip
    put(book["glossary"], 2, term_id=NEW_TERM, term_zh="业务培训", pinyin="yèwù péixùn",
        term_en="professional training", definition_zh="干部参加的业务知识和技能培训",
        definition_en="Training of cadres in the knowledge and skills of their work",
        rendering_source_zh="本站译名", rendering_source_en="Our rendering")  # fmt: skip
    obs = book["observations"]
    put(obs, row_where(obs, value=120), observation_id="fictional-cadres-trained", unit_id=NEW_UNIT,
        indicator_id=NEW_INDICATOR, period="2025",
        excerpt_en="120 cadres attended professional training at the Municipal Cadre Training Centre over the year",
    )  # fmt: skip
    put(obs, row_where(obs, **WINDOW), observation_id="fictional-window-items", unit_id=city,
        indicator_id="window_items_accepted", period="2025", scope_zh="全市政务服务窗口",
        scope_en="the city’s government service windows",
        excerpt_en="government service windows accepted 499,000 items over the year")  # fmt: skip
    put(obs, row_where(obs, value=12), observation_id="fictional-rules-revised", unit_id=city,
        indicator_id="rules_revised", strand_id="overview", period="not-stated", scope_zh="全市",
        scope_en="the city as a whole", excerpt_en="more than 12 rules were revised")  # fmt: skip
    milestones = book["milestones"]
    put(milestones, row_where(milestones, date="2025-03"), milestone_id="fictional-notice", unit_id=city,
        event_type="launch", event_zh="印发通知", event_en="Notice issued",
        excerpt_en="in March 2025 the Municipal Commission Office for Public Sector Reform issued "
        "document Huaibian [2025] No. 3")  # fmt: skip
    claims = book["claims"]
    put(claims, row_where(claims, excerpt="服务效率明显提升"), claim_id="service-efficiency", unit_id=city,
        excerpt_en="service efficiency rose")  # fmt: skip


def filled_copy(drafted: Path, folder: Path, change: Callable | dict | None = None, city: str = CITY) -> Path:
    """The draft as fill() leaves it, then changed: by a function of the workbook, or in fields of the 49.9万 row."""
    book = openpyxl.load_workbook(drafted)
    fill(book, city)
    if isinstance(change, dict):
        put(book["observations"], row_where(book["observations"], **WINDOW), **change)
    elif change:
        change(book)
    path = folder / "filled.xlsx"
    book.save(path)
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def csv_bytes(package: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((package / "data").glob("*.csv"))}
