"""Our own checks: every excerpt is in its source, every value is in its excerpt, derived values recompute.

Another report's statement of an observation (the statements table) is held to the same rules; one that differs from
the observation or is deprecated says why, in both languages; no statement is a second preferred value, and no report
states one observation twice at one paragraph.
"""

import math
import re
from collections.abc import Iterator
from pathlib import Path

from scripts.data.dates import date_span
from scripts.data.figures import APPROX, figures
from scripts.data.formulas import FormulaError, evaluate, references
from scripts.data.messages import Text
from scripts.data.packages import RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem
from scripts.data.sources import (
    OVERVIEW,
    ArchivedText,
    archived_text,
    find_text,
    heading_strands,
    locate,
    normalise,
    paragraphs,
    strand_under,
)
from scripts.data.statements import STATEMENTS, differs

COMPUTED = ("derived", "estimated")  # values that carry a formula, recomputed by validation
QUOTATION = re.compile(r"“([^”]*)”")
CLAUSE = re.compile(r"[,，。；！？]")  # a quotation holding one is someone's words, not a quoted name or term
RANK_REASONS = ("rank_reason_zh", "rank_reason_en")  # a statement's, in each language
SAYING = re.compile(r"(?:表示|介绍|告诉记者|指出|透露|说)[,:]")  # in normalised text: a verb of saying, then its words


def numbered(rows: list[dict[str, str]]) -> Iterator[tuple[int, dict[str, str]]]:
    return enumerate(rows, start=2)  # row 1 is the header, as in Excel and frictionless


def stated_values(excerpt: str) -> list[float]:
    """The figures an excerpt states, as the draft and the quality page read them."""
    return [n.value for n in figures(excerpt) if n.value is not None]


def listed(numbers: list[float]) -> tuple[str, ...] | Text:
    return tuple(f"{n:g}" for n in numbers) or Text("phrase.none")


def check_source_texts(package: RawPackage, sources_folder: Path) -> Iterator[Problem]:
    """Each source's archived text is there and is the text its row's sha256 records: every excerpt check rests on
    it, so a missing or changed text is an error, never a check skipped."""
    rows = package.tables.get("sources") or []
    if not rows or "source_id" not in rows[0]:
        return
    file = display(package.table_path("sources"))
    for row_number, row in numbered(rows):
        text = find_text(sources_folder, row["source_id"], row.get("sha256") or "") if row["source_id"] else None
        problem = text_problem(text, file, row_number) if text else None
        yield from [problem] if problem else []


def text_problem(text: ArchivedText, file: str, row: int | None = None) -> Problem | None:
    """What is wrong with a source's archived text, at its row of the sources table; None if it is the text recorded."""
    params = {"source_id": text.source_id, "path": text.path}
    if text.found is None:
        return Problem(file, "source-text-missing", params | {"folder": text.path.parent}, row, "source_id")
    if not text.recorded:
        return Problem(file, "source-hash-unrecorded", params | {"found": text.found}, row, "sha256")
    if text.found != text.recorded:
        hashes = {"expected": text.recorded, "found": text.found}
        return Problem(file, "source-text-changed", params | hashes, row, "sha256")
    return None


def check_provenance(package: RawPackage, sources_folder: Path) -> Iterator[Problem]:
    """Every excerpt is in its archived text, at its paragraph and strand (a missing text: check_source_texts)."""
    texts: dict[str, tuple[list[str], dict[int, str]] | None] = {}
    for file, row_number, row in package.rows_with("source_id", "locator", "excerpt"):
        if row["source_id"] not in texts:
            text = archived_text(sources_folder, row["source_id"])
            paras = paragraphs(text) if text is not None else []
            headings = heading_strands(paras, package.tables.get("strands", []))
            texts[row["source_id"]] = (paras, headings) if text is not None else None
        if found := texts[row["source_id"]]:
            yield from _check_located(file, row_number, row, *found)


