"""The same commit builds byte-identical output: dates come from SOURCE_DATE_EPOCH (the last commit), never the clock,
and nothing depends on the time zone, hash seed, locale, folder or what the build cache holds."""

from pathlib import Path

from tests.site_support import build_afresh, differences, digests


def test_two_builds_of_the_same_commit_are_byte_identical_and_a_warm_build_is_a_cold_one(
    built_site, published_url, tmp_path
):
    """The run's site (built in UTC, hash seed 1, from an empty cache: tests/conftest.py) against one built elsewhere
    in another time zone, hash seed and locale from the cache the first filled."""
    cold = str(built_site.parent / "cache")
    assert any(Path(cold).rglob("*")), "the run's site was not built from a cache of its own"
    again = tmp_path / "elsewhere" / "site"
    environment = {"TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "4242", "LC_ALL": "C.UTF-8", "BUILD_CACHE_DIR": cold}
    result = build_afresh(again, SITE_URL=published_url, **environment)
    assert result.returncode == 0, result.stderr
    assert differences(built_site, again) == [] and len(digests(again)) > 100
