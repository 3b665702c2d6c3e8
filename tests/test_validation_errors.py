"""`python -m scripts validate` refuses each mistake a maintainer can make with a problem naming its file, row and
field, whose code the message catalogue renders with a fix in Chinese and English (on copies of the fixture package);
a refused build leaves the published site as it was."""

import hashlib
import io
import json
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from scripts.data.messages import Text
from tests.conftest import Workspace
from tests.problem_support import ANY, find_problem, validated, validation_problems
from tests.site_support import build_site, digests


def assert_fails(workspace, code, file="", row=ANY, field=ANY, **params):
    """Validation fails, and prints this problem among the others, in Chinese and English, with nothing garbled."""
    problems, printed, passed = validated(workspace.datasets, workspace.sources)
    assert not passed, printed
    problem = find_problem(problems, code, file, row, field, **params)
    assert str(problem) in printed and "\ufffd" not in printed
    assert "改正之前不会构建网站" in printed and "nothing is built" in printed


def cells(table: str, key: str, values: dict[str, str], at: str | tuple, code: str, /, **params) -> tuple:
    """Cells of a row set to bad values; where the problem is (the row's field, or file, row and field), its code and
    some of its parameters."""
    where = (f"{table}.csv", key, at) if isinstance(at, str) else at
    return lambda w: [w.set(table, key, field, value) for field, value in values.items()], where, code, params


def cell(table: str, key: str, field: str, value: str, code: str, /, at: str | tuple = "", **params) -> tuple:
    """A cell set to a bad value; the problem is at that cell unless `at` says otherwise."""
    return cells(table, key, {field: value}, at or field, code, **params)


def line(table: str, key: str, change: Callable[[str], str], field: str | None, code: str, /, **params) -> tuple:
    return lambda w: w.edit_line(table, key, change), (f"{table}.csv", key, field), code, params


def units_saved_as(encode: Callable[[str], bytes], row: object, code: str, /, **params) -> tuple:
    def apply(workspace) -> None:
        workspace.table("units").write_bytes(encode(workspace.table("units").read_text(encoding="utf-8")))

    return apply, ("units.csv", row, row), code, params


def described(change: Callable[[dict], object], field: str | None, code: str, /, **params) -> tuple:
    def apply(workspace) -> None:
        path = workspace.package / "datapackage.json"
        meta = json.loads(path.read_text(encoding="utf-8"))
        change(meta)
        path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    return apply, ("datapackage.json", None, field), code, params


def archived(change: Callable[[Path], object]) -> Callable:
    """The archived texts copied beside the workspace, and the first source's changed."""

    def apply(workspace) -> None:
        shutil.copytree(workspace.sources, workspace.datasets.parent / "sources")
        workspace.sources = workspace.datasets.parent / "sources"
        change(workspace.sources / f"{SOURCE}.txt")

    return apply


def xlsx_bytes(_: str) -> bytes:
    book, buffer = openpyxl.Workbook(), io.BytesIO()
    book.active.append(["unit_id", "name_zh"])
    book.save(buffer)
    return buffer.getvalue()


def fix(name: str, **params: str) -> Text:
    return Text(f"fix.{name}", params)


def char(position: int, character: str) -> tuple:
    name = f"U+{ord(character):04X} {unicodedata.name(character)}"
    return (Text("phrase.character-at", {"position": position, "name": name}),)


def units(meta: dict) -> dict:
    return next(r for r in meta["resources"] if r["name"] == "units")["schema"]


def field_of(meta: dict, name: str) -> dict:
    """A field of the observations table."""
    observations = next(r for r in meta["resources"] if r["name"] == "observations")
    return next(f for f in observations["schema"]["fields"] if f["name"] == name)


