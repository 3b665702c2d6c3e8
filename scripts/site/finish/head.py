"""Two mends of the theme's markup of every page. The head's hreflang links to each edition's root are removed: the
sitemaps give each page's twin (finish/sitemap.py), and they made every first visit fetch both editions' sitemaps.
The search dialog gets a name. A page without the markup these mends expect stops the build, so that a theme update
cannot undo them silently.
"""

import re

HEAD_ALTERNATES = re.compile(r'[ \t]*<link rel="alternate" href="[^"<>]*" hreflang="[^"<>]*">\n?')
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_NAME = {"zh": "搜索", "en": "Search"}


def mend(page: str, lang: str, alternates: int, embed: bool) -> str:
    """The page with its head's hreflang links removed and its search dialog named; ValueError if the theme's markup
    is not what these mends expect."""
    head, end, body = page.partition("</head>")
    lean, removed = HEAD_ALTERNATES.subn("", head)  # only the head holds them; a long page's body is not searched
    lean += end + body
    if removed != alternates or (SEARCH_DIALOG not in lean and not embed):  # an embed page has no search dialog
        raise ValueError(
            f"the theme's markup changed (hreflang links in <head>: {removed}, search dialog: "
            f"{SEARCH_DIALOG in lean}); update scripts/site/finish/head.py"
        )
    named = SEARCH_DIALOG.replace('role="dialog"', f'role="dialog" aria-label="{SEARCH_NAME[lang]}"')
    return lean.replace(SEARCH_DIALOG, named, 1)
