"""Archived source texts: where they are and whether each is the text recorded, paragraphs as the locators count
them, and text normalised for comparison."""

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

QUOTES = str.maketrans({c: '"' for c in "“”„‟″「」『』＂"} | {c: "'" for c in "‘’‚‛′"})
WHITESPACE = re.compile(r"\s+")
OVERVIEW = "overview"  # the strand of the reform's course (launch, pilots): it may stand anywhere in a report
HEADING_LENGTH = 30  # a heading is a short paragraph; a longer one that quotes a strand's name is prose


@functools.lru_cache(maxsize=65536)  # each paragraph is compared with every excerpt that cites its source
def normalise(text: str) -> str:
    """Text with the differences that do not change a quote removed: width, quote style and white space."""
    return WHITESPACE.sub("", unicodedata.normalize("NFKC", text).translate(QUOTES).replace("'", '"'))


def paragraphs(text: str) -> list[str]:
    """Non-blank lines, so that paragraph 1 is the title line (see shared/sources/README.md)."""
    return [line for line in text.splitlines() if line.strip()]


def text_path(folder: Path, source_id: str) -> Path:
    return folder / f"{source_id}.txt"


def archived_text(folder: Path, source_id: str) -> str | None:
    path = text_path(folder, source_id)
    return path.read_text(encoding="utf-8") if path.is_file() else None


def sha256_of(path: Path) -> str | None:
    """The SHA-256 (lowercase hex) of a file's bytes, as the sources table records it; None if there is no file."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


class ArchivedText(NamedTuple):
    """A source's archived text as found in the folder, against the SHA-256 its row records."""

    source_id: str
    path: Path
    recorded: str  # the row's sha256; "" if it records none
    found: str | None  # the file's SHA-256; None if there is no file


def find_text(folder: Path, source_id: str, recorded: str) -> ArchivedText:
    path = text_path(folder, source_id)
    return ArchivedText(source_id, path, recorded, sha256_of(path))


def locate(excerpt: str, paras: list[str]) -> list[int]:
    """Numbers (from 1) of the paragraphs that contain the excerpt."""
    wanted = normalise(excerpt)
    return [number for number, para in enumerate(paras, start=1) if wanted and wanted in normalise(para)]


def heading_strands(paras: list[str], strands: Iterable[Mapping[str, str]]) -> dict[int, str]:
    """Paragraph number → strand id of each heading: a short paragraph quoting a strand's name (坚持“瘦身”,…)."""
    return {
        number: strand["strand_id"]
        for number, para in enumerate(paras, start=1)
        for strand in strands
        if strand.get("name_zh") and f"“{strand['name_zh']}”" in para and len(para) < HEADING_LENGTH
    }


def strand_under(locator: int, headings: dict[int, str]) -> str | None:
    """The strand of the last heading at or before a paragraph, the overview before the first heading; None in a
    report without such headings."""
    if not headings:
        return None
    above = [strand for number, strand in sorted(headings.items()) if number <= locator]
    return above[-1] if above else OVERVIEW