# the fixture's rows (tests/fixtures/README.md)
OBS, SECTIONS, CLAIMS, STM, MS = "observations", "change-sections", "claims", "statements", "milestones"
CITY, OFFICE, LAUNCH, ROLLOUT = "fictional-city", "establishment-office", "reform-launch", "citywide-rollout"
WATER, AFTER, PILOT, CUT = "water-sections-before", "water-sections-after", "city-pilot-units", "city-sections-cut"
RATE, ITEMS, RULES = "city-window-completion-rate", "city-window-items-accepted", "govoffice-rules-revised"
EFFICIENCY = "govoffice-operating-efficiency"  # a claim with a figure (30%以上)
WORK, SATISFIED = "water-work-efficiency", "city-public-satisfaction"  # claims with no figure
SOURCE = "fictional-2025-06-01-report"  # the package's first source
AGREES = "water-sections-before-followup"  # the follow-up report's statement of 12, as the first report states it
CONFLICT = "city-sections-cut-followup"  # 42 where the first report gives 40
WANG = "市委编办主任王某"  # the first report quotes him in paragraph 8 only
INVALID, SPEAKER, UTF8 = "value-not-valid", "speaker-not-in-source", fix("save-as-utf8")
SPACED = {"at": ("observations.csv", ANY, "unit_id"), "fix": fix("code-spaced-there", table="units", spaced=f"{CITY} ")}
ISO = {value: fix("iso-date", iso="2024-03-01", value=value) for value in ("2024年3月1日", "2024/3/1")}
THOUSANDS = fix("thousands-separator", plain="1200", value="1,200")
FULL_WIDTH = fix("full-width-digits", plain="9", value="９")
LINK, NO_DESCRIPTION, NOT_OBJECTS = "link-not-web-address", "field-description-missing", "fields-not-objects"
EN, EN_TEXT, BIDI = Text("phrase.english"), "description_en", "direction-control-character"
CITYWIDE = {"scope_zh": "全市", "scope_en": "the city as a whole"}  # not the scope of its inputs
NOT_JSON, DESCRIPTOR, AT_START = "descriptor-not-json", "datapackage.json", {"line": 1, "column": 2}
NOT_STATED, REPEATS = "date-not-in-excerpt", "statement-repeats-observation"
NO_REASON, ZERO_WIDTH = "statement-conflict-without-reason", "fictional\u200b-city"
UNKNOWN = Text("phrase.formula-unknown-id", {"ids": ("water-after",)})
CONTROL = "Commission Office\x07 for Public Sector Reform"
MISTAKES = {
    "wrong-type": cell(OBS, WATER, "value", "12个", INVALID, fix=fix("number")),
    "full-width-digits": cell(OBS, AFTER, "value", "９", "value-not-ascii", fix=FULL_WIDTH),
    "thousands-quoted": cell(OBS, WATER, "value", "1,200", INVALID, fix=THOUSANDS),
    "thousands-unquoted": line(OBS, WATER, lambda text: text.replace(",12,", ",1,200,"), None, "cell-extra"),
    "percent-sign": cell(OBS, RATE, "value", "99%", INVALID, value="99%", fix=fix("number")),
    "chinese-month": cell(MS, LAUNCH, "date", "2024年3月", "date-not-iso", iso="2024-03", value="2024年3月"),
    "chinese-day-in-a-date": cell(MS, LAUNCH, "start_date", "2024年3月1日", INVALID, fix=ISO["2024年3月1日"]),
    "excel-slash-date": cell(MS, LAUNCH, "start_date", "2024/3/1", INVALID, fix=ISO["2024/3/1"]),
    "dangling-foreign-key": cell(OBS, PILOT, "unit_id", "fictional", "code-not-found", table="units"),
    "trailing-space-in-a-code": cell(OBS, PILOT, "unit_id", f"{CITY} ", "code-with-spaces", value=f"{CITY} "),
    "trailing-space-in-a-key": cell("units", CITY, "unit_id", f"{CITY} ", "code-not-found", **SPACED),
    "duplicate-key": cell(OBS, AFTER, "observation_id", WATER, "primary-key-repeated", key="observation_id"),
    "empty-required-cell": cell("units", CITY, "short_name_zh", "", "value-required"),
    "unknown-rank": cell(STM, AGREES, "rank", "best", "value-not-allowed"),
    "missing-cell": line("units", CITY, lambda text: text.rsplit(",", 1)[0], "unit_type", "cell-missing"),
    "too-many-cells": line("units", CITY, lambda text: text + ",extra", None, "cell-extra-holding", value="extra"),
    "renamed-header": line("units", "unit_id", lambda text: text.replace("unit_id", "unit_ID"), ANY, "header-mismatch"),
    "gbk-file": units_saved_as(lambda text: text.encode("gb18030"), ANY, "csv-gbk", fix=UTF8),
    "utf-16-file": units_saved_as(lambda text: text.encode("utf-16"), None, "csv-utf16", fix=UTF8),
    "xlsx-saved-as-csv": units_saved_as(xlsx_bytes, None, "csv-is-xlsx"),
    "missing-file": (lambda w: w.table(MS).unlink(), ("datapackage.json", None, "path"), "resource-file-missing", {}),
    "zero-width-space": cell(OBS, PILOT, "unit_id", ZERO_WIDTH, "invisible-character", found=char(10, "\u200b")),
    "right-to-left-override": cell("units", OFFICE, "short_name_zh", "市委\u202e编办", BIDI),
    "control-character": cell("units", OFFICE, "short_name_en", CONTROL, "invisible-character"),
    "formula-in-a-text": cell("units", OFFICE, "short_name_en", "=cmd|' /C calc'!A0", "text-starts-like-a-formula"),
    "javascript-source-url": cell("sources", SOURCE, "url", "javascript:alert(1)", "not-a-web-address"),
    # the descriptor
    "bidi-in-the-descriptor": described(lambda d: d.update(title_en="a\u2066"), "title_en", BIDI),
    "not-json": (lambda w: (w.package / DESCRIPTOR).write_text("{"), (DESCRIPTOR, None, None), NOT_JSON, AT_START),
    "source-text-missing": (archived(Path.unlink), ("sources.csv", SOURCE, "source_id"), "source-text-missing", {}),
    "javascript-licence-link": described(lambda d: d["licenses"][0].update(path="javascript:"), "licenses.path", LINK),
    "no-english-description": described(lambda d: d.pop(EN_TEXT), EN_TEXT, "text-missing", language=EN),
    "no-rights": described(lambda d: d.pop("rights"), "rights", "text-missing", language=Text("phrase.chinese")),
    "version-not-semver": described(lambda d: d.update(version="1.0"), "version", "version-not-semver", version="1.0"),
    "field-without-description": described(lambda d: field_of(d, "unit_id").pop(EN_TEXT), EN_TEXT, NO_DESCRIPTION),
    "fields-not-objects": described(lambda d: units(d).update(fields={"unit_id": "text"}), "fields", NOT_OBJECTS),
    "refused-by-frictionless": described(
        lambda d: field_of(d, "value").update(constraints={"maxLength": "x"}), ANY, "descriptor-invalid"
    ),
    # provenance: every excerpt is the report's, where it says, and so is every value
    "excerpt-elsewhere": cell(OBS, RATE, "locator", "15", "excerpt-elsewhere", first=14),
    "excerpt-not-in-source": cell(OBS, CUT, "excerpt", "全市共精简内设机构40个", "excerpt-not-verbatim"),
    "unstated": cell(OBS, ITEMS, "value", "12.6", "value-not-in-excerpt", value=12.6),
    "not-recomputing": cell(OBS, "water-sections-reduction-rate", "value", "24", "value-not-formula-result", value=24),
    "unknown-input": cell(
        OBS, "water-sections-cut", "formula", "{water-after}", "formula-not-computable", error=UNKNOWN
    ),
    "unnamed-section": cell(SECTIONS, "market-online-section", "section_zh", "网络交易科", "section-not-in-excerpt"),
    "estimate-without-its-range": cell(OBS, "city-sections-before", "lower", "", "estimate-without-range"),
    "city-figure-without-scope": cell(OBS, PILOT, "scope_zh", "", "city-figure-without-scope"),
    "scope-in-one-language": cell(OBS, WATER, "scope_zh", "市水务局", "scope-in-one-language", at="scope_en"),
    "computed-scope": cells(OBS, "city-sections-after", CITYWIDE, "scope_zh", "computed-scope-differs", own_zh="全市"),
    "computed-from-estimate": cell(OBS, "city-sections-after", "basis", "derived", "computed-from-estimate"),
    "misqualified": cell(OBS, RULES, "qualifier", "exact", "qualifier-against-wording"),
    "quote-without-speaker": cell(OBS, CUT, "speaker_zh", "", "quote-without-speaker"),
    "speaker-elsewhere": cell(OBS, WATER, "speaker_zh", WANG, SPEAKER, speaker=WANG),
    "milestone-date-not-in-excerpt": cells(
        MS, ROLLOUT, {"date": "2025-H2", "start_date": "2025-07-01", "end_date": "2025-12-31"}, "date", NOT_STATED
    ),
    # a claim: the figure its excerpt states is named, of its unit; the checks of every excerpt hold for it too
    "claim-figure-unnamed": cell(CLAIMS, EFFICIENCY, "observation_id", "", "claim-figure-without-observation"),
    "claim-figure-elsewhere": cell(CLAIMS, EFFICIENCY, "observation_id", RULES, "claim-observation-not-in-excerpt"),
    "claim-of-another-unit": cell(CLAIMS, EFFICIENCY, "unit_id", CITY, "claim-observation-other-unit"),
    "claim-quote-without-speaker": cell(CLAIMS, "city-staffing-returns", "speaker_zh", "", "quote-without-speaker"),
    "claim-speaker-elsewhere": cell(CLAIMS, WORK, "speaker_zh", WANG, SPEAKER),
    "claim-not-verbatim": cell(CLAIMS, SATISFIED, "excerpt", "群众满意度显著提升", "excerpt-not-verbatim"),
    "claim-other-strand": cell(CLAIMS, WORK, "strand_id", "reshaping", "strand-not-heading"),
    "claim-untranslated": cell(CLAIMS, WORK, "excerpt_en", "", "value-required"),
    "claim-causal-note": cell(CLAIMS, SATISFIED, "note_zh", "满意度随之提升", "causal-wording"),
    # a statement of another report: held to the same rules, and a conflict names its reason
    "statement-not-verbatim": cell(STM, AGREES, "excerpt", "市水务局内设机构由12个减至9个", "excerpt-not-verbatim"),
    "statement-elsewhere": cell(STM, AGREES, "locator", "7", "excerpt-elsewhere", first=5),
    "statement-unstated": cell(STM, AGREES, "value", "13", "value-not-in-excerpt", value=13),
    "statement-misqualified": cell(STM, AGREES, "qualifier", "at-least", "qualifier-against-wording"),
    "statement-untranslated": cell(STM, AGREES, "excerpt_en", "", "value-required"),
    "statement-speaker-elsewhere": cell(STM, AGREES, "speaker_zh", WANG, SPEAKER, speaker=WANG),
    "statement-unknown-observation": cell(STM, AGREES, "observation_id", "water-sections", "code-not-found"),
    "conflict-without-reason": cell(STM, CONFLICT, "rank_reason_zh", "", NO_REASON, value="42", held="40"),
    "reason-in-one-language": cell(STM, CONFLICT, "rank_reason_en", "", NO_REASON),
    "deprecated-without-reason": cell(STM, AGREES, "rank", "deprecated", NO_REASON, at="rank_reason_zh"),
    "two-preferred-values": cell(STM, CONFLICT, "rank", "preferred", "statement-second-preferred", held="40"),
    "causal-reason": cell(STM, CONFLICT, "rank_reason_zh", "回访报道随之更正", "causal-wording"),
    "statement-repeats-observation": cells(STM, AGREES, {"source_id": SOURCE, "locator": "7"}, "locator", REPEATS),
    "statement-repeated": cells(
        STM, "water-sections-after-followup", {"observation_id": WATER, "value": "12"}, "locator", "statement-repeated"
    ),
}


