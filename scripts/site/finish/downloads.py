"""After the site is written and before it is published: every download is what the site says it is.

Each download's SHA-256 and size are stated in several places: the download lists on the pages, the JSON-LD of the
package pages, the DCAT catalogue and the served datapackage.json (and the copy in the package zip). Each statement
is checked against the bytes that were written; one mismatch, a broken download link or a download that no page
states stops the build (scripts/site/build.py), so a corrupted or stale file is never published.
"""

import hashlib
import json
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scripts.data.numbers import size

DOWNLOADS = "downloads"
DESCRIPTOR = "datapackage.json"
CATALOGUE = "catalog.jsonld"
# a download attribute, a download list or its sizes, in whatever HTML form (“downloadable” is not one); the site's HTML
# is written by its templates and the theme, in lower case
MENTIONS_DOWNLOADS = re.compile(r"download(?:s|__meta)?[\s>=/\"']")


@dataclass
class Statement:
    """What a page says about one download."""

    href: str
    size: str = ""
    sha256: str = ""


class PageDownloads(HTMLParser):
    """The download links of a page, what its download lists state, and its JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.statements: list[Statement] = []
        self.jsonld: list[str] = []
        self.canonical: str | None = None
        self._in_list = False
        self._item: Statement | None = None
        self._capture: str | None = None  # "size", "sha256" or "jsonld"
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes.get("href")
        elif tag == "ul" and "downloads" in classes:
            self._in_list = True
        elif tag == "li" and self._in_list:
            self._item = Statement("")
        elif tag == "a" and "download" in attributes and attributes.get("href"):
            self.links.append(str(attributes["href"]))
            if self._item is not None:
                self._item.href = str(attributes["href"])
        elif self._item is not None and tag == "span" and "download__meta" in classes:
            self._start("size")
        elif self._item is not None and tag == "code" and "sha256" in classes:
            if self._capture == "size":  # the size comes first: “1.2 KiB · sha256 <code>…</code>”
                self._item.size = "".join(self._text).split("·")[0].strip()
            self._start("sha256")
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._start("jsonld")

    def _start(self, capture: str) -> None:
        self._capture, self._text = capture, []

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._text)
        if tag == "ul":
            self._in_list = False
        elif tag == "li" and self._item is not None:
            self.statements.append(self._item)
            self._item = None
        elif tag == "code" and self._capture == "sha256" and self._item is not None:
            self._item.sha256 = text.strip()
            self._capture = None
        elif tag == "script" and self._capture == "jsonld":
            self.jsonld.append(text)
            self._capture = None


def read_page(html: str) -> PageDownloads:
    """What a page's HTML states about downloads."""
    page = PageDownloads()
    if _mentions(html):  # most pages have no download markup: nothing to parse
        page.feed(html)
    return page


def _mentions(html: str) -> bool:
    return "ld+json" in html or ("download" in html and MENTIONS_DOWNLOADS.search(html) is not None)


def _digest(path: Path) -> tuple[int, str]:
    content = path.read_bytes()
    return len(content), hashlib.sha256(content).hexdigest()


def _page_url(site: Path, html: Path) -> str:
    """The URL path, from the site root, of the folder a page is served as."""
    relative = html.relative_to(site).as_posix()
    return relative.removesuffix("index.html") if relative.endswith("index.html") else posixpath.dirname(relative) + "/"


def _target(site: Path, base: str, href: str) -> str | None:
    """The site-relative path a link from a page (at URL path base) points to; None if it leaves the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    joined = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    return None if joined.startswith("..") else joined.lstrip("/")


def _absolute_target(root: str, url: str) -> str | None:
    """The site-relative path of an absolute URL under the site's root URL."""
    return unquote(url[len(root) :].split("#")[0].split("?")[0]) if root and url.startswith(root) else None


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def _linked_data_statements(document: Any, root: str) -> Iterator[tuple[str | None, str, int | None, str | None]]:
    """(path, where, bytes, sha256) of each distribution described by schema.org or DCAT."""
    for node in _objects(document):
        if "contentUrl" in node:  # schema.org DataDownload
            stated = str(node.get("contentSize", "")).removesuffix(" B")
            yield (
                _absolute_target(root, str(node["contentUrl"])),
                str(node["contentUrl"]),
                int(stated) if stated.isdigit() else None,
                node.get("sha256"),
            )
        url = node.get("dcat:downloadURL")
        if url is not None:  # DCAT Distribution
            address = url.get("@id") if isinstance(url, dict) else str(url)
            byte_size = node.get("dcat:byteSize")
            stated = byte_size.get("@value") if isinstance(byte_size, dict) else byte_size
            checksum = node.get("spdx:checksum")
            value = checksum.get("spdx:checksumValue") if isinstance(checksum, dict) else None
            yield (
                _absolute_target(root, str(address)),
                str(address),
                int(stated) if str(stated).isdigit() else None,
                value,
            )


