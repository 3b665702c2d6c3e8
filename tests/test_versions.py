"""Every released version stays at its own address, byte for byte as released: frozen by `python -m scripts release`,
served and checked against its recorded hashes by every build, and compared with the next."""

import hashlib
import json
import subprocess
import zipfile
from pathlib import Path

from scripts.data.changelog import read_changelog
from scripts.data.model import load_package
from scripts.data.paths import DATASETS
from scripts.site.outputs.versions import releases
from tests.conftest import PACKAGE
from tests.site_support import build_site, left_as_it_was, published, run_scripts

RELEASES = DATASETS / PACKAGE / "releases"


def recorded(folder: Path) -> dict[str, str]:
    """A frozen version's record, read as sha256sum writes it: path → SHA-256."""
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: sha for sha, name in (line.split("  ", 1) for line in lines)}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_version_of_the_changelog_is_served_at_its_address_with_its_recorded_hashes(built_site, site_pages):
    entries, _ = read_changelog(DATASETS / PACKAGE)
    assert len(entries) > 1
    package_page = site_pages[f"data/{PACKAGE}/"]
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
            page = site_pages[f"{edition}data/{PACKAGE}/{entry.version}/"]
            assert all(record[name] in page for name in expected), f"{edition}{entry.version}"
        assert f'href="{entry.version}/"' in package_page and all(record[name] in package_page for name in expected)


def test_a_release_is_frozen_never_rewritten_checked_by_the_build_and_compared_with_the_next_without_git(
    workspace, tmp_path
):
    """As in a CI checkout of the last commit alone: the workspace has no .git, and the diff still works."""
    git = subprocess.run(["git", "rev-parse", "--git-dir"], cwd=workspace.package, capture_output=True)
    assert git.returncode != 0, "the workspace must lie outside any git repository"
    folders = ["--datasets", str(workspace.datasets), "--sources", str(workspace.sources)]
    version = load_package(workspace.package).version
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
    site = published(tmp_path)
    result = build_site(site, workspace.datasets, workspace.sources)
    said = result.stderr
    assert result.returncode == 1 and (f"{units}" in said or f"releases/{version}/data/units.csv" in said)
    assert "已发布的" in said and f"a file of released version {version} has changed" in said
    assert "git checkout" in said and "unchanged" in said and left_as_it_was(site)
    units.write_bytes(before[units])

    major, minor, _ = version.split(".")  # the next version: validate refuses it until the changelog has it
    following = f"{major}.{int(minor) + 1}.0"
    descriptor = workspace.package / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8").replace(f'"version": "{version}"', f'"version": "{following}"')
    descriptor.write_text(text, encoding="utf-8")
    result = workspace.validate()
    assert result.returncode == 1 and "CHANGELOG.md" in result.stdout, "a version missing from the changelog"
    changelog = workspace.package / "CHANGELOG.md"
    entry = f"## {following} — 2026-12-01\n\n- Corrected a name.\n\n## {version}"
    changelog.write_text(changelog.read_text(encoding="utf-8").replace(f"## {version}", entry, 1), encoding="utf-8")
    workspace.edit_line("glossary", "jingjian", lambda line: None)  # a row removed
    newest, current, *_ = releases(load_package(workspace.package))
    assert (newest.version, current.version) == (following, version)
    found = [(d.table, d.added, d.removed, d.changed) for d in newest.diffs]
    assert found == [("glossary", [], ["jingjian"], []), ("units", [], [], ["finance-bureau"])]
    first = releases(load_package(DATASETS / PACKAGE))[-1]  # from this repository's frozen copy
    assert first.version == "1.0.0" and sum(len(d.added) for d in first.diffs) > 0
