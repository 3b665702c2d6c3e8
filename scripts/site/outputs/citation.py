"""How to cite a package, one of its figures or one of its charts: GB/T 7714-2015 ([DS/OL]), APA 7 and BibTeX, in the
page's language, each naming the dataset's version and the original report, and pointing to a permalink."""

import re
from typing import Any

from scripts.data.model import Package
from scripts.data.numbers import Lang
from scripts.site.outputs.languages import language_prefix, t
from scripts.site.outputs.versions import version_root


def cited_sources(package: Package, rows: list[dict[str, Any]] | None) -> list[tuple[dict[str, Any], list[int]]]:
    """The reports the rows come from (all of the package's when rows is None), each with the rows' paragraphs."""
    sources = package.table("sources").by_key
    ids = dict.fromkeys(row["source_id"] for row in rows) if rows is not None else sources
    return [(sources[i], sorted({int(row["locator"]) for row in rows or [] if row["source_id"] == i})) for i in ids]


def paragraphs(numbers: list[int], lang: Lang) -> str:
    if lang == "zh":
        return f"第{'、'.join(map(str, numbers))}段"
    return f"paragraph{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"


def citations(
    package: Package,
    site_url: str,
    lang: Lang = "zh",
    item: str | None = None,
    url: str | None = None,
    key: str | None = None,
    rows: list[dict[str, Any]] | None = None,
) -> list[tuple[str, str]]:
    """GB/T 7714-2015, APA and BibTeX of the package (at its version's address), or of an item of it (a figure, a
    chart) at its permalink."""
    d = package.descriptor
    author = t(lang, "；", "; ").join(c.get(f"title_{lang}") or c["title"] for c in d["contributors"])
    year, created, version = d["created"][:4], d["created"][:10], package.version
    dataset = d["title"] if lang == "zh" else d["title_en"]
    # the package is cited at the address of the version cited, which keeps its files as released
    url = url or f"{site_url.rstrip('/')}/{language_prefix(lang)}{version_root(package.name, version)}/"
    gbt_reports, reports = [], []  # GB/T 7714 marks a news item [N/OL]; APA and BibTeX do not
    for source, paras in cited_sources(package, rows):
        where = t(lang, "，", ", ") + paragraphs(paras, lang) if paras else ""
        title, publisher = source[f"title_{lang}"], source[f"publisher_{lang}"]
        published = str(source["published"])[:10]
        gbt_reports.append(f"{publisher}. {title}[N/OL]. ({published}){where}. {source['url']}")
        reports.append(f"{publisher}. ({published}). {title}{where}. {source['url']}")
    label = t(lang, "原始报道：", "Original report: ")
    gbt_report, report = (label + t(lang, "；", "; ").join(listed) for listed in (gbt_reports, reports))
    of = "" if item is None else f": {item}"
    gbt = f"{author}. {dataset}: {version}{of}[DS/OL]. ({created}). {url}. {gbt_report}"
    within = "" if item is None else f"{item}. " + t(lang, "载于", "In ")
    edition = t(lang, f"{dataset}（{version}版）[数据集]", f"{dataset} (Version {version}) [Data set]")
    apa = f"{author}. ({year}). {within}{edition}. {url}. {report}"
    title = dataset if item is None else item + t(lang, "：", ": ") + dataset
    name = re.sub(r"[^A-Za-z0-9]+", "_", f"{package.name}_{version}" + (f"_{key}" if key else ""))
    bibtex = (
        f"@misc{{{name},\n  title = {{{title}}},\n  author = {{{{{author}}}}},\n  year = {{{year}}},\n"
        f"  version = {{{version}}},\n  url = {{{url}}},\n  note = {{{t(lang, '数据集', 'Data set')}. {report}}}\n}}"
    )
    return [("GB/T 7714-2015", gbt), ("APA", apa), ("BibTeX", bibtex)]
