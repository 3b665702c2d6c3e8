"""After the site is written and before it is published, every download is what the site says it is: each statement
of a download's SHA-256 and size (the pages' download lists, the package pages' JSON-LD, the DCAT catalogue, the served
descriptors and the zips) is checked against the bytes written. A mismatch, a broken download link or a download that
no page states stops the build (scripts/site/build.py).
"""

import hashlib
import json
import posixpath
import re
import zipfile
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scripts.data.numbers import size
from scripts.data.packages import DESCRIPTOR
from scripts.site.outputs.languages import language_of
from scripts.site.outputs.metadata import CATALOGUE
from scripts.site.outputs.share import QR_FILE

DOWNLOADS = "downloads"
VERSIONS = "data/*/*"  # data/<package>/<version>/: a version's files (scripts/site/outputs/versions.py)
PAGE_FILES = {"index.html", QR_FILE}  # a version's page and its QR code, beside its files
# A download link is an <a> with a download attribute; a download list's item, or a row of a version's file table,
# states its size and hash as scripts/site/pages/templates/_downloads.html.j2 writes them (else its file is unchecked).
DOWNLOAD_LINK = re.compile(r'<a(?=[^>]*\sdownload[\s>=])[^>]*\shref="([^"]*)"')
STATEMENT = re.compile(
    r'<li><a href="([^"]*)" download class="md-button">[^<]*</a> <span class="download__meta">([^<]*)</span> '
    r'<details class="download__check"><summary>[^<]*</summary><abbr title="SHA-256">sha256</abbr> '
    r'<code class="sha256">([^<]*)</code>'
)
FILE_ROW = re.compile(
    r'<tr><td data-label="[^"]*"><a href="([^"]*)" download>[^<]*</a></td><td class="num" data-label="[^"]*">([^<]*)'
    r'</td><td data-label="sha256"><code class="sha256">([^<]*)</code></td></tr>'
)
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)"')


def _digest(path: Path) -> tuple[int, str]:
    content = path.read_bytes()
    return len(content), hashlib.sha256(content).hexdigest()


def _target(base: str, href: str) -> str | None:
    """The site-relative path a link from a page (in the folder base) points to; None if it leaves the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    joined = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    return None if joined.startswith("..") else joined.lstrip("/")


def _linked_data_statements(text: str, root: str) -> Iterator[tuple[str | None, str, int | None, str | None]]:
    """(path, address, bytes, sha256) of each distribution a JSON-LD document describes by schema.org or DCAT."""
    nodes: list[dict[str, Any]] = []
    json.loads(text, object_hook=lambda node: nodes.append(node) or node)  # every object, in the document's order
    for node in nodes:
        if "contentUrl" in node:  # schema.org DataDownload
            url, stated, sha = node["contentUrl"], str(node.get("contentSize")).removesuffix(" B"), node.get("sha256")
        elif "dcat:downloadURL" in node:  # DCAT Distribution
            url, stated = node["dcat:downloadURL"]["@id"], node.get("dcat:byteSize", {}).get("@value")
            sha = node.get("spdx:checksum", {}).get("spdx:checksumValue", {}).get("@value")  # typed xsd:hexBinary
        else:
            continue
        url = str(url)  # a path of the site when under its root URL
        path = unquote(url[len(root) :].split("#")[0].split("?")[0]) if root and url.startswith(root) else None
        yield path, url, int(stated) if str(stated).isdigit() else None, sha


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
        where = archive.relative_to(site).as_posix()
        with zipfile.ZipFile(archive) as bundle:
            members = {name.split("/", 1)[-1]: name for name in bundle.namelist()}
            if DESCRIPTOR not in members:
                problems.append(f"{where}: holds no {DESCRIPTOR}")
                continue
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
    canonical = CANONICAL.search((site / "index.html").read_text(encoding="utf-8"))
    root = unescape(canonical[1]) if canonical else ""

    def compare(where: str, path: str | None, shown: str, nbytes: int | None, sha: str | None, text: str) -> None:
        if path is None or not (site / path).is_file():
            problems.append(f"{where}: {shown} is not a file of the site")
            return
        actual_bytes, actual_sha = _digest(site / path)
        if sha is not None and sha != actual_sha:
            problems.append(f"{where}: states sha256 {sha} for {path}, which has sha256 {actual_sha}")
        if nbytes is not None and nbytes != actual_bytes:
            problems.append(f"{where}: states {nbytes} bytes for {path}, which has {actual_bytes}")
        if text and text != size(actual_bytes, language_of(where)):
            problems.append(f"{where}: states the size {text!r} for {path}, which has {actual_bytes} bytes")
        if sha is not None:
            stated.add(path)

    for html in sorted(site.rglob("*.html")):
        where = html.relative_to(site).as_posix()
        page = html.read_text(encoding="utf-8")
        base = posixpath.dirname(where)  # the folder the page is served as
        for href in map(unescape, DOWNLOAD_LINK.findall(page)):
            target = _target(base, href)
            if target is None or not (site / target).is_file():
                problems.append(f"{where}: the download link {href} leads to no file of the site")
        for href, text, sha in STATEMENT.findall(page) + FILE_ROW.findall(page):
            compare(where, _target(base, unescape(href)), unescape(href), None, sha or None, unescape(text))
        for block in JSONLD.findall(page):
            for path, shown, nbytes, sha in _linked_data_statements(block, root):
                compare(where, path, shown, nbytes, sha, "")
    catalogue = (site / CATALOGUE).read_text(encoding="utf-8") if (site / CATALOGUE).is_file() else "[]"
    for path, shown, nbytes, sha in _linked_data_statements(catalogue, root):
        compare(CATALOGUE, path, shown, nbytes, sha, "")
    descriptors = sorted((site / DOWNLOADS).glob(f"*/{DESCRIPTOR}"))
    versions = sorted(site.glob(f"{VERSIONS}/{DESCRIPTOR}"))  # each version's folder, beside its page
    for descriptor in descriptors + versions:
        problems += check_descriptor(site, descriptor)
    published = [p for p in (site / DOWNLOADS).rglob("*") if p.is_file()]
    published += [p for d in versions for p in d.parent.rglob("*") if p.is_file() and p.name not in PAGE_FILES]
    for file in sorted(published):
        path = file.relative_to(site).as_posix()
        if path not in stated:
            problems.append(f"{path}: no page states its hash, so it was not checked")
    return problems
