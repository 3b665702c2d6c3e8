"""Macros for citing, sharing and correcting: the chart panel, each row's citation and error report, embed pages."""

import re
from typing import Any

from markupsafe import Markup

from scripts.data.model import Package
from scripts.site.charts.files import EMBED, embed_path
from scripts.site.outputs.citation import citations
from scripts.site.pages.generated import record_key, record_table, row_page, table_page
from scripts.site.pages.macros.base import MacroBase
from scripts.site.pages.render import narrative_files, page_url

CHART_CALL = re.compile(r"""m\.chart\(\s*['"]([\w-]+)['"]""")


class ShareMacros(MacroBase):
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
        page = table_page(package.name, table, row_page(package.table(table), key))
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
        para, excerpt = row["locator"], row["excerpt"]
        lines = [
            self.t(f"行：{table}/{key}", f"Row: {table}/{key}"),
            self.t(f"页面所示数值：{value}", f"Value as shown: {value}"),
            self.t(f"内容：{item}", f"What it states: {item}"),
            self.t(f"原文摘录（第{para}段）：“{excerpt}”", f"Excerpt (¶{para}): “{excerpt}”"),
            self.t(f"该行永久链接：{url}", f"Row permalink: {url}"),
        ]  # the title is in words a reader uses; the row's id is in the body
        return self.error_report(self.t(f"纠错：{item}", f"Error report: {item}"), lines, package)

    def error_report(self, title: str, lines: list[str], package: Package) -> dict[str, Any]:
        """An error report: its prefilled link (mail, or the tracker when configured), and its title, body and the
        link's template, from which the page's script (share.js) remakes the link with what the reader adds."""
        page, version = self.page_address(), f"{package.name} {package.version}"
        ask = self.t("哪里有误，应当是什么（请注明依据）：", "What is wrong, and what should it be (with evidence):")
        about = [
            self.t(f"页面地址：{page}", f"Page: {page}"),
            self.t(f"数据包版本：{version}", f"Package version: {version}"),
        ]
        body = "\n".join([*lines, *about, "", ask, ""])
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
            table = record_table(row)
            item, _ = self.row_item(package, table, row)
            key = record_key(table, row)
            keys.append(f"{table}/{key}")
            url = self.record_url(table, key)  # type: ignore[attr-defined]
            # how many reports state a figure and what the others give where they disagree (macros/figure.py)
            mark = self.evidence_mark(package, row) if table == "observations" else ""  # type: ignore[attr-defined]
            sources.append({"row": row, "item": item, "url": url, "mark": mark})
        permalink = f"{self.page_address()}#chart-{name}"
        embed = self.address(embed_path(name, self.lang))
        rows = [
            self.t(f"图表：{spec.title}", f"Chart: {spec.title}"),
            self.t(f"图表链接：{permalink}", f"Chart link: {permalink}"),
            self.t("图中数据的行：", "Rows it draws: ") + ", ".join(keys),
        ]
        title = self.t(f"纠错：图表“{spec.title}”", f"Error report: chart “{spec.title}”")
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
        href, text = self.contact_link()
        return self.block("_contact.html.j2", inline=True, href=href, text=text)