def _check_located(
    file: str, row_number: int, row: dict[str, str], paras: list[str], headings: dict[int, str]
) -> Iterator[Problem]:
    """The excerpt is at the paragraph its locator names, and the row stands in the strand of the heading that
    paragraph is under, or the overview (a report without strand headings leaves the strand to the maintainer)."""
    found = locate(row["excerpt"], paras)
    if not found:
        quoted = {"excerpt": row["excerpt"], "source_id": row["source_id"]}
        yield Problem(file, "excerpt-not-verbatim", quoted, row_number, "excerpt")
    try:
        locator = int(row["locator"])
    except ValueError:
        return  # frictionless reports the malformed locator
    if "speaker_zh" in row and locator in found:
        yield from _check_speaker(file, row_number, row, paras[locator - 1])
    if found and locator not in found:
        # the paragraphs are listed with a comma in both languages, as they are numbers
        where = {"found": ", ".join(map(str, found)), "locator": locator, "first": found[0]}
        yield Problem(file, "excerpt-elsewhere", where, row_number, "locator")
    expected = strand_under(locator, headings) if "strand_id" in row else None
    if expected is None or row["strand_id"] in (expected, OVERVIEW):
        return
    heading = max((n for n in headings if n <= locator), default=None)
    strand = {"locator": locator, "strand": row["strand_id"], "overview": OVERVIEW}
    if heading is None:
        yield Problem(file, "strand-before-headings", strand, row_number, "strand_id")
    else:
        under = {"heading": paras[heading - 1].strip(), "expected": expected}
        yield Problem(file, "strand-not-heading", strand | under, row_number, "strand_id")


def spoken(excerpt: str, para: str) -> bool:
    """Whether the excerpt gives someone's words: inside a quotation of a clause or more, or after a verb of saying
    (表示, 介绍, 告诉记者 …) in its sentence."""
    wanted = normalise(excerpt)
    if any(CLAUSE.search(quoted) and wanted in normalise(quoted) for quoted in QUOTATION.findall(para)):
        return True
    for sentence in re.split(r"(?<=[。！？])", para):
        text, verb = normalise(sentence), SAYING.search(normalise(sentence))
        if verb and wanted in text[verb.end() :]:
            return True
    return False


def _check_speaker(file: str, row_number: int, row: dict[str, str], para: str) -> Iterator[Problem]:
    """A quoted or reported speaker is named as the report names them, in both languages, and no speaker is named
    where the report speaks in its own voice."""
    speaker, speaker_en = (row.get("speaker_zh") or "").strip(), (row.get("speaker_en") or "").strip()
    words = spoken(row["excerpt"], para)
    if words and not speaker:
        yield Problem(file, "quote-without-speaker", {"excerpt": row["excerpt"]}, row_number, "speaker_zh")
    elif speaker and normalise(speaker) not in normalise(para):
        yield Problem(file, "speaker-not-in-source", {"speaker": speaker}, row_number, "speaker_zh")
    elif speaker and not words:
        yield Problem(file, "speaker-without-quote", {"speaker": speaker}, row_number, "speaker_zh")
    elif bool(speaker) != bool(speaker_en):
        field = "speaker_en" if speaker else "speaker_zh"
        yield Problem(file, "speaker-without-translation", {"speaker": speaker or speaker_en}, row_number, field)


def check_values(package: RawPackage) -> Iterator[Problem]:
    """Reported values are stated in their excerpt, computed ones recompute, and one computed from an estimate is an
    estimate itself."""
    for file, rows in package.tables_with("value", "basis", "formula", "decimals", "excerpt"):
        id_field = next(iter(rows[0]))
        values = {row[id_field]: as_number(row["value"]) for row in rows}
        for row_number, row in numbered(rows):
            value = as_number(row["value"])
            if value is None:
                continue  # frictionless reports the malformed value
            if row["basis"] == "reported":
                yield from _check_reported(file, row_number, row, value)
            elif row["basis"] in COMPUTED:
                yield from _check_derived(file, row_number, row, value, values)
            yield from _check_range(file, row_number, row, value)
        estimated = {row[id_field] for row in rows if row.get("basis") == "estimated"}
        for row_number, row in numbered(rows):
            inputs = [ref for ref in references(row.get("formula") or "") if ref in estimated]
            if row.get("basis") == "derived" and inputs:
                yield Problem(file, "computed-from-estimate", {"inputs": tuple(inputs)}, row_number, "basis")


def _check_range(file: str, row_number: int, row: dict[str, str], value: float) -> list[Problem]:
    """An estimate states its range (lower ≤ value ≤ upper); a reported or derived value has none."""
    if "lower" not in row or "upper" not in row:
        return []
    lower, upper = as_number(row["lower"]), as_number(row["upper"])
    if row["basis"] != "estimated":
        field = "lower" if row["lower"] else "upper" if row["upper"] else None
        return [Problem(file, "range-not-estimate", {"basis": row["basis"]}, row_number, field)] if field else []
    if lower is None or upper is None:
        return [Problem(file, "estimate-without-range", row=row_number, field="lower" if lower is None else "upper")]
    if not lower <= value <= upper:
        outside = {"value": value, "lower": lower, "upper": upper}
        return [Problem(file, "estimate-out-of-range", outside, row_number, "lower" if value < lower else "upper")]
    return []


