"""mkdocs hooks: validate the packages, then add the generated pages, charts and downloads to the build.

Every step is a function of the validated model (scripts/); this module only wires them into mkdocs.
"""

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # mkdocs loads hooks by path, not as a package

from jinja2 import TemplateError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from scripts.model import load_package
from scripts.pages import generated_pages
from scripts.publish import build_site, data_downloads, vega_bundle
from scripts.render import PageMacros, environment, render_markdown, render_template
from scripts.validate import summary, validate_all

state: dict[str, Any] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    reports, general = validate_all()
    text, ok = summary(reports, general)
    if not ok:
        raise PluginError("The data packages are invalid; nothing was built.\n" + text)
    packages = [load_package(report.folder) for report in reports]
    primary_name = config.extra.get("primary_package")
    primary = next((p for p in packages if p.name == primary_name), None)
    if primary is None:
        raise PluginError(
            f"mkdocs.yml extra.primary_package {primary_name!r} is not one of the packages "
            f"({', '.join(p.name for p in packages)})"
        )
    site, chart_files = build_site(
        packages, primary, "zh", data_downloads(packages), {"reports": reports}, config.site_url or ""
    )
    state.clear()
    state.update(site=site, chart_files=chart_files, primary=primary, env=environment(), generated=set())
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site, env = state["site"], state["env"]
    for download in [*site.downloads.values(), vega_bundle()]:
        files.append(File.generated(config, download.path, content=download.content))
    for page in generated_pages(site.packages, state["primary"]):
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
        raise PluginError(f"docs/{page.file.src_uri}: {error}") from error


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return state["site"].blocks.replace(html)
