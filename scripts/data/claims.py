"""Candidate claims: the clauses of a report that use a word of outcome or effect (提升, 显著 …: words.toml), which the
maintainers' draft offers as rows of the claims table for the maintainer to keep or leave."""

import re
from dataclasses import dataclass

from scripts.data.figures import WORDS, clause_around
from scripts.data.sources import normalise

EFFECT = re.compile("|".join(WORDS["editorial"]["effect"]))
OPENING, CLOSING = "“‘「『", "”’」』"


@dataclass(frozen=True)
class Candidate:
    paragraph: int
    clause: str  # verbatim, as validation compares excerpts


def candidate_claims(paras: list[str], skip: set[int], held: list[tuple[int, str]], limit: int) -> list[Candidate]:
    """Each clause of the paragraphs (from 1, those in skip aside: the title, headings) that uses an effect word, once,
    in order, unless a claim the package holds (paragraph, excerpt) already quotes it or is quoted by it."""
    found: list[Candidate] = []
    for number, para in enumerate(paras, start=1):
        if number in skip:
            continue
        for match in EFFECT.finditer(para):
            clause = _unquoted(clause_around(para, match.start(), match.end(), limit))
            flat = normalise(clause)
            taken = any(n == number and e and (flat in normalise(e) or normalise(e) in flat) for n, e in held)
            if flat and not taken and Candidate(number, clause) not in found:
                found.append(Candidate(number, clause))
    return found


def _unquoted(clause: str) -> str:
    """The clause without a quotation mark left open or closed by the clause next to it (“我们…, …效益。” → 我们…)."""
    clause = clause.strip()
    if clause[:1] in OPENING and not any(c in clause for c in CLOSING):
        clause = clause[1:]
    if clause[-1:] in CLOSING and not any(c in clause for c in OPENING):
        clause = clause[:-1]
    return clause.strip()
