"""Each edition's sitemap, written from the built folder in place of mkdocs' own (same layout): every page with its
twin in each edition, which search engines read as hreflang alternates and the language switch follows."""

import gzip
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import escape

from scripts.site.outputs.languages import DEFAULT_LANGUAGE, LANGUAGES, language_prefix

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
)


def write_sitemaps(site: Path, root_url: str) -> None:
    """sitemap.xml and sitemap.xml.gz of each edition, dated by SOURCE_DATE_EPOCH as the pages are."""
    stamp = int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    day = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d")
    base = root_url.rstrip("/") + "/"
    for lang in LANGUAGES:
        edition = site / language_prefix(lang)
        folders = [page.parent.relative_to(edition).as_posix() for page in edition.rglob("index.html")]
        # every page of the edition (another edition's folder and the 404 page aside)
        urls = [
            f"{f}/".removeprefix("./") for f in folders if lang != DEFAULT_LANGUAGE or f.split("/")[0] not in LANGUAGES
        ]
        parts = [HEADER]
        for url in sorted(urls):
            parts.append(f"\n    <url>\n         <loc>{escape(base + language_prefix(lang) + url)}</loc>")
            for other in LANGUAGES:
                href = escape(base + language_prefix(other) + url)
                parts.append(f'\n         <xhtml:link rel="alternate" hreflang="{other}" href="{href}"/>')
            parts.append(f"\n         <lastmod>{day}</lastmod>\n    </url>")
        text = ("".join(parts) + "\n</urlset>").encode("utf-8")
        path = edition / "sitemap.xml"
        path.write_bytes(text)
        with (
            open(f"{path}.gz", "wb") as file,
            gzip.GzipFile(fileobj=file, filename=f"{path}.gz", mode="wb", mtime=stamp) as packed,
        ):
            packed.write(text)
