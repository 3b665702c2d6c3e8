"""Jinja rendering of pages (their macros are in macros/): every value escaped for where it lands.

Data-derived HTML is registered as a block and stands in the Markdown as an opaque token, which the hook swaps
for the HTML after Markdown has run: data text can never be read as Markdown. A token carries a random nonce, made
for each build (`make serve` keeps it between updates), so that no data text can imitate one, and the digest of its
HTML, so that the same HTML always stands as the same token: a page whose Markdown is unchanged has unchanged HTML
(a block that a one-shot build renders only as its page is written is numbered instead).
In Markdown pages (narrative pages and *.md.j2), every expression that is not Markup (a block token, or text through
the `md` filter) is escaped for Markdown by the environment's finalize.
"""

import functools
import hashlib
import posixpath
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    Template,
    select_autoescape,
)
from markupsafe import Markup

from scripts.data.numbers import Lang
from scripts.data.paths import TEMPLATES
from scripts.site.cache import cache_dir

if TYPE_CHECKING:
    from scripts.site.macros import PageMacros

MARKDOWN_SPECIALS = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|<>~$&\"'\n\r"})


def md(text: Any) -> Markup:
    """Text for a Markdown context (a heading, a link text): every character Markdown would act on is an entity,
    line breaks included, so that the text stays on its line and is shown as typed."""
    return Markup(str(text).translate(MARKDOWN_SPECIALS))


def markdown_text(value: Any) -> Any:
    """Finalize of Markdown pages: an expression's value is escaped for Markdown unless it is already Markup."""
    return value if isinstance(value, Markup) else md(value)


def language_prefix(lang: Lang) -> str:
    """Where a language's edition lives under the site root: Chinese at the root, English under en/."""
    return "" if lang == "zh" else f"{lang}/"


@functools.lru_cache(maxsize=65536)
def relative_url(here: str, destination: str) -> str:
    """A link from one site path to another, as a page must write it (directory URLs end in “/”)."""
    relative = posixpath.relpath(destination or ".", here or ".")
    return relative + ("/" if destination.endswith("/") and relative != "." else "") if relative != "." else "./"


def page_url(src_uri: str, lang: Lang) -> str:
    """The URL, from the site root, of a page of a language's edition (directory URLs)."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
    else:
        stem += "/"
    return language_prefix(lang) + stem


DIGEST = "[0-9a-f]{16}"  # a token's nonce (8 random bytes), and the name of its block
NONCE = re.compile(rf"zz{DIGEST}x")


def toc_outline(items: Any) -> list[Any]:
    """A page's table of contents as plain lists (id, title, link, level, children), for keys that depend on it."""
    return [[item.id, item.title, item.url, item.level, toc_outline(item.children)] for item in items]


def without_nonces(text: str) -> str:
    """Text with the nonce taken out of every block token in it: the same for every build of the same page."""
    return NONCE.sub("zzx", text)


@dataclass
class Retention:
    """Whether this process keeps what `make serve` updates the site from: each edition once built, and each page's
    content hash and Markdown digest, for which every block is rendered as its page's Markdown is (a token then names
    its HTML, so unchanged Markdown means an unchanged page). A one-shot build keeps neither: a deferred block is
    rendered as its page is written, and let go."""

    incremental: bool = True


retention = Retention()


@dataclass
class Blocks:
    """HTML that replaces tokens after Markdown has been converted.

    A block of a section that search leaves out (its heading carries data-search-exclude) may be deferred: its token
    is replaced only in the finished page, after the search plugin has read the page's content, which then parses a
    few lines instead of a long list. The index is the same either way.

    A block may be given as the function that renders it, called when its token is replaced: a deferred block is then
    rendered as its page is written, and not kept unless asked (keep), so that a build does not hold every page's
    longest HTML from reading the pages to writing them (mkdocs reads them all first).
    """

    html: dict[str, str | Callable[[], str]] = field(default_factory=dict)
    nonce: str = field(default_factory=lambda: secrets.token_hex(8))

    def add(self, html: str | Callable[[], str], inline: bool = False, deferred: bool = False) -> Markup:
        kind = "i" if inline else "d" if deferred else "b"
        if callable(html) and retention.incremental:
            html = html()
        # a block rendered as its page is written is numbered in the order added; any other is named by its HTML
        name = f"{len(self.html):016x}" if callable(html) else hashlib.sha256(html.encode("utf-8")).hexdigest()[:16]
        token = f"zz{self.nonce}x{name}{kind}zz"
        self.html[token] = html
        return Markup(token if inline else f"\n\n{token}\n\n")

    def replace(self, content: str) -> str:
        """Content with its inline and block tokens replaced (deferred ones stay)."""
        pattern = rf"<p>(?P<token>zz{self.nonce}x{DIGEST}bzz)</p>|(?P<inline>zz{self.nonce}x{DIGEST}izz)"
        return re.sub(pattern, self._swap, content)

    def replace_deferred(self, page: str, keep: bool = False) -> str:
        """Page with its deferred tokens replaced; keep: the blocks rendered for it are kept for the next replace."""
        return re.sub(rf"<p>(?P<token>zz{self.nonce}x{DIGEST}dzz)</p>", functools.partial(self._swap, keep=keep), page)

    def _swap(self, match: re.Match[str], keep: bool = False) -> str:
        token = match.group("token") or match.group("inline")
        html = self.html[token]
        if callable(html):
            html = html()
            if keep:
                self.html[token] = html
        return html


@functools.cache
def environment() -> Environment:
    """The pages' Jinja environment, one per process: each template compiles once. `make serve` starts a new one
    (forget_templates) before it rebuilds after a template changed."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        auto_reload=False,  # no check of every template's file each time a page includes it
        autoescape=select_autoescape(["html", "html.j2"], default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        comment_start_string="{#jinja",  # Markdown uses {#id} for heading anchors
        comment_end_string="jinja#}",
        bytecode_cache=bytecode_cache(),
    )
    env.filters["md"] = md
    return env


def forget_templates() -> None:
    environment.cache_clear()
    markdown_environment.cache_clear()
    _page_template.cache_clear()


@functools.cache
def bytecode_cache() -> BytecodeCache:
    """Compiled templates, the theme's and the pages', in the build cache (scripts/site/cache.py), a folder per Jinja
    version: Jinja names each by its template's file, and before using one checks its source's checksum and the
    Python version it was compiled by, so a changed template compiles anew."""
    folder = cache_dir() / "jinja" / jinja2.__version__
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


@functools.cache
def markdown_environment(env: Environment) -> Environment:
    """The environment of Markdown pages: like env, but every expression is escaped for Markdown."""
    return env.overlay(finalize=markdown_text)


@functools.lru_cache(maxsize=512)
def _page_template(env: Environment, source: str) -> Template:
    """A narrative page's Markdown as a template, compiled once per text: `make serve` renders every page again after
    a data edit, most of them unchanged."""
    return markdown_environment(env).from_string(source)


def render_markdown(env: Environment, source: str, macros: "PageMacros") -> str:
    return _page_template(env, source).render(m=macros, site=macros.site, lang=macros.lang)


def render_template(env: Environment, template: str, macros: "PageMacros", **context: Any) -> str:
    """A generated Markdown page (*.md.j2): its expressions are escaped for Markdown."""
    page = markdown_environment(env).get_template(template)
    return page.render(m=macros, site=macros.site, lang=macros.lang, **context)
