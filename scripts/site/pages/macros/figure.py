"""Macros for the page of each figure, change and milestone (figures/<id>/, changes/<id>/, milestones/<id>/): what a
reader should know about it (its texts: wording.toml), its evidence and a citation to paste."""

import re
from typing import Any

from scripts.data.dates import label
from scripts.data.formulas import references
from scripts.data.model import Package
from scripts.data.statements import as_stated, conflicts, differs, report_count, source_counts, statements_of
from scripts.data.values import ROUNDED, figure_text, rounding
from scripts.site.outputs.citation import citations
from scripts.site.pages.generated import has_page, record_key, record_page, record_table, unit_records
from scripts.site.pages.macros.base import MacroBase

QUALIFIED = ("approx", "at-least", "at-most")  # the qualifiers a reader is told about


class FigureMacros(MacroBase):
    def figure_url(self, observation_id: str) -> str:
        self.site.find_observation(observation_id)  # an unknown id stops the build
        return self.url(record_page("observations", observation_id))

    def titled(self, name: str, unit: str) -> str:
        """A name and the unit it is of; in English, the unit's own parentheses become brackets."""
        return self.t(f"{name}（{unit}）", f"{name} ({unit.replace('(', '[').replace(')', ']')})")

    def figure_title(self, package: Package, row: dict[str, Any]) -> str:
        """What the figure counts, and for whom: 精简内设机构数（全市）, Internal sections cut (the city as a whole)."""
        unit = row.get(f"scope_{self.lang}") or package.table("units").by_key[row["unit_id"]][f"short_name_{self.lang}"]
        return self.titled(package.table("indicators").by_key[row["indicator_id"]][f"name_{self.lang}"], unit)

    def record_url(self, table: str, key: str) -> str:
        return self.figure_url(key) if table == "observations" else self.url(record_page(table, key))

    def record_key(self, table: str, row: dict[str, Any]) -> str:
        return record_key(table, row)

    def unit_has_page(self, unit_id: str) -> bool:
        return has_page(self.site.primary, unit_id)

    def unit_records(self, unit_id: str) -> list[tuple[str, dict[str, Any]]]:
        return unit_records(self.site.primary, unit_id)

    def record_title(self, package: Package, table: str, row: dict[str, Any]) -> str:
        if table == "observations":
            return self.figure_title(package, row)
        unit = package.table("units").by_key[row["unit_id"]][f"short_name_{self.lang}"]
        if table == "changes":
            return self.titled(package.table("change-types").by_key[row["change_type"]][f"name_{self.lang}"], unit)
        return self.titled(row[f"event_{self.lang}"], unit)

    def record_headline(self, table: str, row: dict[str, Any]) -> str:
        """The page's headline: a figure's value, a change as described, a milestone's date."""
        if table == "observations":
            return self.value_text(row["observation_id"])
        if table == "changes":
            return row[f"description_{self.lang}"]
        return self.date(row["date"], row["precision"])

    def record_view(self, package: Package, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """Everything a record's page states besides its headline: what to know, the evidence, the citations."""
        source = package.table("sources").by_key[row["source_id"]]
        inputs = [self.site.find_observation(i) for i in references(row.get("formula") or "")]
        published = label(str(source["published"])[:10], "day", self.lang)
        address = self.page_address()  # type: ignore[attr-defined]
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
        item, _ = self.row_item(package, table, row)  # type: ignore[attr-defined]
        key = self.record_key(table, row)
        caveats = {"observations": self.figure_caveats, "changes": self.change_caveats}
        plotted = [
            name
            for name, spec in self.site.charts.items()
            if any(record_table(r) == table and self.record_key(table, r) == key for r in spec.rows)
        ]
        return {
            "key": key,
            "charts": plotted,  # the charts that plot this record, shown on its page
            "know": caveats.get(table, self.milestone_caveats)(package, row),
            "inputs": [(self.figure_title(p, r), self.figure_url(r["observation_id"])) for p, r in inputs],
            "source": source,
            "published": published,
            "line": line,
            "address": address,
            "citations": citations(package, self.site.site_url, self.lang, item=item, url=address, key=key, rows=[row]),
            "report": self.row_report(package, table, row),  # type: ignore[attr-defined]
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
                    "published": label(str(source["published"])[:10], "day", self.lang),
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
