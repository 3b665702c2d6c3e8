"""Malformed input is refused with a message in Chinese and English that names the file, row and field, and the
fix; a refused build never touches the published site."""

import io
import json
import shutil
import unicodedata
from collections.abc import Callable

import openpyxl
import pytest

from scripts.data.messages import Text
from tests.problem_support import ANY, find_problem, validation_problems
from tests.site_support import build_site, digests

OBS, CITY, OFFICE, LAUNCH = "observations", "fictional-city", "establishment-office", "reform-launch"  # the fixture's


def fix(name: str, **params: str) -> Text:
    return Text(f"fix.{name}", params)


def char(position: int, character: str) -> tuple:
    name = f"U+{ord(character):04X} {unicodedata.name(character)}"
    return (Text("phrase.character-at", {"position": position, "name": name}),)


def cell(table: str, key: str, field: str, value: str, code: str, /, at: tuple | None = None, **params) -> tuple:
    """A mistake: what is done to the workspace; then the file, row (a number, or a row's key) and field where the
    problem it causes is (the cell's, unless `at` says otherwise), its code in the message catalogue and some of its
    parameters."""
    return lambda w: w.set(table, key, field, value), at or (f"{table}.csv", key, field), code, params


def line(table: str, key: str, change: Callable[[str], str], field: str | None, code: str, /, **params) -> tuple:
    return lambda w: w.edit_line(table, key, change), (f"{table}.csv", key, field), code, params


def units(encode: Callable[[str], bytes], row: object, code: str, /, **params) -> tuple:
    def apply(workspace) -> None:
        workspace.table("units").write_bytes(encode(workspace.table("units").read_text(encoding="utf-8")))

    return apply, ("units.csv", row, row), code, params


def in_descriptor(change: Callable[[dict], object], field: str, code: str, /, **params) -> tuple:
    def apply(workspace) -> None:
        path = workspace.package / "datapackage.json"
        meta = json.loads(path.read_text(encoding="utf-8"))
        change(meta)
        path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    return apply, ("datapackage.json", None, field), code, params


def xlsx_bytes(_: str) -> bytes:
    book, buffer = openpyxl.Workbook(), io.BytesIO()
    book.active.append(["unit_id", "name_zh"])
    book.save(buffer)
    return buffer.getvalue()


def iso(value: str) -> Text:
    return fix("iso-date", iso="2024-03-01", value=value)


MS, WATER, PILOT, INVALID = "milestones", "water-sections-before", "city-pilot-units", "value-not-valid"
UTF8 = fix("save-as-utf8")
SPACED = {"at": ("observations.csv", ANY, "unit_id"), "fix": fix("code-spaced-there", table="units", spaced=f"{CITY} ")}
MISTAKES = {
    "thousands-quoted": cell(
        OBS, WATER, "value", "1,200", INVALID, fix=fix("thousands-separator", plain="1200", value="1,200")
    ),
    "thousands-unquoted": line(OBS, WATER, lambda text: text.replace(",12,", ",1,200,"), None, "cell-extra"),
    "percent-sign": cell(OBS, "city-window-completion-rate", "value", "99%", INVALID, value="99%", fix=fix("number")),
    "chinese-month": cell(MS, LAUNCH, "date", "2024年3月", "date-not-iso", iso="2024-03", value="2024年3月"),
    "chinese-day-in-a-date": cell(MS, LAUNCH, "start_date", "2024年3月1日", INVALID, fix=iso("2024年3月1日")),
    "excel-slash-date": cell(MS, LAUNCH, "start_date", "2024/3/1", INVALID, fix=iso("2024/3/1")),
    "trailing-space-in-a-code": cell(OBS, PILOT, "unit_id", f"{CITY} ", "code-with-spaces", value=f"{CITY} "),
    "trailing-space-in-a-key": cell("units", CITY, "unit_id", f"{CITY} ", "code-not-found", **SPACED),
    "empty-required-cell": cell("units", CITY, "short_name_zh", "", "value-required"),
    "missing-cell": line("units", CITY, lambda text: text.rsplit(",", 1)[0], "unit_type", "cell-missing"),
    "too-many-cells": line("units", CITY, lambda text: text + ",extra", None, "cell-extra-holding", value="extra"),
    "renamed-header": line("units", "unit_id", lambda text: text.replace("unit_id", "unit_ID"), ANY, "header-mismatch"),
    "gbk-file": units(lambda text: text.encode("gb18030"), ANY, "csv-gbk", fix=UTF8),
    "utf-16-file": units(lambda text: text.encode("utf-16"), None, "csv-utf16", fix=UTF8),
    "xlsx-saved-as-csv": units(xlsx_bytes, None, "csv-is-xlsx"),
    "descriptor-names-a-missing-file": (
        lambda w: w.table(MS).unlink(),
        ("datapackage.json", None, "path"),
        "resource-file-missing",
        {"path": "data/milestones.csv"},
    ),
    "zero-width-space-in-a-code": cell(
        OBS, PILOT, "unit_id", "fictional\u200b-city", "invisible-character", found=char(10, "\u200b")
    ),
    "right-to-left-override-in-a-name": cell(
        "units", OFFICE, "short_name_zh", "市委\u202e编办", "direction-control-character", found=char(3, "\u202e")
    ),
    "control-character-in-a-text": cell(
        "units", OFFICE, "short_name_en", "Commission Office\x07 for Public Sector Reform", "invisible-character"
    ),
    "invisible-character-in-the-descriptor": in_descriptor(
        lambda d: d.update(title_en=d["title_en"] + "\u2066"), "title_en", "direction-control-character"
    ),
    "javascript-licence-link": in_descriptor(
        lambda d: d["licenses"][0].update(path="javascript:alert(1)"),
        "licenses.path",
        "link-not-web-address",
        path="javascript:alert(1)",
    ),
    "formula-in-a-text": cell(
        "units", OFFICE, "short_name_en", "=cmd|' /C calc'!A0", "text-starts-like-a-formula", first="="
    ),
    "javascript-source-url": cell(
        "sources", "fictional-2025-06-01-report", "url", "javascript:alert(1)", "not-a-web-address"
    ),
}


