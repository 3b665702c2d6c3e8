"""Every download is checked after it is written: each way a file can differ from what the site states is found
(that a problem found stops the build and leaves the published site as it was: test_build.py)."""

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from scripts.site.finish.downloads import check_downloads

PACKAGE = "huaibei-dakeshi-reform"
DATA = f"downloads/{PACKAGE}/data"
UNITS_PAGE, ZEROS = f"en/data/{PACKAGE}/units/index.html", "0" * 64


@pytest.fixture
def site(built_site: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def append_byte(site: Path) -> None:
    append_byte_to(site / DATA / "units.csv")


def append_byte_to(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\n")


def rewrite(relative: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def tamper(site: Path) -> None:
        (site / relative).write_text(change((site / relative).read_text(encoding="utf-8")), encoding="utf-8")

    return tamper


def tamper_zip(site: Path) -> None:
    archive = next((site / "downloads" / PACKAGE).glob("*.zip"))
    source = zipfile.ZipFile(io.BytesIO(archive.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, content + b"\n" if info.filename.endswith("units.csv") else content)
    archive.write_bytes(out.getvalue())


TAMPERINGS: dict[str, tuple[Callable[[Path], None], str]] = {
    "a byte added to a CSV": (append_byte, "units.csv, which has sha256"),
    "a page states another hash": (
        rewrite(UNITS_PAGE, lambda t: re.sub(r"(sha256\">)[0-9a-f]{64}", r"\g<1>" + ZEROS, t)),
        f"{UNITS_PAGE}: states sha256 {ZEROS}",
    ),
    "a page states another size": (
        rewrite(f"data/{PACKAGE}/units/index.html", lambda t: re.sub(r"(download__meta\">)[^<]*", r"\g<1>9.9 MiB", t)),
        "states the size '9.9 MiB'",
    ),
    "the catalogue states another hash": (
        rewrite(
            "catalog.jsonld",
            lambda t: re.sub(r'("spdx:checksumValue": \{\s*"@value": ")[0-9a-f]{64}', r"\g<1>" + ZEROS, t),
        ),
        f"catalog.jsonld: states sha256 {ZEROS} for downloads/",
    ),
    "a download is missing": (lambda site: (site / DATA / "units.json").unlink(), "units.json leads to no file"),
    "the descriptor states other bytes": (
        rewrite(f"downloads/{PACKAGE}/datapackage.json", lambda t: t.replace('"bytes": ', '"bytes": 1', 1)),
        "datapackage.json: resource",
    ),
    "the zip holds another CSV": (tamper_zip, "units.csv does not match the hash its descriptor states"),
    "a version's CSV differs from its page and descriptor": (
        lambda site: append_byte_to(next((site / "data" / PACKAGE).glob("*/data/units.csv"))),
        f" for data/{PACKAGE}/",  # a version's folder, not downloads/
    ),
    "a download no page states": (
        lambda site: (site / DATA / "notes.txt").write_text("left over", encoding="utf-8"),
        "notes.txt: no page states its hash",
    ),
}


def test_the_built_site_states_every_download_truly(site):
    assert check_downloads(site) == []


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_each_kind_of_mismatch_is_found(tampering, site):
    tamper, expected = TAMPERINGS[tampering]
    tamper(site)
    problems = check_downloads(site)
    assert any(expected in problem for problem in problems), problems
