"""The search entries of a page, made once for the same page and reused while nothing they come from changes: the
theme's search plugin parses every page's HTML and segments its Chinese with jieba (whose dictionary takes a second to
load) on every build, which is most of the cost of rebuilding an unchanged page under `make serve`.

The entries are a function of the page's address, title, metadata, table of contents and HTML, and of the code that
makes them (the theme's search plugin and jieba, with the dictionary it ships): all of them are in the key. Within a
process they are kept in memory; across builds, in the build cache (scripts/site/cache.py).
"""

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from importlib.metadata import version
from typing import Any

from mkdocs.structure.pages import Page

from scripts.site.cache import cached
from scripts.site.render import without_nonces

_entries: dict[str, list[dict[str, Any]]] = {}


def _toc(items: Any) -> list[Any]:
    return [[item.id, item.title, item.url, item.level, _toc(item.children)] for item in items]


def page_key(page: Page) -> str:
    """A deferred block's token stays in the content the plugin reads (in a section it leaves out); its nonce, new in
    every build, is no part of the entries."""
    facts = [page.url, page.title, page.meta, _toc(page.toc), without_nonces(page.content or "")]
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


@functools.cache
def _code() -> list[str]:
    return [f"{name} {version(name)}" for name in ("mkdocs-material", "jieba")]


def remembering(index: Any) -> None:
    """Make a search index reuse a page's entries from an earlier build when its key is the same, and remember which
    entries each page has (`index.page_keys`, by page address)."""
    add: Callable[[Page], None] = index.add_entry_from_context
    index.page_keys = {}

    def made(page: Page) -> bytes:
        start = len(index.entries)
        add(page)
        entries = index.entries[start:]
        del index.entries[start:]
        return json.dumps(entries, ensure_ascii=False).encode("utf-8")

    def add_entry_from_context(page: Page) -> None:
        key = page_key(page)
        index.page_keys[page.url] = key
        if key not in _entries:
            _entries[key] = json.loads(cached("search-entries", [*_code(), key], lambda: made(page)))
        index.entries.extend(dict(entry) for entry in _entries[key])

    index.add_entry_from_context = add_entry_from_context


def reorder(index: Any, pages: Iterable[Page]) -> None:
    """The index's entries as a full build lists them: each page's latest entries, in the order of the pages."""
    index.entries = [dict(entry) for page in pages for entry in _entries[index.page_keys[page.url]]]
