"""Jinja rendering of pages: macros that take every number from the model, escaped for where it lands.

Data-derived HTML is registered as a block and stands in the Markdown as an opaque token, which the hook swaps
for the HTML after Markdown has run: data text can never be read as Markdown. Tokens carry a random per-build
nonce, so that no data text can imitate one. In Markdown pages (narrative pages and *.md.j2), every expression that
is not Markup (a block token, or text through the `md` filter) is escaped for Markdown by the environment's finalize.
"""

import functools
import hashlib
import posixpath
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from scripts.charts import ChartSpec
from scripts.citation import citations
from scripts.dates import label as date_label
from scripts.metadata import dataset_jsonld, script_json
from scripts.model import Package
from scripts.numbers import Lang, plain, size, with_unit
from scripts.pages import LIST_ROWS
from scripts.paths import TEMPLATES
from scripts.validate import CHECKS

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


def page_url(src_uri: str, lang: Lang) -> str:
    """The URL, from the site root, of a page of a language's edition (directory URLs)."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
    else:
        stem += "/"
    return language_prefix(lang) + stem


@dataclass
class Blocks:
    """HTML that replaces tokens after Markdown has been converted."""

    html: dict[str, str] = field(default_factory=dict)
    nonce: str = field(default_factory=lambda: secrets.token_hex(8))

    def add(self, html: str, inline: bool = False) -> Markup:
        token = f"zz{self.nonce}x{len(self.html):05d}{'i' if inline else 'b'}zz"
        self.html[token] = html
        return Markup(token if inline else f"\n\n{token}\n\n")

    def replace(self, content: str) -> str:
        pattern = rf"<p>(?P<token>zz{self.nonce}x\d{{5}}bzz)</p>|(?P<inline>zz{self.nonce}x\d{{5}}izz)"

        def swap(match: re.Match[str]) -> str:
            return self.html[match.group("token") or match.group("inline")]

        return re.sub(pattern, swap, content)


@dataclass
class Site:
    """Everything pages are made from: the packages, the charts and the downloads, for one language."""

    packages: list[Package]
    charts: dict[str, ChartSpec]
    chart_files: dict[str, dict[str, str]]  # chart name → {format: site path}
    downloads: dict[str, Any]  # site path → Download
    table_downloads: dict[tuple[str, str], list[Any]]
    package_files: dict[str, list[Any]]
    lang: Lang
    blocks: Blocks
    validation: dict[str, Any]
    site_url: str
    primary: Package
    releases: dict[str, list[Any]]  # package name → releases, newest first

    def package_downloads(self, package: Package) -> list[Any]:
        """Every download of a package: its descriptor and zip, then each table's CSV, XLSX and JSON."""
        tables = (d for table in package.tables for d in self.table_downloads[(package.name, table)])
        return [*self.package_files[package.name], *tables]

    def find_observation(self, observation_id: str) -> tuple[Package, dict[str, Any]]:
        found = [(p, p.observations[observation_id]) for p in self.packages if observation_id in p.observations]
        if len(found) != 1:
            raise KeyError(f"observation {observation_id!r} is {'unknown' if not found else 'ambiguous'}")
        return found[0]


def _digest(path: Path) -> dict[str, Any]:
    content = path.read_bytes()
    return {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "html.j2"], default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        comment_start_string="{#jinja",  # Markdown uses {#id} for heading anchors
        comment_end_string="jinja#}",
    )
    env.filters["md"] = md
    return env


@functools.cache
def markdown_environment(env: Environment) -> Environment:
    """The environment of Markdown pages: like env, but every expression is escaped for Markdown."""
    return env.overlay(finalize=markdown_text)


