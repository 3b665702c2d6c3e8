"""Each edition's sitemap: every page with its twin in each edition, which search engines read as hreflang
alternates and the theme's language switch uses to go to the same page in the other language."""

from dataclasses import dataclass

from markupsafe import escape
from mkdocs.structure.pages import Page


@dataclass(frozen=True)
class Edition:
    lang: str
    name: str
    url: str  # the edition's root, in full
    path: str  # the edition's root, from the host


def sitemap(pages: list[Page], editions: list[Edition]) -> str:
    """The sitemap of an edition's pages, in the layout of mkdocs' own."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
    ]
    for page in pages:
        if page.is_link or not (page.abs_url or page.canonical_url):
            continue
        parts.append(f"\n    <url>\n         <loc>{escape(page.canonical_url or page.abs_url or '')}</loc>")
        for edition in editions:
            href = escape(edition.url) + escape(page.url)
            parts.append(f'\n         <xhtml:link rel="alternate" hreflang="{edition.lang}" href="{href}"/>')
        lastmod = f"<lastmod>{page.update_date}</lastmod>" if page.update_date else ""
        parts.append(f"\n         {lastmod}\n    </url>")
    parts.append("\n</urlset>")
    return "".join(parts)