def check_descriptor(site: Path, descriptor_path: Path) -> list[str]:
    """The served descriptor's bytes and hash of each resource, and the zip beside it, against the files."""
    problems = []
    where = descriptor_path.relative_to(site).as_posix()
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor.get("resources", []):
        file = descriptor_path.parent / resource["path"]
        if not file.is_file():
            problems.append(f"{where}: resource {resource['name']} names {resource['path']}, which was not written")
            continue
        nbytes, sha = _digest(file)
        if resource.get("bytes") != nbytes or resource.get("hash") != f"sha256:{sha}":
            problems.append(
                f"{where}: resource {resource['name']} states {resource.get('bytes')} bytes, {resource.get('hash')}; "
                f"{resource['path']} has {nbytes} bytes, sha256:{sha}"
            )
    for archive in sorted(descriptor_path.parent.glob("*.zip")):
        problems += _check_zip(archive, descriptor_path, descriptor, site)
    return problems


def _check_zip(archive: Path, descriptor_path: Path, descriptor: dict[str, Any], site: Path) -> list[str]:
    where = archive.relative_to(site).as_posix()
    with zipfile.ZipFile(archive) as bundle:
        members = {name.split("/", 1)[-1]: name for name in bundle.namelist()}
        if DESCRIPTOR not in members:
            return [f"{where}: holds no {DESCRIPTOR}"]
        problems = []
        if bundle.read(members[DESCRIPTOR]) != descriptor_path.read_bytes():
            problems.append(f"{where}: its {DESCRIPTOR} differs from the served one")
        for resource in descriptor.get("resources", []):
            if resource["path"] not in members:
                problems.append(f"{where}: lacks {resource['path']}")
                continue
            content = bundle.read(members[resource["path"]])
            if resource.get("hash") != f"sha256:{hashlib.sha256(content).hexdigest()}":
                problems.append(f"{where}: {resource['path']} does not match the hash its descriptor states")
    return problems


def check_downloads(site: Path) -> list[str]:
    """Every problem with the site's downloads; an empty list means every statement matches its file."""
    problems: list[str] = []
    stated: set[str] = set()
    home = PageDownloads()
    home.feed((site / "index.html").read_text(encoding="utf-8").split("</head>", 1)[0])  # its canonical address
    root = home.canonical or ""

    def compare(where: str, path: str | None, shown: str, nbytes: int | None, sha: str | None, text: str) -> None:
        if path is None or not (site / path).is_file():
            problems.append(f"{where}: {shown} is not a file of the site")
            return
        actual_bytes, actual_sha = _digest(site / path)
        if sha is not None and sha != actual_sha:
            problems.append(f"{where}: states sha256 {sha} for {path}, which has sha256 {actual_sha}")
        if nbytes is not None and nbytes != actual_bytes:
            problems.append(f"{where}: states {nbytes} bytes for {path}, which has {actual_bytes}")
        if text and text != size(actual_bytes, "en" if where.startswith("en/") else "zh"):
            problems.append(f"{where}: states the size {text!r} for {path}, which has {actual_bytes} bytes")
        if sha is not None:
            stated.add(path)

    for html in sorted(site.rglob("*.html")):
        where = html.relative_to(site).as_posix()
        page = read_page(html.read_text(encoding="utf-8"))
        base = _page_url(site, html)
        for href in page.links:
            target = _target(site, base, href)
            if target is None or not (site / target).is_file():
                problems.append(f"{where}: the download link {href} leads to no file of the site")
        for item in page.statements:
            compare(where, _target(site, base, item.href), item.href, None, item.sha256 or None, item.size)
        for block in page.jsonld:
            for path, shown, nbytes, sha in _linked_data_statements(json.loads(block), root):
                compare(where, path, shown, nbytes, sha, "")
    if (site / CATALOGUE).is_file():
        catalogue = json.loads((site / CATALOGUE).read_text(encoding="utf-8"))
        for path, shown, nbytes, sha in _linked_data_statements(catalogue, root):
            compare(CATALOGUE, path, shown, nbytes, sha, "")
    for descriptor in sorted((site / DOWNLOADS).glob(f"*/{DESCRIPTOR}")):
        problems += check_descriptor(site, descriptor)
    for file in sorted(p for p in (site / DOWNLOADS).rglob("*") if p.is_file()):
        path = file.relative_to(site).as_posix()
        if path not in stated:
            problems.append(f"{path}: no page states its hash, so it was not checked")
    return problems
