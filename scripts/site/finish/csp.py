"""The Content-Security-Policy of every page: the site's own scripts, styles, images and fonts, nothing else.

The theme (overrides/main.html) puts a <meta http-equiv="Content-Security-Policy"> with a MARKER in each page's head,
which the finish replaces with the policy. Inline scripts are allowed by their SHA-256 only if a theme template holds
them (its {{ expressions }} may take any value without a “<”); any other inline script stops the build. Data blocks
(JSON, JSON-LD) are never executed and need no allowance.
"""

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

MARKER = "@@CONTENT-SECURITY-POLICY@@"
SCRIPT = re.compile(r"<script\b(?P<attributes>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
DATA_TYPES = {"application/json", "application/ld+json"}
TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
SOURCE = re.compile(r"\bsrc\s*=", re.I)
POLICY = (
    ("default-src", "'none'"),
    ("script-src", "'self'"),  # and the hashes of the page's inline scripts
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),  # the theme's icons are data: URLs in its stylesheet
    ("font-src", "'self'"),
    ("connect-src", "'self'"),  # the search index, chart specifications
    ("worker-src", "'self'"),  # the search worker
    ("manifest-src", "'self'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)


def inline_scripts(html: str) -> list[str]:
    """The text of each inline script that a browser would run (not data blocks, not scripts loaded by src)."""
    scripts = []
    for match in SCRIPT.finditer(html):
        declared = TYPE.search(match["attributes"])
        if not SOURCE.search(match["attributes"]) and not (declared and declared[1].lower() in DATA_TYPES):
            scripts.append(match["body"])
    return scripts


def template_scripts(folders: Iterable[Path]) -> list[re.Pattern[str]]:
    """Patterns of the inline scripts the theme's templates contain, their {{ expressions }} as wildcards."""
    patterns = []
    for template in (path for folder in folders for path in sorted(folder.rglob("*.html"))):
        for body in inline_scripts(template.read_text(encoding="utf-8")):
            pieces = re.split(r"\{\{.*?\}\}", body, flags=re.S)
            patterns.append(re.compile("[^<]*?".join(map(re.escape, pieces)), re.S))
    return patterns


def apply_policy(html: str, allowed: list[re.Pattern[str]]) -> str:
    """The page with its policy in place of the marker (a page without the marker is an error, not skipped): its
    inline scripts allowed by hash, each of which must be one of the theme's."""
    if html.count(MARKER) != 1:
        raise ValueError(f"the page has {html.count(MARKER)} Content-Security-Policy markers, not 1")
    hashes = set()
    for body in inline_scripts(html):
        if not any(pattern.fullmatch(body) for pattern in allowed):
            raise ValueError(
                f"the page has an inline script that is not one of the theme's ({body[:60]!r}…); "
                "scripts belong in files under docs/assets/js/"
            )
        hashes.add(f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'")
    policy = "; ".join(
        " ".join([name, sources, *sorted(hashes)]) if name == "script-src" else f"{name} {sources}"
        for name, sources in POLICY
    )
    return html.replace(MARKER, policy)
