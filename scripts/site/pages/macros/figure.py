"""Macros for the page of each figure, change and milestone (figures/<id>/, changes/<id>/, milestones/<id>/): what a
reader should know about it, its evidence and a citation to paste."""

import re
from typing import Any

from scripts.data.dates import label
from scripts.data.formulas import references
from scripts.data.model import Package
from scripts.data.statements import as_stated, conflicts, differs, report_count, source_counts, statements_of
from scripts.data.values import ROUNDED, figure_text, rounding
from scripts.site.outputs.citation import citations
from scripts.site.pages.generated import figure_page, has_page, record_key, record_page, record_table, unit_records
from scripts.site.pages.macros.base import MacroBase


def bracketed(text: str) -> str:
    """English text to go inside parentheses: its own parentheses become brackets."""
    return text.replace("(", "[").replace(")", "]")


class FigureMacros(MacroBase):
    def figure_url(self, observation_id: str) -> str:
        """The link from this page to a figure's own page."""
        self.site.find_observation(observation_id)  # an unknown id stops the build
        return self.url(figure_page(observation_id))

    def figure_title(self, package: Package, row: dict[str, Any]) -> str:
        """What the figure counts, and for whom: 精简内设机构数（全市）, Internal sections cut (the city as a whole)."""
        unit = row.get(f"scope_{self.lang}") or package.table("units").by_key[row["unit_id"]][f"short_name_{self.lang}"]
        indicator = package.table("indicators").by_key[row["indicator_id"]][f"name_{self.lang}"]
        return self.t(f"{indicator}（{unit}）", f"{indicator} ({bracketed(unit)})")

    def record_url(self, table: str, key: str) -> str:
        """The link from this page to the page of a figure, change or milestone."""
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
            kind = package.table("change-types").by_key[row["change_type"]][f"name_{self.lang}"]
            return self.t(f"{kind}（{unit}）", f"{kind} ({bracketed(unit)})")
        return self.t(f"{row['event_zh']}（{unit}）", f"{row['event_en']} ({bracketed(unit)})")

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
        title, version = package.descriptor[self.t("title", "title_en")], package.version
        said = self.t(f"（{row['speaker_zh']}语）", f" ({row['speaker_en']})") if row.get("speaker_zh") else ""
        line = self.t(
            f"来源：{source['publisher_zh']}{published}报道，第{row['locator']}段{said}；数据：《{title}》{version}版，{address}",
            f"Source: {source['publisher_en']}, {published}, paragraph {row['locator']}{said}; "
            f"data: {title}, version {version}, {address}",
        )
        item, _ = self.row_item(package, table, row)  # type: ignore[attr-defined]
        key = self.record_key(table, row)
        caveats = {"observations": self.figure_caveats, "changes": self.change_caveats}.get(
            table, self.milestone_caveats
        )
        plotted = [
            name
            for name, spec in self.site.charts.items()
            if any(record_table(r) == table and self.record_key(table, r) == key for r in spec.rows)
        ]
        return {
            "key": key,
            "charts": plotted,  # the charts that plot this record, shown on its page
            "know": caveats(package, row),
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

    def evidence_mark(self, package: Package, row: dict[str, Any]) -> str:
        """A figures list's word on a figure several reports state: how many, and what the others give if it differs."""
        count = report_count(package, row)
        if count < 2:
            return ""
        others = [figure_text(package, as_stated(row, s), self.lang) for s in conflicts(package, row)]
        if not others:
            return self.t(f"{count} 份报道", f"stated in {count} reports")
        return self.t(
            f"{count} 份报道，数字不同：另有报道写{'、'.join(others)}",
            f"stated in {count} reports, which disagree: another gives {', '.join(others)}",
        )

    def statement_counts(self, package: Package) -> list[tuple[str, int, int]]:
        """Per source: figures another report corroborates, and figures another report states otherwise."""
        counts = source_counts(package)
        return [(source, shared - against, against) for source, (shared, against) in sorted(counts.items())]

    def evidence_caveats(self, package: Package, row: dict[str, Any]) -> list[str]:
        """How many reports state the figure and, where they disagree, which value the site uses."""
        count, t = report_count(package, row), self.t
        if count < 2:
            return []
        know = [t(f"{count} 份报道陈述了这个数字（见下）。", f"Stated in {count} reports (see below).")]
        others = conflicts(package, row)
        if others:
            used, stated = (
                figure_text(package, row, self.lang),
                [figure_text(package, as_stated(row, s), self.lang) for s in others],
            )
            know.append(
                t(
                    f"报道之间数字不同：本站采用{used}（第{row['locator']}段），另有报道写{'、'.join(stated)}；理由见下。",
                    f"The reports disagree: the site uses {used} (paragraph {row['locator']}); another report gives "
                    f"{', '.join(stated)}. Why: see below.",
                )
            )
        return know

    def change_caveats(self, package: Package, row: dict[str, Any]) -> list[str]:
        kind = package.table("change-types").by_key[row["change_type"]]
        units = package.table("units").by_key
        t, lang = self.t, self.lang
        know = [
            t(
                f"变化类型：{kind['name_zh']}（{kind['definition_zh']}）。",
                f"Kind: {kind['name_en']} ({kind['definition_en']}).",
            ),
            t(f"单位：{units[row['unit_id']]['name_zh']}。", f"Unit: {units[row['unit_id']]['name_en']}."),
        ]
        if row.get("counterpart_unit_id"):
            other = units[row["counterpart_unit_id"]][f"name_{lang}"]
            know.append(t(f"职责划出单位：{other}。", f"The duties came from: {other}."))
        sections = package.table("change-sections").where("change_id", row["change_id"])
        if sections:
            named = [s["section_zh"] + t("", f" ({s['section_en']})") + f" [{self.role(s['role'])}]" for s in sections]
            know.append(t("涉及科室：", "Sections: ") + t("；", "; ").join(named))
        return know

    def milestone_caveats(self, package: Package, row: dict[str, Any]) -> list[str]:
        unit = package.table("units").by_key[row["unit_id"]]
        know = [self.t(f"单位：{unit['name_zh']}。", f"Unit: {unit['name_en']}.")]
        if row["precision"] != "day":
            shown = self.date(row["date"], row["precision"])
            know.append(self.t(f"报道只给出“{shown}”，没有具体日期。", f"The report gives only “{shown}”, not a day."))
        return know

    def card_caveat(self, row: dict[str, Any]) -> str:
        """The one thing to know beside a figure's value on a card: that we computed it, else its note's first
        sentence, else what its qualifier means; its page says the rest."""
        t, note = self.t, row.get(f"note_{self.lang}") or ""
        if row["basis"] == "derived":
            return t("本站推算，不是报道中的数字", "Computed by us, not a figure in the report")
        if row["basis"] == "estimated":
            return t("本站估算，不是报道中的数字", "Estimated by us, not a figure in the report")
        if note:
            return re.split(r"(?<=。)|(?<=\.) ", note, maxsplit=1)[0]
        if kind := rounding(row):
            if kind == ROUNDED:
                return t("报道给出的是取整后的数字", "The report gives it rounded")
            return t("报道给出的可能是取整后的数字", "The report may give it rounded")
        return {
            "approx": t("约数", "Approximate"),
            "at-least": t("下限：实际数字可能更大", "A lower bound: the actual number may be larger"),
            "at-most": t("上限：实际数字可能更小", "An upper bound: the actual number may be smaller"),
        }.get(row["qualifier"], "")

    def figure_caveats(self, package: Package, row: dict[str, Any]) -> list[str]:
        """What a reader should know about a value: what it counts, for whom, when, how exact, whose number it is."""
        unit = package.table("units").by_key[row["unit_id"]]
        indicator = package.table("indicators").by_key[row["indicator_id"]]
        t, period = self.t, self.period(row["period"])
        know = [
            t(
                f"指标：{indicator['name_zh']}（{indicator['definition_zh']}）。",
                f"Indicator: {indicator['name_en']} ({indicator['definition_en']}).",
            ),
            t(f"范围：{row['scope_zh']}（报道的说法）。", f"Scope: {row['scope_en']} (as the report puts it).")
            if row.get("scope_zh")
            else t(f"单位：{unit['name_zh']}。", f"Unit: {unit['name_en']}."),
            t(f"时期：{period}。", f"Period: {period}."),
        ]
        exactness = self.exactness(row)
        know += [exactness] if exactness else []
        if row["basis"] == "derived":
            know.append(
                t(
                    "本站推算，不是报道中的数字：由报道的其他数字精确算出。",
                    "Derived by us, not stated in the report: computed exactly from other figures it gives.",
                )
            )
        elif row["basis"] == "estimated":
            know.append(
                t(
                    "本站估算，不是报道中的数字：它所依据的数字是（或可能是）取整的，所以上面给出的是估算值及其范围。",
                    "Estimated by us, not stated in the report: the figures it rests on are rounded, or may be, so the "
                    "value above is an estimate with its range.",
                )
            )
        know += self.evidence_caveats(package, row)
        return know + ([row[f"note_{self.lang}"]] if row.get(f"note_{self.lang}") else [])

    def exactness(self, row: dict[str, Any]) -> str:
        """How exact a reported value is, when it is not exact (a value of ours has its own caveat)."""
        t, reported, kind = self.t, row["basis"] == "reported", rounding(row)
        if kind == ROUNDED:
            return t(
                "取整：报道给出的是取整后的数字，没有写“约”；实际数字可能略大或略小。",
                "Rounded: the report gives the figure rounded, without saying “about”; the actual number may be a "
                "little larger or smaller.",
            )
        if kind:
            return t(
                "可能取整：报道给出的是不带小数的百分比，没有写“约”；它可能是取整后的数字，实际可能略大或略小。",
                "Possibly rounded: the report gives a whole percentage without saying “about”; it may be rounded, and "
                "the actual figure a little larger or smaller.",
            )
        if reported and row["qualifier"] == "approx":
            return t("约数：报道写作“约”或“左右”。", "Approximate: the report says “about” (约 or 左右).")
        if reported and row["qualifier"] == "at-least":
            return t(
                "下限：报道写作“以上”，实际数字可能更大。",
                "A lower bound: the report says “or more” (以上); the actual number may be larger.",
            )
        if reported and row["qualifier"] == "at-most":
            return t(
                "上限：报道写作“不到”“不足”或“以下”，实际数字可能更小。",
                "An upper bound: the report says “under” or “at most” (不到, 不足, 以下); the actual number may be "
                "smaller.",
            )
        return ""
