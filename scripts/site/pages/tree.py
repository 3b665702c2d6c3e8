"""An edition's pages and files, rendered into the folder mkdocs builds from."""

import re
from pathlib import Path

import yaml
from jinja2 import TemplateError

from scripts.data.paths import DOCS
from scripts.site.charts.files import EMBED, vega_bundle
from scripts.site.outputs.languages import DEFAULT_LANGUAGE, language_prefix, t
from scripts.site.outputs.share import QR_FILE, page_qr
from scripts.site.pages.edition import Edition, site_metadata
from scripts.site.pages.generated import generated_pages
from scripts.site.pages.macros import PageMacros
from scripts.site.pages.render import environment, markdown_environment, narrative_files, page_url

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<meta>.*?\n)(?:---|\.\.\.)[ \t]*\n", re.S)  # as mkdocs reads it
SHARED_ASSETS = DOCS / "assets"  # stylesheets and scripts that the English edition serves too


class RenderError(Exception):
    """A page could not be rendered; the message names its file."""


def front_matter(text: str, name: str) -> tuple[str, dict]:
    """A page's Markdown without its front matter, and the front matter (a YAML mapping)."""
    found = FRONT_MATTER.match(text)
    if not found:
        return text, {}
    try:
        meta = yaml.safe_load(found["meta"]) or {}
    except yaml.YAMLError as error:
        raise RenderError(f"{name}: the front matter between its --- lines is not valid YAML: {error}") from error
    if not isinstance(meta, dict):
        raise RenderError(f"{name}: the front matter between its --- lines must be 'key: value' lines")
    return text[found.end() :], meta


def write_tree(site: Edition, tree: Path) -> None:
    """Every page and file of the edition of site.lang into the empty folder tree."""
    env = environment()
    pages_env = markdown_environment(env)  # the pages' own expressions are escaped for Markdown
    pages: dict[str, tuple[str, dict]] = {}  # src_uri → (Markdown, front matter)
    for relative, path in narrative_files(site.lang):
        if path.suffix != ".md":
            _write(tree / relative, path.read_bytes())
            continue
        name = path.relative_to(DOCS.parent).as_posix()
        body, meta = front_matter(path.read_text(encoding="utf-8"), name)
        try:
            macros = PageMacros(site, relative, env)
            pages[relative] = pages_env.from_string(body).render(m=macros, site=site, lang=site.lang), meta
        except (TemplateError, KeyError) as error:
            raise RenderError(f"{name}: {error}") from error
    for page in generated_pages(site.packages, site.primary, site.shared.versions):
        try:
            macros = PageMacros(site, page.src_uri, env)
            text = pages_env.get_template(page.template).render(m=macros, site=site, lang=site.lang, **page.context)
        except (TemplateError, KeyError) as error:
            raise RenderError(f"generating {page.src_uri} from {page.template}: {error}") from error
        pages[page.src_uri] = front_matter(text, page.template)
    share = {  # a page's share box: its address as a QR code, an image that loads when the box is opened
        "summary": t(site.lang, "本页二维码", "QR code of this page"),
        "src": QR_FILE,
        "alt": t(site.lang, "本页网址的二维码", "QR code of this page’s address"),
    }
    for src_uri, (body, meta) in pages.items():
        if not src_uri.startswith(EMBED):  # the page's QR code beside it, shown in its share box (not on embed pages)
            meta = {**meta, "share": share}
            folder = page_url(src_uri, DEFAULT_LANGUAGE)  # the page's folder within its edition
            _write(tree / folder / QR_FILE, page_qr(site.site_url, page_url(src_uri, site.lang), site.lang))
        front = f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n\n" if meta else ""
        _write(tree / src_uri, (front + body).encode("utf-8"))
    for path, content in published_files(site).items():
        _write(tree / path, content)


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def published_files(site: Edition) -> dict[str, bytes]:
    prefix = language_prefix(site.lang)
    files: dict[str, bytes] = {}
    for download in site.downloads.values():
        if site.lang == DEFAULT_LANGUAGE:
            files[download.path] = download.content
        elif download.path.startswith(prefix):  # this edition's own charts; data downloads are shared at the root
            files[download.path.removeprefix(prefix)] = download.content
    if site.lang == DEFAULT_LANGUAGE:
        bundle = vega_bundle()
        files[bundle.path] = bundle.content
        files.update(site_metadata(site))
    else:
        for asset in sorted(p for p in SHARED_ASSETS.rglob("*") if p.is_file()):
            files[asset.relative_to(DOCS).as_posix()] = asset.read_bytes()
    return files
