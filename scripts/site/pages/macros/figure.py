"""Macros for what is said about a row: the page of each figure, change and milestone (figures/<id>/, changes/<id>/,
milestones/<id>/), with what a reader should know about it (its texts: wording.toml), its evidence and a citation to
paste; each row's citation and error report, the chart panel and embed pages."""

import re
from typing import Any

from markupsafe import Markup

from scripts.data.formulas import references
from scripts.data.model import Package
from scripts.data.statements import as_stated, conflicts, differs, report_count, source_counts, statements_of
from scripts.data.values import ROUNDED, figure_text, rounding
from scripts.site.charts.files import EMBED, embed_path
from scripts.site.outputs.citation import citations
from scripts.site.pages import generated
from scripts.site.pages.macros.base import MacroBase
from scripts.site.pages.render import narrative_files, page_url

QUALIFIED = ("approx", "at-least", "at-most")  # the qualifiers a reader is told about
CHART_CALL = re.compile(r"""m\.chart\(\s*['"]([\w-]+)['"]""")


class PageMacros(MacroBase):
    """Every macro a page may call, each knowing the page it renders for (to build relative links)."""

    def figure_url(self, observation_id: str) -> str:
        self.site.find_observation(observation_id)  # an unknown id stops the build
        return self.url(generated.record_page("observations", observation_id))

    def titled(self, name: str, unit: str) -> str:
        """A name and the unit it is of; in English, the unit's own parentheses become brackets."""
        return self.t(f"{name}（{unit}）", f"{name} ({unit.replace('(', '[').replace(')', ']')})")

    def figure_title(self, package: Package, row: dict[str, Any]) -> str:
        """What the figure counts, and for whom: 精简内设机构数（全市）, Internal sections cut (the city as a whole)."""
        unit = row.get(f"scope_{self.lang}") or package.table("units").by_key[row["unit_id"]][f"short_name_{self.lang}"]
        return self.titled(package.table("indicators").by_key[row["indicator_id"]][f"name_{self.lang}"], unit)

    def record_url(self, table: str, key: str) -> str:
        return self.figure_url(key) if table == "observations" else self.url(generated.record_page(table, key))

    def record_key(self, table: str, row: dict[str, Any]) -> str:
        return generated.record_key(table, row)

    def unit_has_page(self, unit_id: str) -> bool:
        return generated.has_page(self.site.primary, unit_id)

    def unit_records(self, unit_id: str) -> list[tuple[str, dict[str, Any]]]:
        return generated.unit_records(self.site.primary, unit_id)

    def record_title(self, package: Package, table: str, row: dict[str, Any]) -> str:
        if table == "observations":
            return self.figure_title(package, row)
        unit = package.table("units").by_key[row["unit_id"]][f"short_name_{self.lang}"]
        if table == "changes":
            return self.titled(package.table("change-types").by_key[row["change_type"]][f"name_{self.lang}"], unit)
        return self.titled(row[f"event_{self.lang}"], unit)

    def record_view(self, package: Package, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """Everything a record's page states: its headline (a figure's value, a change as described, a milestone's
        date), what to know, the evidence, the citations."""
        source = package.table("sources").by_key[row["source_id"]]
        inputs = [self.site.find_observation(i) for i in references(row.get("formula") or "")]
        published = self.date(str(source["published"])[:10], "day")
        address = self.page_address()
        said = self.say("cite.speaker", speaker=row[f"speaker_{self.lang}"]) if row.get("speaker_zh") else ""
        line = self.say(
            "cite.line",
            publisher=source[f"publisher_{self.lang}"],
            published=published,
            locator=row["locator"],
            said=said,
            title=package.descriptor[self.t("title", "title_en")],
            version=package.version,
            address=address,
        )
        item, headline = self.row_item(package, table, row)
        key = self.record_key(table, row)
        caveats = {"observations": self.figure_caveats, "changes": self.change_caveats}
        plotted = [
            name
            for name, spec in self.site.charts.items()
            if any(generated.record_table(r) == table and self.record_key(table, r) == key for r in spec.rows)
        ]
        return {
            "key": key,
            "headline": headline,
            "charts": plotted,  # the charts that plot this record, shown on its page
            "know": caveats.get(table, self.milestone_caveats)(package, row),
            "inputs": [(self.figure_title(p, r), self.figure_url(r["observation_id"])) for p, r in inputs],
            "source": source,
            "published": published,
            "line": line,
            "address": address,
            "citations": citations(package, self.site.site_url, self.lang, item=item, url=address, key=key, rows=[row]),
            "report": self.row_report(package, table, row),
            "statements": self.statement_views(package, row) if table == "observations" else [],
        }

    def statement_views(self, package: Package, row: dict[str, Any]) -> list[dict[str, Any]]:
        """Each other report's statement of a figure: its evidence and the value as that report states it."""
        views = []
        for statement in statements_of(package, row["observation_id"]):
            source = package.table("sources").by_key[statement["source_id"]]
            views.append(
                {
                    "row": statement,
                    "source": source,
                    "published": self.date(str(source["published"])[:10], "day"),
                    "text": figure_text(package, as_stated(row, statement), self.lang),
                    "differs": differs(statement, row),
                    "reason": statement.get(f"rank_reason_{self.lang}") or "",
                }
            )
        return views

    def other_values(self, package: Package, row: dict[str, Any]) -> str:
        """The values other reports give for a figure where they disagree with the one the site uses, listed."""
        stated = [figure_text(package, as_stated(row, s), self.lang) for s in conflicts(package, row)]
        return self.t("、", ", ").join(stated)

    def evidence_mark(self, package: Package, row: dict[str, Any]) -> str:
        """A figures list's word on a figure several reports state: how many, and what the others give if it differs."""
        count = report_count(package, row)
        if count < 2:
            return ""
        if others := self.other_values(package, row):
            return self.say("evidence.reports-disagree", count=count, others=others)
        return self.say("evidence.reports", count=count)

    def statement_counts(self, package: Package) -> list[tuple[str, int, int]]:
        """Per source: figures another report corroborates, and figures another report states otherwise."""
        counts = source_counts(package)
        return [(source, shared - against, against) for source, (shared, against) in sorted(counts.items())]

    def evidence_caveats(self, package: Package, row: dict[str, Any]) -> list[str]:
        """How many reports state the figure and, where they disagree, which value the site uses."""
        count = report_count(package, row)
        if count < 2:
            return []
        know, stated = [self.say("know.reports", count=count)], self.other_values(package, row)
        if stated:
            used = figure_text(package, row, self.lang)
            know.append(self.say("know.reports-disagree", used=used, locator=row["locator"], stated=stated))
        return know

    def change_caveats(self, package: Package, row: dict[str, Any]) -> list[str]:
        kind = package.table("change-types").by_key[row["change_type"]]
        units, lang = package.table("units").by_key, self.lang
        know = [
            self.say("know.change-kind", name=kind[f"name_{lang}"], definition=kind[f"definition_{lang}"]),
            self.say("know.unit", name=units[row["unit_id"]][f"name_{lang}"]),
        ]
        if row.get("counterpart_unit_id"):
            know.append(self.say("know.duties-from", unit=units[row["counterpart_unit_id"]][f"name_{lang}"]))
        sections = package.table("change-sections").where("change_id", row["change_id"])
        if sections:
            named = [
                s["section_zh"] + self.t("", f" ({s['section_en']})") + f" [{self.role(s['role'])}]" for s in sections
            ]
            know.append(self.say("know.sections", sections=self.t("；", "; ").join(named)))
        return know

    def milestone_caveats(self, package: Package, row: dict[str, Any]) -> list[str]:
        know = [self.say("know.unit", name=package.table("units").by_key[row["unit_id"]][f"name_{self.lang}"])]
        if row["precision"] != "day":
            know.append(self.say("know.date-only", shown=self.date(row["date"], row["precision"])))
        return know

    def card_caveat(self, row: dict[str, Any]) -> str:
        """The one thing to know beside a figure's value on a card: that we computed it, else its note's first
        sentence, else what its rounding or qualifier means."""
        note = row.get(f"note_{self.lang}") or ""
        if row["basis"] != "reported":
            return self.say(f"card.{row['basis']}")
        if note:
            return re.split(r"(?<=。)|(?<=\.) ", note, maxsplit=1)[0]
        if kind := rounding(row):
            return self.say("card.rounded" if kind == ROUNDED else "card.maybe-rounded")
        return self.say(f"card.{row['qualifier']}") if row["qualifier"] in QUALIFIED else ""

    def figure_caveats(self, package: Package, row: dict[str, Any]) -> list[str]:
        """What a reader should know about a value: what it counts, for whom, when, how exact, whose number it is."""
        unit = package.table("units").by_key[row["unit_id"]]
        indicator = package.table("indicators").by_key[row["indicator_id"]]
        lang = self.lang
        know = [
            self.say("know.indicator", name=indicator[f"name_{lang}"], definition=indicator[f"definition_{lang}"]),
            self.say("know.scope", scope=row[f"scope_{lang}"])
            if row.get("scope_zh")
            else self.say("know.unit", name=unit[f"name_{lang}"]),
            self.say("know.period", period=self.period(row["period"])),
        ]
        exactness = self.exactness(row)
        know += [exactness] if exactness else []
        if row["basis"] != "reported":
            know.append(self.say(f"know.{row['basis']}"))
        know += self.evidence_caveats(package, row)
        return know + ([row[f"note_{lang}"]] if row.get(f"note_{lang}") else [])

    def exactness(self, row: dict[str, Any]) -> str:
        """How exact a reported value is, when it is not exact (a value of ours has its own caveat)."""
        if kind := rounding(row):
            return self.say("exactness.rounded" if kind == ROUNDED else "exactness.maybe-rounded")
        if row["basis"] == "reported" and row["qualifier"] in QUALIFIED:
            return self.say(f"exactness.{row['qualifier']}")
        return ""

    def address(self, path: str) -> str:
        return self.site.site_url.rstrip("/") + "/" + path

    def page_address(self) -> str:
        return self.address(page_url(self.src_uri, self.lang))

    def row_item(self, package: Package, table: str, row: dict[str, Any]) -> tuple[str, str]:
        """What a row states, as a citation names it, and its value as the page shows it."""
        units = package.table("units").by_key
        unit = units[row["unit_id"]][f"short_name_{self.lang}"]
        sep = self.t("：", ": ")
        if table == "observations":
            indicator = package.table("indicators").by_key[row["indicator_id"]][f"name_{self.lang}"]
            value = self.value_text(row["observation_id"])
            period = self.period(row["period"])
            return f"{unit}{sep}{indicator}{self.t('（', ' (')}{period}{self.t('）', ')')}{sep}{value}", value
        if table == "changes":
            return f"{unit}{sep}{row[f'description_{self.lang}']}", row[f"description_{self.lang}"]
        if table == "claims":
            said = row["excerpt"] if self.lang == "zh" else row["excerpt_en"]
            figure = row["observation_id"] and self.value_text(row["observation_id"])
            return f"{unit}{sep}“{said}”", figure or self.t("未给出数字", "no figure given")
        when = self.date(row["date"], row["precision"])
        return f"{unit}{sep}{row[f'event_{self.lang}']}{self.t('（', ' (')}{when}{self.t('）', ')')}", when

    def row_permalink(self, package: Package, table: str, row: dict[str, Any]) -> tuple[str, str]:
        """A row's id (the first field of its table's primary key), and its full permalink: the page of its table that
        lists it, at the row's anchor."""
        key = row[package.table(table).primary_key[0]]
        page = generated.table_page(package.name, table, generated.row_page(package.table(table), key))
        return key, f"{self.address(page_url(page, self.lang))}#row-{key}"

    def row_view(self, package: Package, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """What a row's citation box and error report link (templates/_row.html.j2) say."""
        (key, url), (item, _) = self.row_permalink(package, table, row), self.row_item(package, table, row)
        return {
            "key": key,
            "citations": citations(package, self.site.site_url, self.lang, item=item, url=url, key=key, rows=[row]),
            "report": self.row_report(package, table, row),
        }

    def row_report(self, package: Package, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """A message to the corrections contact, filled with the row's id, value as shown, what it states, excerpt,
        page, permalink and version."""
        (key, url), (item, value) = self.row_permalink(package, table, row), self.row_item(package, table, row)
        para, excerpt = row["locator"], row["excerpt"]  # the row's id is in the body; the title is in a reader's words
        lines = self.say(
            "report.row", table=table, key=key, value=value, item=item, para=para, excerpt=excerpt, url=url
        )
        return self.error_report(self.say("report.row-title", item=item), lines, package)

    def error_report(self, title: str, lines: str, package: Package) -> dict[str, Any]:
        """An error report: its prefilled link (mail, or the tracker when configured), and its title, body and the
        link's template, from which the page's script (share.js) remakes the link with what the reader adds."""
        version = f"{package.name} {package.version}"
        body = self.say("report.body", lines=lines, page=self.page_address(), version=version)
        contact = self.site.corrections
        return {
            "href": contact.link(title, body),
            "title": title,
            "body": body,
            "template": contact.template,
            "by_mail": contact.is_email,
            "to": self.contact_link(),
        }

    def chart_view(self, name: str) -> dict[str, Any]:
        """What the chart panel shows besides the chart: its sources, downloads, citation and share addresses."""
        spec, files = self.site.charts[name], self.site.chart_files[name]
        package = self.site.primary
        sources, keys = [], []
        for row in spec.rows:
            table = generated.record_table(row)
            item, _ = self.row_item(package, table, row)
            key = generated.record_key(table, row)
            keys.append(f"{table}/{key}")
            url = self.record_url(table, key)
            mark = self.evidence_mark(package, row) if table == "observations" else ""
            sources.append({"row": row, "item": item, "url": url, "mark": mark})
        permalink = f"{self.page_address()}#chart-{name}"
        embed = self.address(embed_path(name, self.lang))
        rows = self.say("report.chart", title=spec.title, permalink=permalink, keys=", ".join(keys))
        title = self.say("report.chart-title", title=spec.title)
        return {
            "report": self.error_report(title, rows, package),
            "sources": sources,
            "csv_address": self.address(files["csv"]),
            "permalink": permalink,
            "embed": embed,
            "embed_url": self.url(f"{EMBED}{name}.md"),
            "citations": citations(
                package, self.site.site_url, self.lang, item=spec.title, url=permalink, key=name, rows=list(spec.rows)
            ),
        }

    def embed(self, name: str) -> Markup:
        """An embed page's chart: title, the drawn chart, its source line and a link back to where the site shows it."""
        shown = (
            uri
            for uri, path in narrative_files(self.lang)
            if path.suffix == ".md" and name in CHART_CALL.findall(path.read_text(encoding="utf-8"))
        )
        home = next(shown, "index.md")  # the first narrative page of the edition that shows the chart, else home
        back = f"{self.url(home)}#chart-{name}"
        return self.block("embed.html.j2", spec=self.site.charts[name], files=self.site.chart_files[name], back=back)

    def contact_link(self) -> tuple[str, str]:
        """Where error reports go, as a link's address and text: the e-mail address, or the issue tracker's address."""
        contact = self.site.corrections
        return contact.address, contact.contact if contact.is_email else contact.address

    def corrections_contact(self) -> Markup:
        return self.site.blocks.add(Markup('<a href="{}">{}</a>').format(*self.contact_link()), inline=True)