class PageMacros:
    """The functions a page template may call; each one knows the page it renders for, to build relative links."""

    list_rows = LIST_ROWS

    def __init__(self, site: Site, src_uri: str, env: Environment) -> None:
        self.site, self.src_uri, self.env = site, src_uri, env
        self.lang = site.lang

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def url(self, target: str) -> str:
        """A link from this page to a page (x.md, in this page's language) or a shared file of the site."""
        here = page_url(self.src_uri, self.lang)
        destination = page_url(target, self.lang) if target.endswith(".md") else target
        relative = posixpath.relpath(destination or ".", here or ".")
        return relative + ("/" if destination.endswith("/") and relative != "." else "") if relative != "." else "./"

    def html(self, template: str, inline: bool = False, **context: Any) -> Markup:
        rendered = self.env.get_template(template).render(m=self, site=self.site, lang=self.lang, **context)
        return self.site.blocks.add(rendered.strip(), inline=inline)

    # ---- values -----------------------------------------------------------------------------------------
    def value_text(self, observation_id: str) -> str:
        package, row = self.site.find_observation(observation_id)
        indicator = package.table("indicators").by_key()[row["indicator_id"]]
        return with_unit(row["value"], indicator, row["qualifier"], self.lang)

    def fig(self, observation_id: str) -> Markup:
        """A figure in running text, linked to its row, with its source in the tooltip."""
        package, row = self.site.find_observation(observation_id)
        return self.html("figure.html.j2", inline=True, row=row, package=package, text=self.value_text(observation_id))

    def number(self, observation_id: str) -> str:
        return plain(self.site.find_observation(observation_id)[1]["value"], self.lang)

    def count(self, package: str, table: str, **where: Any) -> int:
        data = self.package(package).table(table)
        if not where:
            return len(data.frame)
        (column, value), *others = where.items()
        return sum(all(row.get(k) == v for k, v in others) for row in data.where(column, value))

    def package(self, name: str) -> Package:
        for package in self.site.packages:
            if package.name == name:
                return package
        raise KeyError(f"unknown package {name!r}")

    def record(self, package: str, table: str, key: str) -> dict[str, Any]:
        rows = self.package(package).table(table).by_key()
        if key not in rows:
            raise KeyError(f"{table} of {package} has no row {key!r}")
        return rows[key]

    def date(self, text: str, precision: str) -> str:
        return date_label(text, precision, self.lang)

    def milestone_date(self, package: str, milestone_id: str) -> str:
        row = self.record(package, "milestones", milestone_id)
        return date_label(row["date"], row["precision"], self.lang)

    def period(self, period: str) -> str:
        named = {
            "before-reform": ("改革前", "before the reform"),
            "after-reform": ("改革后", "after the reform"),
            "reform-total": ("改革以来", "over the reform"),
        }
        if period in named:
            return self.t(*named[period])
        return date_label(period, "month" if "-" in period else "year", self.lang)

    def role(self, role: str) -> str:
        names = {
            "merged": ("被合并", "merged"),
            "receives-duties": ("承接职责", "takes over the duties"),
            "created": ("新设", "created"),
            "staffed": ("人员调整", "staffing changed"),
        }
        if role not in names:
            raise KeyError(f"unknown section role {role!r}")
        return self.t(*names[role])

    def source_note(self, package: Package, row: dict[str, Any]) -> str:
        source = package.table("sources").by_key()[row["source_id"]]
        if self.lang == "zh":
            return f"{source['publisher_zh']}，第{row['locator']}段：“{row['excerpt']}”"
        return f"{source['publisher_en']}, paragraph {row['locator']}: “{row['excerpt']}”"

    def svg(self, chart: str) -> Markup:
        """The chart's SVG, drawn at build time; it contains no data text that was not escaped by Vega."""
        return Markup(self.site.downloads[self.site.chart_files[chart]["svg"]].content.decode("utf-8"))

    def size(self, nbytes: int) -> str:
        return size(nbytes, self.lang)

    def rows(self, package: Package) -> int:
        return sum(len(table.frame) for table in package.tables.values())

    def cell(self, value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def citations(self, package: Package) -> list[tuple[str, str]]:
        return citations(package, self.site.site_url)

    def jsonld(self, package: Package) -> Markup:
        """schema.org Dataset of a package, safe to place inside <script>."""
        downloads = self.site.package_downloads(package)
        data = dataset_jsonld(package, self.site.site_url, self.lang, downloads, self.site.releases[package.name])
        return Markup(script_json(data))

    def report(self, package: Package) -> dict[str, Any]:
        """What the validation of this build found for a package: warnings, rows checked, each file's hash."""
        report = next(r for r in self.site.validation["reports"] if r.folder == package.folder)
        files = [
            {"path": f"{package.name}/datapackage.json", "rows": None, **_digest(package.folder / "datapackage.json")}
        ]
        for table in package.tables.values():
            files.append(
                {"path": f"{package.name}/{table.resource['path']}", "rows": len(table.frame), **_digest(table.path)}
            )
        return {"warnings": [p.text(self.lang) for p in report.problems], "rows": report.rows, "files": files}

    def checks(self) -> list[str]:
        return [zh if self.lang == "zh" else en for zh, en in CHECKS]

    # ---- blocks -----------------------------------------------------------------------------------------
    def chart(self, name: str) -> Markup:
        if name not in self.site.charts:
            raise KeyError(f"unknown chart {name!r}; known charts: {', '.join(self.site.charts)}")
        return self.html("chart.html.j2", spec=self.site.charts[name], files=self.site.chart_files[name])

    def key_figures(self, *observation_ids: str) -> Markup:
        rows = [(*self.site.find_observation(i), i) for i in observation_ids]
        return self.html("key_figures.html.j2", rows=rows)

    def figures(self, strand: str | None = None, unit: str | None = None) -> Markup:
        blocks = []
        for package in self.site.packages:
            indicators = package.table("indicators").by_key()
            observations = package.table("observations")
            candidates = observations.records() if unit is None else observations.where("unit_id", unit)
            rows = [
                row for row in candidates if strand is None or indicators[row["indicator_id"]]["strand_id"] == strand
            ]
            if rows:
                blocks.append(self._listed(package, "observations", rows, "figures.html.j2", show_unit=unit is None))
        return Markup("".join(blocks)) or self.t("（暂无数据）", "(no figures)")

    def changes(self, strand: str | None = None, unit: str | None = None) -> Markup:
        blocks = []
        for package in self.site.packages:
            types = package.table("change-types").by_key()
            changes = package.table("changes")
            candidates = (
                changes.records()
                if unit is None  # a unit's own changes, then those in which it is the counterpart
                else changes.where("unit_id", unit)
                + [r for r in changes.where("counterpart_unit_id", unit) if r["unit_id"] != unit]
            )
            rows = [row for row in candidates if strand is None or types[row["change_type"]]["strand_id"] == strand]
            if rows:
                blocks.append(self._listed(package, "changes", rows, "changes.html.j2", show_unit=unit is None))
        return Markup("".join(blocks))

    def milestones(self, unit: str | None = None) -> Markup:
        blocks = []
        for package in self.site.packages:
            milestones = package.table("milestones")
            rows = milestones.records() if unit is None else milestones.where("unit_id", unit)
            if rows:
                blocks.append(self._listed(package, "milestones", rows, "milestones.html.j2"))
        return Markup("".join(blocks))

    def _listed(self, package: Package, table: str, rows: list[Any], template: str, **context: Any) -> Markup:
        """A block of rows; a long list shows the first LIST_ROWS and links to the table's page for all of them."""
        html = self.html(template, package=package, rows=rows[:LIST_ROWS], **context)
        if len(rows) <= LIST_ROWS:
            return Markup(html)
        more = self.html("more_rows.html.j2", package=package, table=table, shown=LIST_ROWS, total=len(rows))
        return Markup(html + more)

    def block(self, template: str, **context: Any) -> Markup:
        return self.html(template, **context)


def render_markdown(env: Environment, source: str, macros: PageMacros) -> str:
    return markdown_environment(env).from_string(source).render(m=macros, site=macros.site, lang=macros.lang)


def render_template(env: Environment, template: str, macros: PageMacros, **context: Any) -> str:
    """A generated Markdown page (*.md.j2): its expressions are escaped for Markdown."""
    page = markdown_environment(env).get_template(template)
    return page.render(m=macros, site=macros.site, lang=macros.lang, **context)
