"""The search entries of a page, made once per process for the same page and reused while nothing they come from
changes: the theme's search plugin parses every page's HTML and segments its Chinese on every build, which is most
of the cost of rebuilding an unchanged page under `make serve`.

The entries are a function of the page's address, title, metadata, table of contents and HTML (and of the search
plugin's code, which does not change within a process): all of them are in the key.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from mkdocs.structure.pages import Page

_entries: dict[str, list[dict[str, Any]]] = {}


def _toc(items: Any) -> list[Any]:
    return [[item.id, item.title, item.url, item.level, _toc(item.children)] for item in items]


def page_key(page: Page) -> str:
    facts = [page.url, page.title, page.meta, _toc(page.toc), page.content]
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def remembering(index: Any) -> None:
    """Make a search index reuse a page's entries from an earlier build in this process when its key is the same,
    and remember which entries each page has (`index.page_keys`, by page address)."""
    add: Callable[[Page], None] = index.add_entry_from_context
    index.page_keys = {}

    def add_entry_from_context(page: Page) -> None:
        key = page_key(page)
        index.page_keys[page.url] = key
        if key in _entries:
            index.entries.extend(dict(entry) for entry in _entries[key])
            return
        start = len(index.entries)
        add(page)
        _entries[key] = [dict(entry) for entry in index.entries[start:]]

    index.add_entry_from_context = add_entry_from_context


def reorder(index: Any, pages: Iterable[Page]) -> None:
    """The index's entries as a full build lists them: each page's latest entries, in the order of the pages."""
    index.entries = [dict(entry) for page in pages for entry in _entries[index.page_keys[page.url]]]
