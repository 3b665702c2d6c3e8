"""The mkdocs glue: one edition's pages, charts, downloads and metadata, added to its mkdocs build through the
documented plugin events only.

scripts/site/build.py makes one EditionPlugin per edition from what both share (scripts/site/prepare.py) and adds it
to that edition's configuration; everything the plugin holds belongs to that one build.
"""

import gzip
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import TemplateError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_timestamp

from scripts.data.model import Package
from scripts.data.paths import DOCS
from scripts.site.charts.files import vega_bundle
from scripts.site.glue.sitemap import Edition, sitemap
from scripts.site.outputs.languages import DEFAULT_LANGUAGE, LANGUAGES, language_prefix
from scripts.site.outputs.share import QR_FILE, corrections, page_qr, page_share
from scripts.site.pages.edition import Site, build_site, site_metadata
from scripts.site.pages.generated import generated_pages
from scripts.site.pages.macros import PageMacros
from scripts.site.pages.render import environment, render_markdown, render_template
from scripts.site.prepare import Prepared

EMBED = "embed/"  # embed pages (/embed/<chart>/) show a chart alone: no page QR code
SHARED_ASSETS = DOCS / "assets"  # stylesheets and scripts that the English build serves too


class EditionPlugin(BasePlugin):
    def __init__(self, shared: Prepared) -> None:
        self.shared = shared
        self.env = environment()
        self.generated: set[str] = set()
        self.pages: list[Page] = []

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.lang = lang = str(config.theme["language"])
        if lang not in LANGUAGES:
            raise PluginError(f"no pages are generated for language {lang!r}; known: {', '.join(LANGUAGES)}")
        root_url = config.site_url or ""
        if lang != DEFAULT_LANGUAGE and root_url:
            config.site_url = root_url.rstrip("/") + "/" + language_prefix(lang)
        root_path = urlsplit(root_url).path.rstrip("/") + "/"
        for alternate in config.extra["alternate"]:
            alternate["link"] = root_path + language_prefix(alternate["lang"])
        names = {alternate["lang"]: alternate["name"] for alternate in config.extra["alternate"]}
        self.editions = [
            Edition(
                other,
                names[other],
                root_url.rstrip("/") + "/" + language_prefix(other),
                root_path + language_prefix(other),
            )
            for other in LANGUAGES
        ]
        config.extra["editions"] = [vars(edition) for edition in self.editions]  # the language switch (alternate.html)
        self.site = make_site(config, lang, root_url, self.shared)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for path, content in published_files(self.site, self.lang).items():
            files.append(File.generated(config, path, content=content))
        for src_uri, markdown in self.generated_markdown().items():
            files.append(File.generated(config, src_uri, content=markdown))
            self.generated.add(src_uri)
        for page in files.documentation_pages():
            if not page.src_uri.startswith(EMBED):
                path = posixpath.join(posixpath.dirname(page.dest_uri), QR_FILE)
                content = page_qr(config.site_url or "", page.url, self.lang)
                files.append(File.generated(config, path, content=content))
        self.files = files
        return files

    def generated_markdown(self) -> dict[str, str]:
        """The Markdown of every page made from the data, by src_uri."""
        pages = {}
        for page in generated_pages(self.site.packages, self.site.primary):
            try:
                macros = PageMacros(self.site, page.src_uri, self.env)
                pages[page.src_uri] = render_template(self.env, page.template, macros, **page.context)
            except (TemplateError, KeyError) as error:
                raise PluginError(f"generating {page.src_uri} from {page.template}: {error}") from error
        return pages

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.generated:
            return markdown
        try:
            return render_markdown(self.env, markdown, PageMacros(self.site, page.file.src_uri, self.env))
        except (TemplateError, KeyError) as error:
            raise PluginError(f"{config.docs_dir}/{page.file.src_uri}: {error}") from error

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not page.file.src_uri.startswith(EMBED):
            page.meta["share"] = page_share(QR_FILE, self.lang)  # the page's QR code, which the theme shows
        return self.site.blocks.replace(html)

    def on_post_build(self, config: MkDocsConfig) -> None:
        """The sitemap with each page's twin in every edition, in place of mkdocs' own."""
        pages = [file.page for file in self.files.documentation_pages() if file.page is not None]
        text = sitemap(pages, self.editions).encode("utf-8")
        path = Path(config.site_dir) / "sitemap.xml"
        path.write_bytes(text)
        with (
            open(f"{path}.gz", "wb") as file,
            gzip.GzipFile(
                fileobj=file, filename=f"{path}.gz", mode="wb", mtime=get_build_timestamp(pages=pages)
            ) as compressed,
        ):
            compressed.write(text)


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
    validation = {"reports": shared.reports, "coverage": shared.coverage}
    site = build_site(shared.packages, primary, lang, shared.data_files, validation, root_url, shared.history)
    site.corrections = contact
    return site


def published_files(site: Site, lang: str) -> dict[str, bytes]:
    """Every file the edition publishes besides its pages: downloads, charts, the Vega bundle, site metadata."""
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