# mistakes that change a whole file, the descriptor or the archived texts: each is made on a copy of its own
WHOLE = {"renamed-header", "gbk-file", "utf-16-file", "xlsx-saved-as-csv", "source-text-missing"}


def batches() -> dict[str, object]:
    """Each mistake's batch: the mistakes made in one copy and found by one validation. A batch edits one row of each
    table at most (rows of different tables do not hide one another's problems); a whole file's mistake is alone."""
    made: dict[str, int] = {}
    batch: dict[str, object] = {}
    for mistake, (_, (file, _, _), _, _) in MISTAKES.items():
        if mistake in WHOLE or not file.endswith(".csv"):
            batch[mistake] = mistake
        else:
            batch[mistake] = made[file] = made.get(file, -1) + 1
    return batch


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> Callable[[str], tuple]:
    """Where a mistake's problem is, its code and parameters, and what validation found in its batch's copy."""
    batch, found = batches(), {}

    def of(mistake: str) -> tuple:
        if batch[mistake] not in found:
            workspace = Workspace(tmp_path_factory.mktemp("batch"))
            made = {m: make(m, workspace) for m in MISTAKES if batch[m] == batch[mistake]}
            found[batch[mistake]] = made, validated(workspace.datasets, workspace.sources)
        made, result = found[batch[mistake]]
        return made[mistake], result

    return of


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_a_mistake_is_refused_naming_its_file_row_and_field(mistake, refused):
    (where, code, params), (problems, printed, passed) = refused(mistake)
    assert not passed, printed
    problem = find_problem(problems, code, *where, **params)
    assert str(problem) in printed and "\ufffd" not in printed
    assert "改正之前不会构建网站" in printed and "nothing is built" in printed


