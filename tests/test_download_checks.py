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
DATA, UNITS_PAGE = f"downloads/{PACKAGE}/data", f"en/data/{PACKAGE}/units/index.html"
ZEROS = b"0" * 64


def zipped_csv_changed(content: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, data + b"\n" if info.filename.endswith("units.csv") else data)
    return out.getvalue()


# what is tampered with (a path in the site, or a pattern that finds one), how (its new bytes; None: removed), and
# what the check then says
TAMPERINGS: dict[str, tuple[str, Callable[[bytes], bytes | None], str]] = {
    "a byte added to a CSV": (f"{DATA}/units.csv", lambda b: b + b"\n", "units.csv, which has sha256"),
    "a page states another hash": (
        UNITS_PAGE,
        lambda b: re.sub(rb'(sha256">)[0-9a-f]{64}', rb"\g<1>" + ZEROS, b),
        f"{UNITS_PAGE}: states sha256 {ZEROS.decode()}",
    ),
    "a page states another size": (
        f"data/{PACKAGE}/units/index.html",
        lambda b: re.sub(rb'(download__meta">)[^<]*', rb"\g<1>9.9 MiB", b),
        "states the size '9.9 MiB'",
    ),
    "the catalogue states another hash": (
        "catalog.jsonld",
        lambda b: re.sub(rb'("spdx:checksumValue": \{\s*"@value": ")[0-9a-f]{64}', rb"\g<1>" + ZEROS, b),
        f"catalog.jsonld: states sha256 {ZEROS.decode()} for downloads/",
    ),
    "a download is missing": (f"{DATA}/units.json", lambda b: None, "units.json leads to no file"),
    "the descriptor states other bytes": (
        f"downloads/{PACKAGE}/datapackage.json",
        lambda b: b.replace(b'"bytes": ', b'"bytes": 1', 1),
        "datapackage.json: resource",
    ),
    "the zip holds another CSV": (
        f"downloads/{PACKAGE}/*.zip",
        zipped_csv_changed,
        "units.csv does not match the hash",
    ),
    "a version's CSV differs from its page and descriptor": (
        f"data/{PACKAGE}/*/data/units.csv",
        lambda b: b + b"\n",
        f" for data/{PACKAGE}/",  # a version's folder, not downloads/
    ),
    "a download no page states": (f"{DATA}/notes.txt", lambda b: b"left over", "notes.txt: no page states its hash"),
}


@pytest.fixture(scope="module")
def site(built_site: Path, tmp_path_factory) -> Path:
    """A copy of the run's site, which each test tampers with and mends."""
    copy = tmp_path_factory.mktemp("tampered") / "site"
    shutil.copytree(built_site, copy)
    return copy


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_each_kind_of_mismatch_is_found(tampering, site):
    where, change, expected = TAMPERINGS[tampering]
    path = next(site.glob(where), site / where)
    original = path.read_bytes() if path.is_file() else b""
    if (changed := change(original)) is None:
        path.unlink()
    else:
        path.write_bytes(changed)
    try:
        problems = check_downloads(site)
    finally:  # mended for the next
        if original:
            path.write_bytes(original)
        else:
            path.unlink()
    assert any(expected in problem for problem in problems), problems
