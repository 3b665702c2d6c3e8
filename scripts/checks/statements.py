"""Statements: other reports' statements of an observation the package holds, each held to the provenance rules.

A statement that differs from the observation (value or qualifier) or is deprecated says why the site uses the
observation's value, in both languages; no statement is a second preferred value; no report states one observation
twice at one paragraph.
"""

import math
from collections.abc import Iterator

from scripts.checks.editorial import qualifier_problems
from scripts.checks.provenance import listed, numbered
from scripts.data.figures import figures
from scripts.data.packages import RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem
from scripts.data.statements import STATEMENTS, differs

REASONS = ("rank_reason_zh", "rank_reason_en")


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
    reasons = [(row.get(field) or "").strip() for field in REASONS]
    missing = REASONS[0] if not reasons[0] else REASONS[1]
    conflict = differs(row, observation)
    params = {
        "observation": row["observation_id"],
        "value": row["value"],
        "qualifier": row["qualifier"],
        "held": observation.get("value", ""),
        "held_qualifier": observation.get("qualifier", ""),
    }
    if conflict and row["rank"] == "preferred":
        yield Problem(file, "statement-second-preferred", params, row_number, "rank")
    elif (conflict or row["rank"] == "deprecated") and not all(reasons):
        yield Problem(file, "statement-conflict-without-reason", params | {"rank": row["rank"]}, row_number, missing)
    elif any(reasons) and not all(reasons):
        yield Problem(file, "rank-reason-in-one-language", {}, row_number, missing)
