"""Jinja rendering of pages, every value escaped for where it lands. Data-derived HTML stands in the Markdown as a
token (carrying the build's random nonce, which no data text can imitate) that blocks.py swaps for the HTML once
Markdown has run; in Markdown pages, every expression that is not Markup is escaped for Markdown."""

import posixpath
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from scripts.data.numbers import Lang
from scripts.data.paths import DOCS, TEMPLATES
from scripts.site.outputs.languages import language_of, language_prefix

MARKDOWN_SPECIALS = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|<>~$&\"'\n\r"})


def md(text: Any) -> Markup:
    """Text for a Markdown context: every character Markdown would act on (line breaks too) as an entity."""
    return Markup(str(text).translate(MARKDOWN_SPECIALS))


def relative_url(here: str, destination: str) -> str:
    """A link from one site path to another (directory URLs end in “/”)."""
    relative = posixpath.relpath(destination or ".", here or ".")
    return relative + ("/" if destination.endswith("/") and relative != "." else "") if relative != "." else "./"


def page_url(src_uri: str, lang: Lang) -> str:
    """The URL, from the site root, of a page of a language's edition."""
    stem = src_uri.removesuffix(".md")
    folder = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"
    return language_prefix(lang) + folder


def narrative_files(lang: Lang) -> Iterator[tuple[str, Path]]:
    """Every file of an edition's narrative source (docs/, docs/en/), with its path in the edition, in order."""
    folder = DOCS / language_prefix(lang)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if language_of(language_prefix(lang) + relative) == lang:
            yield relative, path


@dataclass
class Blocks:
    """HTML that replaces tokens after Markdown has been converted, numbered in the order added."""

    html: dict[str, str] = field(default_factory=dict)
    nonce: str = field(default_factory=lambda: secrets.token_hex(8))

    def add(self, html: str, inline: bool = False) -> Markup:
        token = f"zz{self.nonce}x{len(self.html):016x}{'i' if inline else 'b'}zz"
        self.html[token] = html
        return Markup(token if inline else f"\n\n{token}\n\n")

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for token, html in self.html.items():
            (folder / f"{token}.html").write_text(html, encoding="utf-8")


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "html.j2"], default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        comment_start_string="{#jinja",  # Markdown uses {#id} for heading anchors
        comment_end_string="jinja#}",
    )
    env.filters["md"] = md
    return env


def markdown_environment(env: Environment) -> Environment:
    return env.overlay(finalize=lambda value: value if isinstance(value, Markup) else md(value))
