"""The same commit builds byte-identical output: dates come from SOURCE_DATE_EPOCH (the last commit), never the clock,
and nothing depends on the time zone, the hash seed or the folder the site is built in, nor on the navigation markup
that a build reuses from page to page (scripts/site/navigation.py)."""

import hashlib
from pathlib import Path

from tests.site_support import build_site


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_of_the_same_commit_are_byte_identical(built_site, site_url, tmp_path):
    """The run's site (built in UTC with hash seed 1: tests/conftest.py) against one built elsewhere, in another time
    zone, with another hash seed and locale, and with every page's navigation rendered anew."""
    once, again = built_site, tmp_path / "elsewhere" / "site"
    environment = {"TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "4242", "LC_ALL": "C.UTF-8", "NAVIGATION_MEMO": "off"}
    result = build_site(again, SITE_URL=site_url, **environment)
    assert result.returncode == 0, result.stderr
    first, second = digests(once), digests(again)
    assert sorted(first.keys() ^ second.keys()) == []
    assert [name for name in first if first[name] != second[name]] == []
    assert len(first) > 100
