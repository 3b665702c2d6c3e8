"""An edition's configuration, read for what its pages are rendered from and set for its language and address."""

from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from scripts.site.outputs.address import PREVIEW_ADDRESS, is_preview
from scripts.site.outputs.languages import LANGUAGES, language_prefix
from scripts.site.outputs.share import corrections
from scripts.site.pages.edition import Edition, make_edition
from scripts.site.prepare import Prepared


def configure(config: MkDocsConfig) -> tuple[str, str]:
    """The edition's language and the site's root address, the configuration set for them (the English edition's
    address is its folder's; the language switch, overrides/partials/alternate.html, links each page to its twin)."""
    lang = str(config.theme["language"])
    if lang not in LANGUAGES:
        raise PluginError(f"no pages are generated for language {lang!r}; known: {', '.join(LANGUAGES)}")
    config.extra["preview"] = is_preview(config.site_url)  # pages say so, and their addresses point here
    root_url = config.site_url or PREVIEW_ADDRESS
    config.site_url = root_url.rstrip("/") + "/" + language_prefix(lang)
    root_path = urlsplit(root_url).path.rstrip("/") + "/"
    for alternate in config.extra["alternate"]:
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
    return lang, root_url


def edition_for(
    config: MkDocsConfig, lang: str, root_url: str, shared: Prepared, descriptions: dict[str, str]
) -> Edition:
    """What the edition's pages are rendered from; descriptions: each edition's site_description, by language."""
    name = config.extra.get("primary_package")
    primary = next((package for package in shared.packages if package.name == name), None)
    if primary is None:
        known = ", ".join(p.name for p in shared.packages)
        raise PluginError(f"mkdocs.yml extra.primary_package {name!r} is not one of the packages ({known})")
    try:
        contact = corrections(config.extra.get("corrections"))
    except ValueError as error:
        raise PluginError(f"{config.config_file_path}: {error}") from error
    return make_edition(shared, primary, lang, root_url, contact, descriptions)
