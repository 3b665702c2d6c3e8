"""Which reports state a figure, and where they disagree: an observation's own row is the preferred statement, with
its first source; the statements table holds the others."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # validation reads these rules too, without loading the model (and pandas)
    from scripts.data.model import Package

STATEMENTS = "statements"
STATED = ("value", "qualifier", "source_id", "locator", "excerpt", "excerpt_en", "speaker_zh", "speaker_en")


def statements_of(package: Package, observation_id: str) -> list[dict[str, Any]]:
    if STATEMENTS not in package.tables:
        return []
    return package.table(STATEMENTS).where("observation_id", observation_id)


def differs(statement: dict[str, Any], observation: dict[str, Any]) -> bool:
    """Whether a statement gives another value than the observation, or the same number worded otherwise (False for
    a malformed value, which frictionless reports)."""
    try:
        same = math.isclose(float(statement["value"]), float(observation["value"]), rel_tol=1e-12)
    except (KeyError, TypeError, ValueError):
        return False
    return not same or statement.get("qualifier") != observation.get("qualifier")


def report_count(package: Package, observation: dict[str, Any]) -> int:
    """How many reports state the figure: its own source and those of its statements."""
    stating = statements_of(package, observation["observation_id"])
    return len({observation["source_id"], *(s["source_id"] for s in stating)})


def conflicts(package: Package, observation: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in statements_of(package, observation["observation_id"]) if differs(s, observation)]


def as_stated(observation: dict[str, Any], statement: dict[str, Any]) -> dict[str, Any]:
    """The observation as another report states it: that report's value, qualifier and evidence, reported there."""
    stated = {**observation, **{field: statement.get(field) for field in STATED}}
    return stated | {"basis": "reported", "formula": None, "decimals": None, "lower": None, "upper": None}


def source_counts(package: Package) -> dict[str, tuple[int, int]]:
    """Per source: how many figures it states that another report also states (corroborated), and how many of them
    another report states otherwise (conflicting)."""
    counts: dict[str, tuple[int, int]] = {}
    for observation in package.table("observations").records:
        statements = statements_of(package, observation["observation_id"])
        against = [differs(s, observation) for s in statements]
        stating = [(observation["source_id"], any(against))] if statements else []
        for source, disagrees in stating + [(s["source_id"], d) for s, d in zip(statements, against, strict=True)]:
            shared, conflicting = counts.get(source, (0, 0))
            counts[source] = (shared + 1, conflicting + int(disagrees))
    return counts
