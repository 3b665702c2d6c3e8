"""Machine metadata: Dataset JSON-LD on package pages, sitemaps, the Atom feed, CITATION.cff, the citations on a package
page (the DCAT catalogue: test_catalogue.py)."""

import hashlib
import json
import re
from xml.etree import ElementTree as ET

import pytest
import yaml

from scripts.bench.browser import page_paths
from scripts.data.model import load_package
from scripts.data.paths import DATASETS, ROOT
from scripts.site.outputs.versions import releases
from tests.conftest import PACKAGE

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
PACKAGES = sorted(p.parent for p in DATASETS.glob("*/datapackage.json"))
REQUIRED = {"name", "description", "license", "creator", "publisher", "temporalCoverage", "spatialCoverage"}
REQUIRED |= {"version", "dateModified", "citation", "distribution"}


@pytest.mark.parametrize("edition", ["", "en/"])
def test_every_package_page_carries_a_complete_dataset(site_pages, published_url, edition):
    for folder in PACKAGES:
        html, package = site_pages[f"{edition}data/{folder.name}/"], load_package(folder)
        dataset = next(b for b in map(json.loads, JSONLD.findall(html)) if b.get("@type") == "Dataset")
        assert dataset.keys() >= REQUIRED and dataset["version"] == package.version
        assert len(dataset["distribution"]) == 3 * len(package.tables) + 2
        # that each distribution is the file it says is test_download_checks' (check_downloads)
        assert all(d["contentUrl"].startswith(published_url) and d["encodingFormat"] for d in dataset["distribution"])
        assert (dataset["name"] == package.descriptor["title"]) == (edition == "")
        rights = package.descriptor["rights_en" if edition else "rights"]
        assert dataset["copyrightNotice"] == rights and rights in html  # on the package page too


def test_sitemaps_list_every_page_with_its_twin_and_the_atom_feed_has_an_entry_per_release(built_site, published_url):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    listed = set()
    for sitemap in ("sitemap.xml", "en/sitemap.xml"):
        root = ET.parse(built_site / sitemap).getroot()
        for url in root.findall("s:url", namespace):
            listed.add(url.find("s:loc", namespace).text.removeprefix(published_url))
            assert {link.get("hreflang") for link in url.findall("x:link", namespace)} == {"zh", "en"}
    assert listed == set(page_paths(built_site))
    robots = (built_site / "robots.txt").read_text()
    assert f"Sitemap: {published_url}sitemap.xml" in robots and f"Sitemap: {published_url}en/sitemap.xml" in robots
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(built_site / "feed.xml").getroot()
    assert feed.tag == f"{atom}feed" and feed.find(f"{atom}updated") is not None
    entries = feed.findall(f"{atom}entry")
    expected = sum(len(releases(load_package(folder))) for folder in PACKAGES)
    assert len(entries) == expected
    for entry in entries:
        assert all(entry.find(f"{atom}{tag}") is not None for tag in ("id", "title", "updated", "link"))


def test_the_package_page_cites_its_current_versions_address_in_each_style_and_lists_its_releases_as_citation_cff(
    site_pages, published_url
):
    package = load_package(DATASETS / PACKAGE)
    version = package.version
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset" and str(cff["version"]) == version
    assert package.descriptor["title"] in cff["title"] and package.descriptor["title_en"] in cff["title"]
    assert str(cff["date-released"]) == releases(package)[0].date.isoformat()
    for edition in ("", "en/"):
        html = site_pages[f"{edition}data/{PACKAGE}/"]
        citation = html[html.index('id="cite"') : html.index('id="releases"')]
        assert all(style in citation for style in ("GB/T 7714-2015", "APA", "BibTeX", "[DS/OL]", "@misc{")), edition
        address = f"{published_url}{edition}data/{PACKAGE}/{version}/"
        assert f"[DS/OL]. ({citation.split('[DS/OL]. (')[1][:10]}). {address}." in citation
        assert f"{edition}data/{PACKAGE}/{version}/" in site_pages and 'id="release-1.0.0"' in html


def test_the_quality_page_states_each_files_hash(site_pages):
    for csv in (DATASETS / PACKAGE / "data").glob("*.csv"):
        assert hashlib.sha256(csv.read_bytes()).hexdigest() in site_pages["quality/"]
    assert "en/quality/" in site_pages
