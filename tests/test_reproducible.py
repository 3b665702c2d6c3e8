"""The same commit builds byte-identical output whatever the clock, time zone, hash seed, locale, folder or build cache;
the cache reuses an output only for exactly the inputs it was made from, and lives outside site/."""

from pathlib import Path

from scripts.data.paths import SITE
from scripts.site.outputs import cache
from tests.site_support import build_afresh, differences, digests


def test_two_builds_of_the_same_commit_are_byte_identical_and_a_warm_build_is_a_cold_one(
    built_site, published_url, tmp_path
):
    """The run's site (UTC, hash seed 1, an empty cache of its own) against one built in another time zone, hash seed
    and locale from the cache the first filled."""
    cold = str(built_site.parent / "cache")
    assert any(Path(cold).rglob("*")), "the run's site was not built from a cache of its own"
    again = tmp_path / "elsewhere" / "site"
    environment = {"TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "4242", "LC_ALL": "C.UTF-8", "BUILD_CACHE_DIR": cold}
    result = build_afresh(again, SITE_URL=published_url, **environment)
    assert result.returncode == 0, result.stderr
    assert differences(built_site, again) == [] and len(digests(again)) > 100


def test_a_cached_output_is_made_once_per_key_every_part_of_which_counts_and_stored_whole_outside_the_site(tmp_path):
    parts = ["chart-svg", "1.9.0", "fonts-a", '{"mark":"bar"}']
    for number, other in enumerate(["chart-png", "1.9.1", "fonts-b", '{"mark":"line"}']):
        assert cache.key(*parts[:number], other, *parts[number + 1 :]) != cache.key(*parts), other
    made = []

    def make(text: str):
        return lambda: made.append(text) or text.encode()

    assert cache.cached("kind", parts, make("one"), tmp_path) == b"one"
    assert cache.cached("kind", parts, make("two"), tmp_path) == b"one", "reused, not made again"
    assert cache.cached("kind", ["b"], make("three"), tmp_path) == b"three"
    assert made == ["one", "three"] and not list(tmp_path.rglob(".partial-*"))
    assert SITE not in cache.cache_dir().parents and cache.cache_dir() != SITE
