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
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from importlib.metadata import version
from types import SimpleNamespace
from typing import Any

import jieba
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.pages import Page

from scripts.site.cache import cached
from scripts.site.helpers import cached_in_helper, helping
from scripts.site.render import toc_outline, without_nonces

_entries: dict[str, "list[dict[str, Any]] | Future[bytes]"] = {}


def page_key(page: Page) -> str:
    """A deferred block's token stays in the content the plugin reads (in a section it leaves out); its nonce, new in
    every build, is no part of the entries."""
    facts = [page.url, page.title, page.meta, toc_outline(page.toc), without_nonces(page.content or "")]
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


@functools.cache
def _code() -> list[str]:
    return [f"{name} {version(name)}" for name in ("mkdocs-material", "jieba")]


def remembering(index: Any) -> None:
    """Make a search index reuse a page's entries from an earlier build when its key is the same, and remember which
    entries each page has (`index.page_keys`, by page address).

    While `index.ahead` is set (by `make serve`, as it updates pages after an edit), a page's new entries are made in a
    helper process (scripts/site/helpers.py) while the server goes on, and not added to the index: reorder() then
    lists every page's entries."""
    add: Callable[[Page], None] = index.add_entry_from_context
    index.page_keys = {}
    index.ahead = False

    def made(page: Page) -> bytes:
        start = len(index.entries)
        add(page)
        entries = index.entries[start:]
        del index.entries[start:]
        return json.dumps(entries, ensure_ascii=False).encode("utf-8")

    def add_entry_from_context(page: Page) -> None:
        key = page_key(page)
        index.page_keys[page.url] = key
        parts = [*_code(), key]
        if index.ahead and helping() and key not in _entries and not _own_dictionary(index.config):
            _entries[key] = cached_in_helper("search-entries", parts, entries_of, index.config, _indexed(page))
            return
        if key not in _entries:
            _entries[key] = json.loads(cached("search-entries", parts, lambda: made(page)))
        if not index.ahead:
            index.entries.extend(dict(entry) for entry in _listed(key))

    index.add_entry_from_context = add_entry_from_context


def entries_of(config: dict[str, Any], page: SimpleNamespace) -> bytes:
    """A page's entries, as the theme's search plugin makes them (in a helper process)."""
    index = SearchIndex(**config)
    index.add_entry_from_context(page)
    return json.dumps(index.entries, ensure_ascii=False).encode("utf-8")


def _own_dictionary(config: dict[str, Any]) -> bool:
    """Whether the search configuration loads a jieba dictionary of its own (into this process's jieba only)."""
    return bool(config.get("jieba_dict") or config.get("jieba_dict_user"))


def _indexed(page: Page) -> SimpleNamespace:
    """What the theme's search plugin reads of a page, to be sent to a helper process."""
    return SimpleNamespace(url=page.url, title=page.title, meta=page.meta, toc=page.toc, content=page.content)


def _listed(key: str) -> list[dict[str, Any]]:
    entries = _entries[key]
    if isinstance(entries, Future):
        try:
            entries = _entries[key] = json.loads(entries.result())
        except Exception:
            del _entries[key]  # made again the next time it is asked for
            raise
    return entries


def warm() -> None:
    """Load jieba's dictionary, which a process's first page with Chinese text otherwise waits about a second for."""
    jieba.setLogLevel(logging.WARNING)  # no note on loading it
    jieba.initialize()


def reorder(index: Any, pages: Iterable[Page]) -> None:
    """The index's entries as a full build lists them: each page's latest entries, in the order of the pages."""
    index.entries = [dict(entry) for page in pages for entry in _listed(index.page_keys[page.url])]
