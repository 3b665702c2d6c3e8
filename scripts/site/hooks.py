"""mkdocs hooks: add the generated pages, charts and downloads of the validated packages to the build.

Every step is a function of the validated model (scripts/data/); this module only wires them into mkdocs. The site is
built once per language: mkdocs.yml builds the Chinese edition at the site root with the shared downloads and
the Vega bundle; mkdocs.en.yml builds the English edition into en/, whose pages link to those shared files. What both
editions share (validation, the model, the data downloads) is made once per process (scripts/site/prepare.py); what
each edition holds is in scripts/site/editions.py.
"""

import hashlib
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # mkdocs loads hooks by path, not as a package

from jinja2 import Environment, TemplateError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from scripts.site.csp import MARKER, apply_policy, template_scripts
from scripts.site.editions import (
    DEFAULT_LANGUAGE,
    Edition,
    edition,
    editions,
    generated_markdown,
    make_site,
    page_qr_files,
    published_files,
    share_meta,
    source_key,
)
from scripts.site.macros import PageMacros
from scripts.site.navigation import NavigationMemo
from scripts.site.prepare import InvalidData, prepared
from scripts.site.publish import LANGUAGES
from scripts.site.render import bytecode_cache, language_prefix, render_markdown, retention
from scripts.site.search import remembering


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    lang = str(config.theme["language"])
    if lang not in LANGUAGES:
        raise PluginError(f"no pages are generated for language {lang!r}; known: {', '.join(LANGUAGES)}")
    try:
        shared = prepared()
    except InvalidData as error:
        raise PluginError(f"The data packages are invalid; nothing was built.\n{error}") from error
    root_url = config.site_url or ""
    if lang != DEFAULT_LANGUAGE and root_url:
        config.site_url = root_url.rstrip("/") + "/" + language_prefix(lang)
    root_path = urlsplit(root_url).path.rstrip("/") + "/"
    for alternate in config.extra["alternate"]:
        # Material's language switch maps the current page to its twin through each edition's sitemap.xml.
        alternate["link"] = root_path + language_prefix(alternate["lang"])
    names = {alternate["lang"]: alternate["name"] for alternate in config.extra["alternate"]}
    config.extra["editions"] = [
        {
            "lang": other,
            "name": names[other],
            "url": root_url.rstrip("/") + "/" + language_prefix(other),
            "path": root_path + language_prefix(other),
        }
        for other in LANGUAGES
    ]
    search = config.plugins.get("material/search")
    if search is None:
        raise PluginError("mkdocs.yml lists no search plugin; the site's search needs material/search")
    remembering(search.search_index)
    site = make_site(config, lang, root_url, shared)
    editions[lang] = Edition(lang, root_url, site, config, search_index=search.search_index)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = edition(config)
    for path, content in published_files(state).items():
        files.append(File.generated(config, path, content=content))
    for src_uri, markdown in generated_markdown(state).items():
        files.append(File.generated(config, src_uri, content=markdown))
        state.generated.add(src_uri)
    for path, content in page_qr_files(state, files).items():
        files.append(File.generated(config, path, content=content))
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    state = edition(config)
    state.nav, state.files = nav, files
    return nav


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    env.bytecode_cache = bytecode_cache()  # the theme's templates compile once, not on every build
    env.auto_reload = False  # each build has an environment of its own: no look at every template's file per page
    env.globals["navigation_memo"] = NavigationMemo()
    edition(config).theme_env = env
    return env


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = edition(config)
    if page.file.src_uri in state.generated:
        return markdown
    try:
        return render_markdown(state.env, markdown, PageMacros(state.site, page.file.src_uri, state.env))
    except (TemplateError, KeyError) as error:
        raise PluginError(f"{config.docs_dir}/{page.file.src_uri}: {error}") from error


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = edition(config)
    content = state.site.blocks.replace(html)
    if retention.incremental:
        finished = _deferred(state, content, page, keep=True)
        state.contents[page.file.src_uri] = hashlib.sha256(finished.encode("utf-8")).hexdigest()
        state.sources[page.file.src_uri] = source_key(page)
    share_meta(page, state.lang)
    return content


def _theme_scripts(config: MkDocsConfig) -> list:
    state = edition(config)
    if state.theme_scripts is None:
        state.theme_scripts = template_scripts(Path(folder) for folder in config.theme.dirs)
    return state.theme_scripts


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The blocks search left out, then the page's Content-Security-Policy, with the hashes of its inline scripts
    (scripts/site/csp.py)."""
    finished = _deferred(edition(config), output, page)
    try:
        return apply_policy(finished, _theme_scripts(config))
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from error


def _deferred(state: Edition, html: str, page: Page, keep: bool = False) -> str:
    try:
        return state.site.blocks.replace_deferred(html, keep)
    except (TemplateError, KeyError) as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from error


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if MARKER not in output_content:
        return output_content
    try:
        return apply_policy(output_content, _theme_scripts(config))
    except ValueError as error:
        raise PluginError(f"{template_name}: {error}") from error
