"""Assemble what the site publishes from the validated model: chart files, downloads, and each edition."""

import json
from dataclasses import dataclass
from typing import Any

from scripts.data.model import Package
from scripts.data.numbers import Lang
from scripts.site.charts import CHARTS, build_chart
from scripts.site.charts.common import ChartSpec
from scripts.site.charts.files import chart_files, drawn_svg, share_files
from scripts.site.outputs.metadata import CATALOGUE, FEED, ROBOTS, atom_feed, dcat_catalogue, robots
from scripts.site.outputs.readable import readable_downloads
from scripts.site.pages.generated import record_page
from scripts.site.pages.render import Blocks, page_url
from scripts.site.prepare import Prepared


@dataclass
class Edition:
    shared: Prepared  # the packages, their downloads, releases and validation, the same for both editions
    charts: dict[str, ChartSpec]
    chart_files: dict[str, dict[str, str]]  # chart name → {format: site path}
    downloads: dict[str, Any]  # site path → Download
    lang: Lang
    blocks: Blocks
    site_url: str
    primary: Package
    narrow_svgs: dict[str, bytes]  # chart name → its drawing for a phone (shown on the page only, not a download)
    corrections: Any  # where error reports go (scripts/site/outputs/share.py), from mkdocs.yml extra.corrections
    readable: dict[str, list[Any]]  # package → its figures for people, in this edition's language (outputs/readable.py)
    descriptions: dict[str, str]  # the site's description by language: each edition's site_description

    @property
    def packages(self) -> list[Package]:
        return self.shared.packages

    def package_downloads(self, package: Package) -> list[Any]:
        tables = (d for table in package.tables for d in self.shared.table_files[(package.name, table)])
        return [*self.shared.package_files[package.name], *tables]

    def find_observation(self, observation_id: str) -> tuple[Package, dict[str, Any]]:
        found = [(p, p.observations[observation_id]) for p in self.packages if observation_id in p.observations]
        if len(found) != 1:
            raise KeyError(f"observation {observation_id!r} is {'unknown' if not found else 'ambiguous'}")
        return found[0]


def make_edition(
    shared: Prepared, primary: Package, lang: Lang, site_url: str, corrections: Any, descriptions: dict[str, str]
) -> Edition:
    charts = {name: build_chart(name, primary, lang) for name in CHARTS}
    files_by_chart = {}
    for name, spec in charts.items():
        files = chart_files(spec, lang)
        files_by_chart[name] = files | share_files(spec, lang, site_url, files["svg"].content)
    address = site_url.rstrip("/") + "/"
    readable = {
        p.name: readable_downloads(p, lang, lambda key: address + page_url(record_page("observations", key), lang))
        for p in shared.packages
    }
    every = [
        *(d for ds in readable.values() for d in ds),
        *(f for files in files_by_chart.values() for f in files.values()),
        *(d for ds in shared.table_files.values() for d in ds),
        *(d for ds in shared.package_files.values() for d in ds),
        *(d for listed in shared.versions.values() for version in listed for d in version.files),
    ]
    return Edition(
        shared=shared,
        charts=charts,
        chart_files={name: {kind: f.path for kind, f in files.items()} for name, files in files_by_chart.items()},
        downloads={d.path: d for d in every},
        lang=lang,
        blocks=Blocks(),
        site_url=site_url,
        primary=primary,
        narrow_svgs={name: drawn_svg(spec.vega_lite(narrow=True)) for name, spec in charts.items()},
        corrections=corrections,
        readable=readable,
        descriptions=descriptions,
    )


def site_metadata(site: Edition) -> list[tuple[str, bytes]]:
    """The DCAT catalogue, the Atom feed of releases, robots.txt."""
    primary = site.primary.descriptor
    titles = {"zh": f"{primary['title']}开放数据目录", "en": f"{primary['title_en']}: open data catalogue"}
    downloads = {package.name: site.package_downloads(package) for package in site.packages}
    catalogue = dcat_catalogue(
        site.packages,
        site.site_url,
        titles,
        site.descriptions,
        site.corrections,
        downloads,
        site.shared.releases,
        site.shared.versions,
    )
    return [
        (CATALOGUE, (json.dumps(catalogue, ensure_ascii=False, indent=1) + "\n").encode()),
        (FEED, atom_feed(site.packages, site.site_url, titles["zh"], site.shared.releases)),
        (ROBOTS, robots(site.site_url)),
    ]
