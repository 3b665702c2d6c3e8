"""Machine metadata: Dataset JSON-LD on package pages, sitemaps, the Atom feed, CITATION.cff, the citations on a package
page (the DCAT catalogue: test_catalogue.py)."""

import hashlib
import json
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from scripts.bench.browser import page_paths
from scripts.data.model import load_package
from scripts.data.paths import DATASETS, ROOT
from scripts.site.outputs.versions import diff, releases
from tests.conftest import PACKAGE
from tests.site_support import run_scripts

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


def test_sitemaps_list_every_page_with_its_twin(built_site, published_url):
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


def test_atom_feed_has_an_entry_per_release(built_site):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(built_site / "feed.xml").getroot()
    assert feed.tag == f"{atom}feed" and feed.find(f"{atom}updated") is not None
    entries = feed.findall(f"{atom}entry")
    expected = sum(len(releases(load_package(folder))) for folder in PACKAGES)
    assert len(entries) == expected
    for entry in entries:
        assert all(entry.find(f"{atom}{tag}") is not None for tag in ("id", "title", "updated", "link"))


def test_citation_cff_matches_the_descriptor():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    package = load_package(DATASETS / PACKAGE)
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "dataset"
    assert str(citation["version"]) == package.version
    assert package.descriptor["title"] in citation["title"] and package.descriptor["title_en"] in citation["title"]
    assert str(citation["date-released"]) == releases(package)[0].date.isoformat()


def test_the_package_page_cites_its_current_versions_address_in_each_style_and_lists_its_releases(
    site_pages, published_url
):
    version = load_package(DATASETS / PACKAGE).version
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


def test_release_diff_finds_added_removed_and_changed_rows():
    old = {"units": {"a": {"id": "a", "name": "A"}, "b": {"id": "b", "name": "B"}}}
    new = {"units": {"a": {"id": "a", "name": "A2"}, "c": {"id": "c", "name": "C"}}}
    [result] = diff(old, new)
    assert (result.added, result.removed, result.changed) == (["c"], ["b"], ["a"])


def set_version(package: Path, new: str) -> None:
    descriptor, old = package / "datapackage.json", load_package(package).version
    text = descriptor.read_text(encoding="utf-8").replace(f'"version": "{old}"', f'"version": "{new}"')
    descriptor.write_text(text, encoding="utf-8")


def test_a_new_release_is_compared_with_the_frozen_previous_one_without_any_git_history(workspace):
    """As in a CI checkout of the last commit alone: the copy has no .git, and the diff still works."""
    git = subprocess.run(["git", "rev-parse", "--git-dir"], cwd=workspace.package, capture_output=True)
    assert git.returncode != 0, "the workspace must lie outside any git repository"
    folders = ["--datasets", str(workspace.datasets), "--sources", str(workspace.sources)]
    assert run_scripts(["release", *folders]).returncode == 0  # the current version, frozen as it is released
    version = load_package(workspace.package).version
    major, minor, _ = version.split(".")
    following = f"{major}.{int(minor) + 1}.0"
    set_version(workspace.package, following)
    changelog = workspace.package / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    changelog.write_text(
        text.replace(f"## {version}", f"## {following} — 2026-12-01\n\n- Corrected a name.\n\n## {version}", 1),
        encoding="utf-8",
    )
    workspace.set("units", "finance-bureau", "name_en", "Finance Bureau of the Fictional City")
    newest, current, *_ = releases(load_package(workspace.package))
    assert (newest.version, current.version) == (following, version)
    assert [(d.table, d.changed) for d in newest.diffs] == [("units", ["finance-bureau"])]
    first = releases(load_package(DATASETS / PACKAGE))[-1]  # from this repository's frozen copy
    assert first.version == "1.0.0" and sum(len(d.added) for d in first.diffs) > 0


def test_make_validate_refuses_a_version_missing_from_the_changelog(workspace):
    set_version(workspace.package, load_package(workspace.package).version.rsplit(".", 1)[0] + ".99")
    result = workspace.validate()
    assert result.returncode == 1 and "CHANGELOG.md" in result.stdout
