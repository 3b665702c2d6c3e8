"""Each edition of the site as the build holds it: what its pages and files are made from, per language.

mkdocs loads scripts/site/hooks.py once per process and the same module serves every configuration it builds, so
nothing in the hooks may be global to a build: each edition's state lives here under its language. The hooks fill it
while mkdocs builds; `make serve` (scripts/site/serve.py) reads it to rebuild only what a change affects.
"""

import hashlib
import posixpath
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, TemplateError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from scripts.data.model import Package
from scripts.data.paths import DOCS
from scripts.site.macros import PageMacros
from scripts.site.pages import generated_pages
from scripts.site.prepare import AwaitingVerdict, Prepared
from scripts.site.publish import LANGUAGES, Site, build_site, site_metadata, vega_bundle
from scripts.site.render import environment, language_prefix, render_template
from scripts.site.share import QR_FILE, corrections, page_qr, page_share

DEFAULT_LANGUAGE = LANGUAGES[0]
EMBED = "embed/"  # embed pages (/embed/<chart>/) show a chart alone: no page QR code
SHARED_ASSETS = DOCS / "assets"  # stylesheets and scripts that the English build serves too


@dataclass
class Edition:
    lang: str
    root_url: str  # the site's address, before the English edition's config points at en/
    site: Site
    config: MkDocsConfig
    env: Environment = field(default_factory=environment)  # the pages' own Jinja environment
    generated: set[str] = field(default_factory=set)  # src_uri of the pages made from the data
    contents: dict[str, str] = field(default_factory=dict)  # SHA-256 of each page's content as last rendered
    sources: dict[str, str] = field(default_factory=dict)  # what each page's content was last converted from
    files: Files | None = None
    nav: Navigation | None = None
    theme_env: Environment | None = None
    theme_scripts: list[Any] | None = None
    search_index: Any = None  # this edition's: mkdocs shares one search plugin between the configurations it loads


editions: dict[str, Edition] = {}


def edition(config: MkDocsConfig) -> Edition:
    return editions[str(config.theme["language"])]


def source_key(page: Page) -> str:
    """The digest of what a page's HTML is converted from: its Markdown, macros rendered, and its front matter."""
    return hashlib.sha256(f"{page.meta!r}\n{page.markdown}".encode()).hexdigest()


def share_meta(page: Page, lang: str) -> None:
    """The page's share panel (its QR code), which the theme's template shows; embed pages show a chart alone."""
    if not page.file.src_uri.startswith(EMBED):
        page.meta["share"] = page_share(QR_FILE, lang)


def primary_package(packages: list[Package], name: str | None) -> Package:
    for package in packages:
        if package.name == name:
            return package
    raise PluginError(
        f"mkdocs.yml extra.primary_package {name!r} is not one of the packages ({', '.join(p.name for p in packages)})"
    )


def make_site(config: MkDocsConfig, lang: str, root_url: str, shared: Prepared) -> Site:
    primary = primary_package(shared.packages, config.extra.get("primary_package"))
    try:
        contact = corrections(config.extra.get("corrections"))
    except ValueError as error:
        raise PluginError(f"{config.config_file_path}: {error}") from error
    site = build_site(
        shared.packages,
        primary,
        lang,
        shared.data_files,
        {"reports": shared.reports, "coverage": shared.coverage},
        root_url,
        shared.history,
    )
    site.corrections = contact
    return site


def published_files(state: Edition) -> dict[str, bytes]:
    """Every file the edition publishes besides its pages: downloads, charts, the Vega bundle, site metadata."""
    site, lang = state.site, state.lang
    prefix = language_prefix(lang)
    files: dict[str, bytes] = {}
    for download in site.downloads.values():
        if lang == DEFAULT_LANGUAGE:
            files[download.path] = download.content
        elif download.path.startswith(prefix):  # this edition's own charts; data downloads are shared at the root
            files[download.path.removeprefix(prefix)] = download.content
    if lang == DEFAULT_LANGUAGE:
        bundle = vega_bundle()
        files[bundle.path] = bundle.content
        files.update(site_metadata(site))
    else:
        for asset in sorted(p for p in SHARED_ASSETS.rglob("*") if p.is_file()):
            files[asset.relative_to(DOCS).as_posix()] = asset.read_bytes()
    return files


def generated_markdown(state: Edition, waiting: set[str] | None = None, only: set[str] | None = None) -> dict[str, str]:
    """The Markdown of every page made from the data (or `only` of these), by src_uri. Given a set `waiting`, a page
    that reads validation's reports before they are in is added to it and left out (prepare.Unvalidated)."""
    site, env = state.site, state.env
    pages = {}
    for page in generated_pages(site.packages, site.primary):
        if only is not None and page.src_uri not in only:
            continue
        try:
            pages[page.src_uri] = render_template(
                env, page.template, PageMacros(site, page.src_uri, env), **page.context
            )
        except AwaitingVerdict:
            if waiting is None:
                raise
            waiting.add(page.src_uri)
        except (TemplateError, KeyError) as error:
            raise PluginError(f"generating {page.src_uri} from {page.template}: {error}") from error
    return pages


def narrative_readers(state: Edition) -> set[str]:
    """The pages made from the data that read the narrative pages too: each embed page links back to the page that
    shows its chart first (scripts/site/macros/share.py, chart_pages)."""
    return {src_uri for src_uri in state.generated if src_uri.startswith(EMBED)}


def page_qr_files(state: Edition, files: Files) -> dict[str, bytes]:
    """Each page's full address as a QR code, in the page's folder (embed pages aside: they show a chart alone)."""
    qr_files = {}
    for page in files.documentation_pages():
        if not page.src_uri.startswith(EMBED):
            path = posixpath.join(posixpath.dirname(page.dest_uri), QR_FILE)
            qr_files[path] = page_qr(state.config.site_url or "", page.url, state.lang)
    return qr_files