def make(mistake: str, workspace) -> tuple[tuple, str, dict]:
    """Make the mistake in the workspace; where the problem it causes is, its code and some of its parameters."""
    apply, (file, row, field), code, params = MISTAKES[mistake]
    row = workspace.row(file.removesuffix(".csv"), row) if isinstance(row, str) else row
    apply(workspace)
    return (file, row, field), code, params


def test_white_space_and_quote_style_do_not_matter_in_excerpts_and_a_bom_is_a_note(workspace):
    excerpt = workspace.get(MS, LAUNCH, "excerpt")
    assert "“" in excerpt
    workspace.set(MS, LAUNCH, "excerpt", excerpt.replace(",", ", ").translate(str.maketrans("“”", '""')))
    workspace.table("units").write_bytes(b"\xef\xbb\xbf" + workspace.table("units").read_bytes())
    result = workspace.validate()  # the command itself, once: its exit code, and what it prints
    assert result.returncode == 0, result.stdout
    problems = validation_problems(workspace.datasets, workspace.sources)
    assert str(find_problem(problems, "csv-bom", "units.csv", None, None, "warning")) in result.stdout


def test_an_archived_text_other_than_the_one_recorded_is_refused_until_its_hash_is_recorded(workspace):
    archived(lambda text: text.write_bytes(text.read_bytes() + b"\n"))(
        workspace
    )  # the same paragraphs, not the same text
    found = hashlib.sha256((workspace.sources / f"{SOURCE}.txt").read_bytes()).hexdigest()
    hashes = {"expected": workspace.get("sources", SOURCE, "sha256"), "found": found}
    assert_fails(workspace, "source-text-changed", "sources.csv", 2, "sha256", **hashes)
    workspace.set("sources", SOURCE, "sha256", found)  # re-archived on purpose: the new text's hash recorded
    assert workspace.validate().returncode == 0


@pytest.mark.parametrize("mistake", ["gbk-file", "zero-width-space", "missing-file"])
def test_a_refused_build_leaves_the_published_site_byte_for_byte(mistake, workspace, built_site, tmp_path):
    site = tmp_path / "published" / "site"
    shutil.copytree(built_site, site)
    before = digests(site)
    make(mistake, workspace)
    result = build_site(site, workspace.datasets)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "未作改动" in result.stderr and "unchanged" in result.stderr
    # validation's report says why, even where the data could not be read for the pages (validated alongside)
    assert "改正之前不会构建网站" in result.stderr and "nothing is built until they are fixed" in result.stderr
    assert digests(site) == before
    assert [p.name for p in site.parent.iterdir()] == ["site"]  # no staging folder left behind
