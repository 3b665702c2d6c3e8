"""Every released version stays at its own address, byte for byte as released: frozen by `python -m scripts release`,
served and checked against its recorded hashes by every build, cited at its address."""

import hashlib
import json
import zipfile
from pathlib import Path

from frictionless import Package

from scripts.data.changelog import read_changelog
from scripts.data.paths import DATASETS
from tests.conftest import PACKAGE
from tests.site_support import build_site, run_scripts

RELEASES = DATASETS / PACKAGE / "releases"


def recorded(folder: Path) -> dict[str, str]:
    """A frozen version's record, read as sha256sum writes it: path → SHA-256."""
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: sha for sha, name in (line.split("  ", 1) for line in lines)}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_version_of_the_changelog_is_served_at_its_address_with_its_recorded_hashes(built_site):
    entries, _ = read_changelog(DATASETS / PACKAGE)
    assert len(entries) > 1
    package_page = (built_site / "data" / PACKAGE / "index.html").read_text(encoding="utf-8")
    for entry in entries:
        served, record = built_site / "data" / PACKAGE / entry.version, recorded(RELEASES / entry.version)
        descriptor = json.loads((served / "datapackage.json").read_text(encoding="utf-8"))
        archive = f"{PACKAGE}-{entry.version}.zip"
        expected = ["datapackage.json", *(r["path"] for r in descriptor["resources"]), archive]
        assert descriptor["version"] == entry.version
        for name in expected:
            assert sha(served / name) == record[name], f"{entry.version}/{name}"
        with zipfile.ZipFile(served / archive) as bundle:
            assert bundle.read(f"{PACKAGE}/datapackage.json") == (served / "datapackage.json").read_bytes()
        for edition in ("", "en/"):  # the version's page beside its files, listing each file's hash
            page = (built_site / edition / "data" / PACKAGE / entry.version / "index.html").read_text(encoding="utf-8")
            assert all(record[name] in page for name in expected), f"{edition}{entry.version}"
        assert f'href="{entry.version}/"' in package_page and all(record[name] in package_page for name in expected)


def test_an_old_version_read_from_the_site_validates_with_frictionless(site_url):
    entries, _ = read_changelog(DATASETS / PACKAGE)
    oldest = entries[-1].version
    package = Package(f"{site_url}data/{PACKAGE}/{oldest}/datapackage.json")
    assert package.version == oldest
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])


def test_the_package_is_cited_at_its_current_versions_address(built_site, published_url):
    version = json.loads((DATASETS / PACKAGE / "datapackage.json").read_text(encoding="utf-8"))["version"]
    for edition in ("", "en/"):
        html = (built_site / edition / "data" / PACKAGE / "index.html").read_text(encoding="utf-8")
        citation = html[html.index('id="cite"') : html.index('id="releases"')]
        address = f"{published_url}{edition}data/{PACKAGE}/{version}/"
        assert f"[DS/OL]. ({citation.split('[DS/OL]. (')[1][:10]}). {address}." in citation
        assert (built_site / edition / "data" / PACKAGE / version / "index.html").is_file()


def test_the_release_command_freezes_the_current_version_never_rewrites_it_and_the_build_checks_it(workspace, tmp_path):
    folders = ["--datasets", str(workspace.datasets), "--sources", str(workspace.sources)]
    version = json.loads((workspace.package / "datapackage.json").read_text(encoding="utf-8"))["version"]
    frozen = workspace.package / "releases" / version
    result = run_scripts(["release", *folders])
    assert result.returncode == 0, result.stdout
    assert f"Froze fixture-reform version {version}" in result.stdout
    record = recorded(frozen)
    for csv in (workspace.package / "data").glob("*.csv"):
        assert (frozen / "data" / csv.name).read_bytes() == csv.read_bytes()
        assert record[f"data/{csv.name}"] == sha(csv)
    assert f"fixture-reform-{version}.zip" in record
    before = {path: path.read_bytes() for path in frozen.rglob("*") if path.is_file()}
    assert "already frozen" in run_scripts(["release", *folders]).stdout

    workspace.set("units", "finance-bureau", "name_en", "Finance Bureau of the Fictional City")
    refused = run_scripts(["release", *folders])
    assert refused.returncode == 1
    said = refused.stdout
    assert "units.csv" in said and "never rewritten" in said and "已发布的版本不能改写" in said
    assert {path: path.read_bytes() for path in frozen.rglob("*") if path.is_file()} == before

    units = frozen / "data" / "units.csv"  # a frozen file changed: the build stops, naming it
    units.write_bytes(units.read_bytes().replace(b"Finance Bureau", b"Finance Office", 1))
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the published site", encoding="utf-8")
    result = build_site(site, workspace.datasets, workspace.sources)
    said = result.stderr
    assert result.returncode == 1
    assert f"{units}" in said or f"releases/{version}/data/units.csv" in said
    assert "已发布的" in said and f"a file of released version {version} has changed" in said
    assert "git checkout" in said and "unchanged" in said
    assert [p.name for p in site.iterdir()] == ["index.html"]
