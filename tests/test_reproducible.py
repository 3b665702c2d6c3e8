"""The same commit builds byte-identical output: dates come from SOURCE_DATE_EPOCH (the last commit), never the clock,
and nothing depends on the time zone, the hash seed or the folder the site is built in, nor on what the build cache
holds (scripts/site/outputs/cache.py)."""

from pathlib import Path

from tests.site_support import build_afresh, differences, digests


def test_two_builds_of_the_same_commit_are_byte_identical_and_a_warm_build_is_a_cold_one(
    built_site, published_url, tmp_path
):
    """The run's site (built in UTC with hash seed 1 from an empty build cache: tests/conftest.py) against one built
    elsewhere, in another time zone, hash seed and locale, from the cache that the first build filled."""
    cold = str(built_site.parent / "cache")
    assert any(Path(cold).rglob("*")), "the run's site was not built from a cache of its own"
    once, again = built_site, tmp_path / "elsewhere" / "site"
    environment = {"TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "4242", "LC_ALL": "C.UTF-8", "BUILD_CACHE_DIR": cold}
    result = build_afresh(again, SITE_URL=published_url, **environment)
    assert result.returncode == 0, result.stderr
    assert differences(once, again) == []
    assert len(digests(once)) > 100
