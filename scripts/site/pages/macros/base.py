"""What every group of macros shares: the page it renders for, its language, links and HTML blocks."""

from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from scripts.data.model import Package
from scripts.site.pages.edition import Edition
from scripts.site.pages.generated import row_page, table_page, unit_page
from scripts.site.pages.render import page_url, relative_url


class MacroBase:
    def __init__(self, site: Edition, src_uri: str, env: Environment) -> None:
        self.site, self.src_uri, self.env = site, src_uri, env
        self.lang = site.lang

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def url(self, target: str) -> str:
        """A link from this page to a page (x.md, in this page's language) or a shared file of the site."""
        destination = page_url(target, self.lang) if target.endswith(".md") else target
        return relative_url(page_url(self.src_uri, self.lang), destination)

    def html(self, template: str, inline: bool = False, **context: Any) -> Markup:
        """A template's HTML as a token in the page (scripts/site/pages/render.py, Blocks)."""
        html = self.env.get_template(template).render(m=self, site=self.site, lang=self.lang, **context).strip()
        return self.site.blocks.add(html, inline=inline)

    def unit_url(self, unit_id: str) -> str:
        """A link to where a unit is shown: its page, or its row on the departments' index (generated.unit_page)."""
        page, _, anchor = unit_page(self.site.primary, unit_id).partition("#")
        return self.url(page) + (f"#{anchor}" if anchor else "")

    def package(self, name: str) -> Package:
        for package in self.site.packages:
            if package.name == name:
                return package
        raise KeyError(f"unknown package {name!r}")

    def row_url(self, package: Package, table: str, key: str) -> str:
        """The permalink of a row: the page of its table that lists it, at the row's anchor."""
        page = table_page(package.name, table, row_page(package.table(table), key))
        return f"{self.url(page)}#row-{key}"

    def record(self, package: str, table: str, key: str) -> dict[str, Any]:
        rows = self.package(package).table(table).by_key
        if key not in rows:
            raise KeyError(f"{table} of {package} has no row {key!r}")
        return rows[key]