def as_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _check_reported(file: str, row_number: int, row: dict[str, str], value: float) -> Iterator[Problem]:
    if row["formula"] or row["decimals"]:
        yield Problem(file, "reported-with-formula", row=row_number, field="basis")
    stated = stated_values(row["excerpt"])
    if not any(math.isclose(value, number, rel_tol=1e-12) for number in stated):
        yield Problem(file, "value-not-in-excerpt", {"value": value, "numbers": listed(stated)}, row_number, "value")


def _check_derived(
    file: str, row_number: int, row: dict[str, str], value: float, values: dict[str, float | None]
) -> list[Problem]:
    formula, decimals = row["formula"], row["decimals"]
    if not formula or not decimals.isdigit():
        code = "estimate-without-formula" if row["basis"] == "estimated" else "derived-without-formula"
        return [Problem(file, code, row=row_number, field="formula" if not formula else "decimals")]
    if next(iter(row.values())) in references(formula):
        return [Problem(file, "formula-refers-to-itself", row=row_number, field="formula")]
    if any(ref in values and values[ref] is None for ref in references(formula)):
        return []  # an input is not a number: frictionless reports that cell, and this value follows from it
    try:
        known = {key: number for key, number in values.items() if number is not None}
        result = round(evaluate(formula, known), int(decimals))
    except FormulaError as error:
        return [Problem(file, "formula-not-computable", {"error": error.why}, row_number, "formula")]
    if not math.isclose(result, value, rel_tol=1e-12, abs_tol=1e-12):
        return [Problem(file, "value-not-formula-result", {"value": value, "result": result}, row_number, "value")]
    return []


def check_dates(package: RawPackage) -> Iterator[Problem]:
    """Dates with a precision: the excerpt states the date, and start and end match it."""
    for file, row_number, row in package.rows_with("date", "precision", "start_date", "end_date", "excerpt"):
        span = date_span(row["date"], row["precision"])
        if span is None:
            dated = {"date": row["date"], "precision": row["precision"]}
            yield Problem(file, "date-precision", dated, row_number, "date")
            continue
        start, end, label = span
        for field, expected in (("start_date", start), ("end_date", end)):
            if row[field] != expected.isoformat():
                code = "start-date-mismatch" if field == "start_date" else "end-date-mismatch"
                span_of = {"field": field, "found": row[field], "date": row["date"], "expected": expected}
                yield Problem(file, code, span_of, row_number, field)
        if normalise(label) not in normalise(row["excerpt"]):
            yield Problem(file, "date-not-in-excerpt", {"label": label}, row_number, "date")


def check_sections(package: RawPackage) -> Iterator[Problem]:
    """A section named in a change must be named in that change's excerpt."""
    changes = {row.get("change_id"): row for row in package.tables.get("changes", [])}
    for file, row_number, row in package.rows_with("change_id", "section_zh"):
        change = changes.get(row["change_id"])
        if change and normalise(row["section_zh"]) not in normalise(change.get("excerpt", "")):
            named = {"section": row["section_zh"], "change": row["change_id"]}
            yield Problem(file, "section-not-in-excerpt", named, row_number, "section_zh")


def check_claim_figures(package: RawPackage) -> Iterator[Problem]:
    """A claim (a row citing the report that may name the observation giving its figure) whose excerpt states a
    figure names that observation, whose value is among the excerpt's figures and whose unit is the claim's."""
    observations = {row.get("observation_id"): row for row in package.tables.get("observations", [])}
    for name, field in _references_to(package, "observations"):
        for row_number, row in numbered(package.tables[name]):
            file, stated = display(package.table_path(name)), stated_values(row["excerpt"])
            named = observations.get(row[field]) if row[field] else None
            if stated and not row[field]:
                found = {"excerpt": row["excerpt"], "numbers": listed(stated)}
                yield Problem(file, "claim-figure-without-observation", found, row_number, field)
            value = as_number(named.get("value") or "") if named else None
            if named and value is not None and not any(math.isclose(value, n, rel_tol=1e-12) for n in stated):
                found = {"observation": row[field], "value": value, "numbers": listed(stated)}
                yield Problem(file, "claim-observation-not-in-excerpt", found, row_number, field)
            if named and named.get("unit_id") != row["unit_id"]:
                units = {"observation": row[field], "other": named.get("unit_id", ""), "unit": row["unit_id"]}
                yield Problem(file, "claim-observation-other-unit", units, row_number, "unit_id")


