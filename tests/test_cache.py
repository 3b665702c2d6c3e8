"""The build cache: an output is reused only for exactly the inputs it was made from, and lives outside site/ (warm
build = cold build: test_reproducible.py)."""

from scripts.data.paths import SITE
from scripts.site.outputs import cache


def test_the_key_changes_with_every_part_and_only_with_them():
    parts = ["chart-svg", "1.9.0", "fonts-a", '{"mark":"bar"}']
    assert cache.key(*parts) == cache.key(*parts)
    for number, other in enumerate(["chart-png", "1.9.1", "fonts-b", '{"mark":"line"}']):
        assert cache.key(*parts[:number], other, *parts[number + 1 :]) != cache.key(*parts), other


def test_an_output_is_made_once_per_key_and_stored_whole_outside_the_site(tmp_path):
    made = []

    def make(text: str):
        return lambda: made.append(text) or text.encode()

    assert cache.cached("kind", ["a"], make("one"), tmp_path) == b"one"
    assert cache.cached("kind", ["a"], make("two"), tmp_path) == b"one"  # reused, not made again
    assert cache.cached("kind", ["b"], make("three"), tmp_path) == b"three"
    assert made == ["one", "three"] and not list(tmp_path.rglob(".partial-*"))
    assert SITE not in cache.cache_dir().parents and cache.cache_dir() != SITE
