"""mkdocs hook: two fixes to the theme's markup of every page, for readers on phones and with screen readers.

- The theme links every page to each edition's root as `<link rel="alternate" hreflang>`: relative (search engines
  ignore them), pointing at the edition's home rather than the page's twin, and making every first visit download
  both editions' sitemaps, which grow with the site. The sitemaps (overrides/sitemap.xml) already give each page's
  twin in full, and the language switch links each page to its twin: the head links are removed.
- The search dialog has role="dialog" but no name; it gets the theme's own word for search.

A page without the markup these fixes expect stops the build: a theme update must not undo them silently.
"""

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

HEAD_ALTERNATES = re.compile(r'[ \t]*<link rel="alternate" href="[^"<>]*" hreflang="[^"<>]*">\n?')
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_NAME = {"zh": "搜索", "en": "Search"}


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    head, body = output.split("</head>", 1) if "</head>" in output else (output, None)
    lean, removed = HEAD_ALTERNATES.subn("", head)  # only the head holds them; a long page's body is not searched
    if body is not None:
        lean += "</head>" + body
    embed = page.meta.get("template") == "embed.html"  # an embed page has no header, so no search dialog
    if removed != len(config.extra.get("alternate") or []) or (SEARCH_DIALOG not in lean and not embed):
        raise PluginError(
            f"{page.file.src_uri}: the theme's markup changed (hreflang links in <head>: {removed}, search dialog: "
            f"{SEARCH_DIALOG in lean}); update scripts/site/head_hooks.py"
        )
    name = SEARCH_NAME[str(config.theme["language"])]
    return lean.replace(SEARCH_DIALOG, SEARCH_DIALOG.replace('role="dialog"', f'role="dialog" aria-label="{name}"'), 1)