def _references_to(package: RawPackage, target: str) -> Iterator[tuple[str, str]]:
    """(table, field) of each table citing the report (an excerpt, a unit) whose field refers to the target table."""
    for resource in package.descriptor.get("resources", []):
        rows = package.tables.get(resource.get("name")) or []
        for key in (resource.get("schema") or {}).get("foreignKeys", []):
            fields = key.get("fields") or [""]
            field = fields[0] if isinstance(fields, list) else fields
            refers = (key.get("reference") or {}).get("resource") == target
            if refers and rows and {field, "excerpt", "unit_id"} <= rows[0].keys():
                yield resource["name"], field


def check_natural_keys(package: RawPackage) -> Iterator[Problem]:
    """One observation per unit, indicator and period."""
    for file, rows in package.tables_with("unit_id", "indicator_id", "period"):
        seen: dict[tuple[str, str, str], int] = {}
        for row_number, row in numbered(rows):
            key = (row["unit_id"], row["indicator_id"], row["period"])
            if key in seen:
                repeated = {"key": str(key), "row": seen[key]}
                yield Problem(file, "observation-repeated", repeated, row_number, "indicator_id")
            seen.setdefault(key, row_number)


def qualifier_problems(file: str, row_number: int, row: dict[str, str], value: float, stated: list) -> list[Problem]:
    """The row's qualifier is one its excerpt's wording allows (approx too for a bare whole percentage: 达20%)."""
    worded = {n.qualifier for n in stated} | ({APPROX} if any(n.whole_percent for n in stated) else set())
    if not worded or row["qualifier"] in worded:
        return []
    params = {"value": value, "wanted": " or ".join(sorted(worded)), "qualifier": row["qualifier"]}
    return [Problem(file, "qualifier-against-wording", params, row_number, "qualifier")]


def check_statements(package: RawPackage) -> Iterator[Problem]:
    rows = package.tables.get(STATEMENTS) or []
    file = display(package.table_path(STATEMENTS)) if rows else ""
    observations = {row.get("observation_id"): row for row in package.tables.get("observations", [])}
    cited: dict[tuple[str, str, str], int] = {}
    for row_number, row in numbered(rows):
        yield from _check_stated(file, row_number, row)
        observation = observations.get(row["observation_id"])
        if observation is None:
            continue  # frictionless reports the missing observation
        key = (row["observation_id"], row["source_id"], row["locator"])
        if (observation.get("source_id"), observation.get("locator")) == key[1:]:
            params = {"observation": row["observation_id"], "locator": row["locator"]}
            yield Problem(file, "statement-repeats-observation", params, row_number, "locator")
        elif key in cited:
            params = {"observation": row["observation_id"], "first_row": cited[key], "locator": row["locator"]}
            yield Problem(file, "statement-repeated", params, row_number, "locator")
        cited.setdefault(key, row_number)
        yield from _check_rank(file, row_number, row, observation)


def _check_stated(file: str, row_number: int, row: dict[str, str]) -> list[Problem]:
    """The value is stated in the excerpt, with the qualifier its wording gives it, as for a reported observation."""
    try:
        value = float(row["value"])
    except ValueError:
        return []
    stated = [n for n in figures(row["excerpt"]) if n.value is not None]
    matching = [n for n in stated if math.isclose(n.value or 0, value, rel_tol=1e-12)]
    if not matching:
        numbers = listed([n.value or 0 for n in stated])
        return [Problem(file, "value-not-in-excerpt", {"value": value, "numbers": numbers}, row_number, "value")]
    return qualifier_problems(file, row_number, row, value, matching)


def _check_rank(file: str, row_number: int, row: dict[str, str], observation: dict[str, str]) -> Iterator[Problem]:
    reasons = [(row.get(field) or "").strip() for field in RANK_REASONS]
    missing = RANK_REASONS[0] if not reasons[0] else RANK_REASONS[1]
    conflict = differs(row, observation)
    params = {"observation": row["observation_id"], "value": row["value"], "qualifier": row["qualifier"]}
    params |= {"held": observation.get("value", ""), "held_qualifier": observation.get("qualifier", "")}
    if conflict and row["rank"] == "preferred":
        yield Problem(file, "statement-second-preferred", params, row_number, "rank")
    elif (conflict or row["rank"] == "deprecated") and not all(reasons):
        yield Problem(file, "statement-conflict-without-reason", params | {"rank": row["rank"]}, row_number, missing)
    elif any(reasons) and not all(reasons):
        yield Problem(file, "rank-reason-in-one-language", {}, row_number, missing)


FRAMING_CHECKS = (check_values, check_dates, check_sections, check_natural_keys, check_claim_figures, check_statements)
