"""What every macro shares (the page it renders for, its language, links, HTML blocks), and the macros of running
text, of HTML blocks (charts, key figures, lists of rows) and of what pages state about a package."""

import hashlib
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from scripts.checks.validate import CHECKS
from scripts.data.coverage import Found
from scripts.data.dates import label as date_label
from scripts.data.figures import REASONS
from scripts.data.messages import say
from scripts.data.model import Package
from scripts.data.numbers import size
from scripts.data.packages import DESCRIPTOR
from scripts.data.values import figure_text, period_text, rounding_mark
from scripts.site.charts.common import WIDE, column_heading
from scripts.site.outputs.citation import citations
from scripts.site.outputs.metadata import dataset_jsonld, script_json
from scripts.site.outputs.versions import Version
from scripts.site.pages.edition import Edition
from scripts.site.pages.generated import LIST_ROWS, row_page, table_page, unit_page, version_page
from scripts.site.pages.render import page_url, relative_url

WORDING = Path(__file__).with_name("wording.toml")  # what the macros say, by code (checked as messages.toml is)
COVERAGE_SOURCES = 20  # sources listed in detail on the quality page; the rest are summed up, so the page stays light


def _digest(path: Path) -> dict[str, Any]:
    content = path.read_bytes()
    return {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}


class MacroBase:
    list_rows = LIST_ROWS
    wide = WIDE  # the chart box's width from which a chart is drawn wide (site.css says the same)

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
        return self.say(f"basis.{basis}")

    def role(self, role: str) -> str:
        return self.say(f"role.{role}")

    def scope(self, row: dict[str, Any]) -> str:
        """Which units a figure covers, as the report gives it (empty for a department's own figure)."""
        return row.get(f"scope_{self.lang}") or ""

    def size(self, nbytes: int) -> str:
        return size(nbytes, self.lang)

    def cell(self, value: Any) -> str:
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)

    def chart(self, name: str) -> Markup:
        if name not in self.site.charts:
            raise KeyError(f"unknown chart {name!r}; known charts: {', '.join(self.site.charts)}")
        return self.block("chart.html.j2", spec=self.site.charts[name], files=self.site.chart_files[name])

    def column_heading(self, column: str) -> str:
        return column_heading(column, self.lang)

    def svg(self, chart: str, layout: str) -> Markup:
        """The chart's drawing, wide (the one downloaded) or narrow (for a phone), marked with its layout for site.css;
        Vega escaped every data text in it."""
        if layout == "wide":
            drawn = self.site.downloads[self.site.chart_files[chart]["svg"]].content
        else:
            drawn = self.site.narrow_svgs[chart]
        return Markup(f'<svg data-layout="{layout}" ' + drawn.decode("utf-8").removeprefix("<svg "))

    def key_figures(self, *observation_ids: str) -> Markup:
        rows = [(*self.site.find_observation(i), i) for i in observation_ids]
        return self.block("key_figures.html.j2", rows=rows)

    def figures(self, strand: str | None = None, unit: str | None = None) -> Markup:
        listed = self._lists("observations", strand, unit, "figures.html.j2", show_unit=unit is None)
        return listed or self.t("（暂无数据）", "(no figures)")

    def changes(self, strand: str | None = None, unit: str | None = None) -> Markup:
        return self._lists("changes", strand, unit, "changes.html.j2", show_unit=unit is None)

    def milestones(self, unit: str | None = None) -> Markup:
        return self._lists("milestones", None, unit, "milestones.html.j2")

    def claims(self, strand: str | None = None, unit: str | None = None, measured: bool = False) -> Markup:
        """What the report claims, of a strand or a unit: those it gives no figure for, or (measured) those it does."""
        return self._lists("claims", strand, unit, "claims.html.j2", show_unit=unit is None, measured=measured)

    def claim_figures(self, package: Package, claim: dict[str, Any]) -> list[dict[str, Any]]:
        """The observation a claim names, then the other figures its report states in the same paragraph's excerpt."""
        named = package.observations[claim["observation_id"]]
        same = package.table("observations").where("excerpt", named["excerpt"])
        others = [
            row
            for row in same
            if row is not named
            and row["basis"] == "reported"
            and (row["source_id"], row["locator"]) == (named["source_id"], named["locator"])
        ]
        return [named, *others]

    def _lists(self, table: str, strand: str | None, unit: str | None, template: str, **context: Any) -> Markup:
        """Each package's rows of a table, of a strand or a unit, or all of them, the city's first; a unit's changes
        include those in which it is the counterpart, after its own."""
        blocks = []
        for package in self.site.packages:
            data = package.table(table)
            rows = data.records if unit is None else data.where("unit_id", unit)
            if unit is not None and table == "changes":
                rows = rows + [r for r in data.where("counterpart_unit_id", unit) if r["unit_id"] != unit]
            if table == "claims":
                rows = [row for row in rows if bool(row["observation_id"]) == context["measured"]]
            rows = package.city_first([row for row in rows if strand is None or row["strand_id"] == strand])
            if not rows:
                continue
            html = self.block(template, package=package, rows=rows[:LIST_ROWS], **context)
            if len(rows) > LIST_ROWS:  # a long list: its first rows, and a link to the table's page for all of them
                html += self.block("more_rows.html.j2", package=package, table=table, shown=LIST_ROWS, total=len(rows))
            blocks.append(html)
        return Markup("".join(blocks))

    def rows(self, package: Package) -> int:
        return sum(len(table.frame) for table in package.tables.values())

    def citations(self, package: Package) -> list[tuple[str, str]]:
        return citations(package, self.site.site_url, self.lang)

    def versions(self, package: Package) -> dict[str, Version]:
        return {v.version: v for v in self.site.shared.versions[package.name]}

    def version_page(self, package: Package, version: str) -> tuple[str, str]:
        """A version's page in this edition: the link to it from this page, and its full address."""
        page = version_page(package.name, version)
        return self.url(page), f"{self.site.site_url.rstrip('/')}/{page_url(page, self.lang)}"

    def jsonld(self, package: Package) -> Markup:
        """schema.org Dataset of a package, safe to place inside <script>."""
        history = self.site.shared.releases[package.name]
        data = dataset_jsonld(package, self.site.site_url, self.lang, self.site.package_downloads(package), history)
        return Markup(script_json(data))

    def report(self, package: Package) -> dict[str, Any]:
        """What the validation of this build found for a package: warnings, rows checked, each file's hash."""
        report = next(r for r in self.site.shared.reports if r.folder == package.folder)
        files = [(DESCRIPTOR, None, package.folder / DESCRIPTOR)]
        files += [(table.resource["path"], len(table.frame), table.path) for table in package.tables.values()]
        listed = [{"path": f"{package.name}/{path}", "rows": rows, **_digest(file)} for path, rows, file in files]
        return {"warnings": [p.text(self.lang) for p in report.problems], "rows": report.rows, "files": listed}

    def checks(self) -> list[str]:
        return [zh if self.lang == "zh" else en for zh, en in CHECKS]

    def coverage(self, package: Package) -> dict[str, Any]:
        """Per archived source (the first COVERAGE_SOURCES in detail, the others summed up): the figures its text
        states, as the maintainers' draft finds them, those the data holds, and why the rest are left out."""
        surveys = self.site.shared.coverage.get(package.name, {})
        listed = [_source_coverage(i, numbers, self.lang) for i, numbers in list(surveys.items())[:COVERAGE_SOURCES]]
        figures = [f for numbers in surveys.values() for f in numbers or [] if f.number.is_figure]
        sources = sum(numbers is not None for numbers in surveys.values())  # those not listed count in the totals only
        totals = {"figures": len(figures), "held": sum(1 for f in figures if f.held_by), "sources": sources}
        return {"sources": listed, "more": len(surveys) - len(listed), "totals": totals}


def _source_coverage(source_id: str, numbers: list[Found] | None, lang: str) -> dict[str, Any]:
    """A source's figures, those the data leaves out, and its other numbers grouped by why they are no figures."""
    if numbers is None:
        return {"source_id": source_id, "available": False}
    figures = [f for f in numbers if f.number.is_figure]
    missing = [f for f in figures if not f.held_by]
    others = [f for f in numbers if not f.number.is_figure]
    reasons: dict[str, list[Found]] = {}
    for f in others:
        reasons.setdefault(f.number.kind, []).append(f)
    return {
        "source_id": source_id,
        "available": True,
        "figures": len(figures),
        "held": len(figures) - len(missing),
        "missing": missing,
        "others": len(others),
        "reasons": [
            {"reason": REASONS[kind][0 if lang == "zh" else 1], "numbers": found} for kind, found in reasons.items()
        ],
    }