def make(mistake: str, workspace) -> tuple[tuple, str, dict]:
    """Make the mistake in the workspace; where the problem it causes is, its code and some of its parameters."""
    apply, (file, row, field), code, params = MISTAKES[mistake]
    row = workspace.row(file.removesuffix(".csv"), row) if isinstance(row, str) else row
    apply(workspace)
    return (file, row, field), code, params


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_malformed_input_is_refused_with_a_bilingual_message(mistake, workspace, monkeypatch):
    import scripts.checks.validate as validate

    reported = []  # what validation found in the command's own run, which prints it
    checks = validate.validate_all
    monkeypatch.setattr(validate, "validate_all", lambda *args: reported.append(checks(*args)) or reported[0])
    where, code, params = make(mistake, workspace)
    result = workspace.validate()
    assert result.returncode == 1, result.stdout
    problems = reported[0][1] + [p for report in reported[0][0] for p in report.problems]
    assert str(find_problem(problems, code, *where, **params)) in result.stdout  # printed, in Chinese and English
    assert "\ufffd" not in result.stdout  # nothing garbled
    assert "改正之前不会构建网站" in result.stdout and "nothing is built" in result.stdout


def test_a_utf8_bom_from_excel_is_accepted_with_a_bilingual_note(workspace):
    path = workspace.table("units")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = workspace.validate()
    assert result.returncode == 0, result.stdout
    problems = validation_problems(workspace.datasets, workspace.sources)
    assert str(find_problem(problems, "csv-bom", "units.csv", None, None, "warning")) in result.stdout


@pytest.mark.parametrize("mistake", ["gbk-file", "zero-width-space-in-a-code", "descriptor-names-a-missing-file"])
def test_a_refused_build_leaves_the_published_site_byte_for_byte(mistake, workspace, built_site, tmp_path):
    site = tmp_path / "published" / "site"
    shutil.copytree(built_site, site)
    before = digests(site)
    make(mistake, workspace)
    result = build_site(site, workspace.datasets)
    assert result.returncode == 1
    assert "未作改动" in result.stderr and "unchanged" in result.stderr
    # validation's report says why, even where the data could not be read for the pages (validated alongside)
    assert "改正之前不会构建网站" in result.stderr and "nothing is built until they are fixed" in result.stderr
    assert "Traceback" not in result.stderr
    assert digests(site) == before
    assert [p.name for p in site.parent.iterdir()] == ["site"]  # no staging folder left behind
