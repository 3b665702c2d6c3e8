"""What every macro shares (the page it renders for, its language, links and HTML blocks), and the macros for one
value or label in running text: figures, counts, dates, periods, bases and roles."""

from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from scripts.data.dates import label as date_label
from scripts.data.messages import say
from scripts.data.model import Package
from scripts.data.numbers import size
from scripts.data.values import figure_text, period_text, rounding_mark
from scripts.site.pages.edition import Edition
from scripts.site.pages.generated import row_page, table_page, unit_page
from scripts.site.pages.render import page_url, relative_url

WORDING = Path(__file__).with_name("wording.toml")  # what the macros say, by code (checked as messages.toml is)
BASES = {"reported": ("报道", "reported"), "derived": ("推算", "derived"), "estimated": ("估算", "estimate")}
ROLES = {
    "merged": ("被合并", "merged"),
    "receives-duties": ("承接职责", "takes over the duties"),
    "created": ("新设", "created"),
    "staffed": ("人员调整", "staffing changed"),
}


class MacroBase:
    def __init__(self, site: Edition, src_uri: str, env: Environment) -> None:
        self.site, self.src_uri, self.env = site, src_uri, env
        self.lang = site.lang

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def say(self, which: str, /, **params: Any) -> str:
        return say(WORDING, which, self.lang, **params)

    def url(self, target: str) -> str:
        """A link from this page to a page (x.md, in this page's language) or a shared file of the site."""
        destination = page_url(target, self.lang) if target.endswith(".md") else target
        return relative_url(page_url(self.src_uri, self.lang), destination)

    def block(self, template: str, inline: bool = False, **context: Any) -> Markup:
        """A template's HTML as a token in the page (render.py, Blocks)."""
        html = self.env.get_template(template).render(m=self, site=self.site, lang=self.lang, **context).strip()
        return self.site.blocks.add(html, inline=inline)

    def unit_url(self, unit_id: str) -> str:
        """A link to where a unit is shown: its page, or its row on the departments' index."""
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

    def value_text(self, observation_id: str, marked: bool = True) -> str:
        """The value as every page states it (scripts/data/values.py), with its rounding mark unless marked is False."""
        package, row = self.site.find_observation(observation_id)
        return figure_text(package, row, self.lang, marked)

    def rounding_mark(self, observation_id: str) -> str:
        return rounding_mark(self.site.find_observation(observation_id)[1], self.lang)

    def fig(self, observation_id: str) -> Markup:
        """A figure in running text, linked to its page, with its source in the tooltip."""
        package, row = self.site.find_observation(observation_id)
        return self.block("figure.html.j2", inline=True, row=row, package=package, text=self.value_text(observation_id))

    def who(self, observation_id: str, start: bool = False) -> str:
        """Whose figure it is, to lead a sentence of running text: the person the report quotes, else the report."""
        _, row = self.site.find_observation(observation_id)
        if row.get("speaker_zh"):
            return self.t(f"据{row['speaker_zh']}介绍，", f"{'A' if start else 'a'}ccording to {row['speaker_en']},")
        return self.t("报道称，", f"{'T' if start else 't'}he report says that")

    def count(self, package: str, table: str, **where: Any) -> int:
        data = self.package(package).table(table)
        if not where:
            return len(data.frame)
        (column, value), *others = where.items()
        return sum(all(row.get(k) == v for k, v in others) for row in data.where(column, value))

    def date(self, text: str, precision: str) -> str:
        return date_label(text, precision, self.lang)

    def milestone_date(self, package: str, milestone_id: str) -> str:
        row = self.record(package, "milestones", milestone_id)
        return self.date(row["date"], row["precision"])

    def period(self, period: str) -> str:
        return period_text(period, self.lang)

    def basis(self, basis: str) -> str:
        return self.t(*BASES[basis])

    def role(self, role: str) -> str:
        return self.t(*ROLES[role])

    def scope(self, row: dict[str, Any]) -> str:
        """Which units a figure covers, as the report gives it (empty for a department's own figure)."""
        return row.get(f"scope_{self.lang}") or ""

    def size(self, nbytes: int) -> str:
        return size(nbytes, self.lang)

    def cell(self, value: Any) -> str:
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
