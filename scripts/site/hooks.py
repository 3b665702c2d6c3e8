"""mkdocs hooks: validate the packages, then add the generated pages, charts and downloads to the build.

Every step is a function of the validated model (scripts/data/); this module only wires them into mkdocs. The site is
built once per language: mkdocs.yml builds the Chinese edition at the site root with the shared downloads and
the Vega bundle; mkdocs.en.yml builds the English edition into en/, whose pages link to those shared files.
"""

import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # mkdocs loads hooks by path, not as a package

from jinja2 import TemplateError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from scripts.checks.validate import summary, validate_all
from scripts.data.model import Package, load_package
from scripts.data.paths import DOCS
from scripts.site.csp import MARKER, apply_policy, template_scripts
from scripts.site.macros import PageMacros
from scripts.site.pages import generated_pages
from scripts.site.publish import LANGUAGES, build_site, data_downloads, site_metadata, vega_bundle
from scripts.site.releases import releases
from scripts.site.render import environment, language_prefix, render_markdown, render_template

DEFAULT_LANGUAGE = LANGUAGES[0]
SHARED_ASSETS = DOCS / "assets"  # stylesheets and scripts that the English build serves too
state: dict[str, Any] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    lang = str(config.theme["language"])
    if lang not in LANGUAGES:
        raise PluginError(f"no pages are generated for language {lang!r}; known: {', '.join(LANGUAGES)}")
    reports, general = validate_all()
    text, ok = summary(reports, general)
    if not ok:
        raise PluginError("The data packages are invalid; nothing was built.\n" + text)
    packages = [load_package(report.folder) for report in reports]
    primary = _primary(packages, config.extra.get("primary_package"))
    root_url = config.site_url or ""
    if lang != DEFAULT_LANGUAGE and root_url:
        config.site_url = root_url.rstrip("/") + "/" + language_prefix(lang)
    history = {package.name: releases(package) for package in packages}
    site = build_site(packages, primary, lang, data_downloads(packages), {"reports": reports}, root_url, history)
    root_path = urlsplit(root_url).path.rstrip("/") + "/"
    for alternate in config.extra["alternate"]:
        # Material's language switch maps the current page to its twin through each edition's sitemap.xml.
        alternate["link"] = root_path + language_prefix(alternate["lang"])
    names = {alternate["lang"]: alternate["name"] for alternate in config.extra["alternate"]}
    config.extra["editions"] = [
        {
            "lang": edition,
            "name": names[edition],
            "url": root_url.rstrip("/") + "/" + language_prefix(edition),
            "path": root_path + language_prefix(edition),
        }
        for edition in LANGUAGES
    ]
    state.clear()
    state.update(site=site, lang=lang, env=environment(), generated=set())
    return config


def _primary(packages: list[Package], name: str | None) -> Package:
    for package in packages:
        if package.name == name:
            return package
    raise PluginError(
        f"mkdocs.yml extra.primary_package {name!r} is not one of the packages ({', '.join(p.name for p in packages)})"
    )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site, lang, env = state["site"], state["lang"], state["env"]
    prefix = language_prefix(lang)
    for download in site.downloads.values():
        if lang == DEFAULT_LANGUAGE:
            files.append(File.generated(config, download.path, content=download.content))
        elif download.path.startswith(prefix):  # this edition's own charts; data downloads are shared at the root
            files.append(File.generated(config, download.path.removeprefix(prefix), content=download.content))
    if lang == DEFAULT_LANGUAGE:
        bundle = vega_bundle()
        for path, content in [(bundle.path, bundle.content), *site_metadata(site)]:
            files.append(File.generated(config, path, content=content))
    else:
        for asset in sorted(p for p in SHARED_ASSETS.rglob("*") if p.is_file()):
            files.append(File.generated(config, asset.relative_to(DOCS).as_posix(), content=asset.read_bytes()))
    for page in generated_pages(site.packages, site.primary):
        macros = PageMacros(site, page.src_uri, env)
        try:
            content = render_template(env, page.template, macros, **page.context)
        except (TemplateError, KeyError) as error:
            raise PluginError(f"generating {page.src_uri} from {page.template}: {error}") from error
        files.append(File.generated(config, page.src_uri, content=content))
        state["generated"].add(page.src_uri)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri in state["generated"]:
        return markdown
    try:
        return render_markdown(state["env"], markdown, PageMacros(state["site"], page.file.src_uri, state["env"]))
    except (TemplateError, KeyError) as error:
        raise PluginError(f"{config.docs_dir}/{page.file.src_uri}: {error}") from error


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return state["site"].blocks.replace(html)


def _theme_scripts(config: MkDocsConfig) -> list[Any]:
    if "theme_scripts" not in state:
        state["theme_scripts"] = template_scripts(Path(folder) for folder in config.theme.dirs)
    return state["theme_scripts"]


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The page's Content-Security-Policy, with the hashes of its inline scripts (scripts/site/csp.py)."""
    try:
        return apply_policy(output, _theme_scripts(config))
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from error


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if MARKER not in output_content:
        return output_content
    try:
        return apply_policy(output_content, _theme_scripts(config))
    except ValueError as error:
        raise PluginError(f"{template_name}: {error}") from error
