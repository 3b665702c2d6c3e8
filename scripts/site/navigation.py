"""The theme's navigation (its menu, and the page's table of contents beside it), and the parts of its frame that
are the same on every page of a place (stylesheets, scripts and their configuration; the header's logo, colour scheme
and search box: overrides/partials/placed.html), each rendered once for the pages that share it: a page that the
menu does not list (a department's, say) gets the same markup as any other such page with the same links from where
it is and the same headings. Rendering it for every page took a tenth of a build at 100×
the data, whose pages are mostly departments'.

The markup depends on the menu, the page's place (links are relative to it), its table of contents and whether it
hides either; the menu marks the page it lists as current, so a listed page is rendered as the theme renders it.
NAVIGATION_MEMO=off renders every page's navigation anew: tests/test_reproducible.py builds so, and compares.
"""

import json
import os
from typing import Any

from markupsafe import Markup
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from scripts.site.render import toc_outline


class NavigationMemo:
    """Set in the theme's environment as `navigation_memo` (scripts/site/hooks.py), for one build of one edition."""

    def __init__(self) -> None:
        self._markup: dict[str, Markup] = {}
        setting = os.environ.get("NAVIGATION_MEMO", "on")
        if setting not in ("on", "off"):
            raise ValueError(f"NAVIGATION_MEMO is {setting!r}: set it to on (the default) or off")
        self.enabled = setting == "on"

    def key(self, page: Page | None, nav: Navigation, base_url: str) -> str | None:
        """What the navigation's markup depends on for this page; None for a page the menu lists."""
        if not self.enabled or page is None or page in nav.pages:
            return None
        links = [get_relative_url(url, page.url) for item in _items(nav.items) if (url := getattr(item, "url", None))]
        toc = list(page.toc)
        if toc and toc[0].level == 1:  # the theme lists the headings under the page's title, as its toc.html does
            toc = toc[0].children
        hide = (page.meta or {}).get("hide")
        return json.dumps([base_url, links, toc_outline(toc), hide], ensure_ascii=False, default=str)

    def chrome_key(self, block: str, page: Page | None, base_url: str) -> str | None:
        """What a part of the theme's frame around the content depends on (overrides/partials/placed.html): the
        edition's settings, the same for every page of a build, and the page's place, from which its links to the
        theme's files are written (the depth, and the first folder: a link to a file in the page's own folder tree is
        written shorter); None to render it for the page."""
        if not self.enabled or page is None or not page.url:
            return None
        return json.dumps([block, base_url, page.url.split("/", 1)[0]])

    def get(self, key: str) -> Markup | None:
        return self._markup.get(key)

    def remember(self, key: str, markup: Markup) -> Markup:
        self._markup[key] = markup
        return markup


def _items(items: list[Any]) -> list[Any]:
    found = []
    for item in items:
        found.append(item)
        found += _items(getattr(item, "children", None) or [])
    return found
