"""The build is the test: an invalid package stops it and leaves the published site as it was; pages follow the data."""

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.site_support import build_site, digests


def test_invalid_package_stops_the_build_and_leaves_the_site_untouched(workspace, built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)  # a published site, as a build of the same data left it
    before = digests(site)
    workspace.replace("observations", "reform-total,24.1,", "reform-total,25,")
    result = build_site(site, workspace.datasets)
    assert result.returncode != 0
    assert "observations.csv, row 6" in result.stderr and "unchanged" in result.stderr
    assert digests(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_a_changed_value_changes_every_page_that_states_it(workspace, tmp_path, archived_source):
    sources = tmp_path / "sources"
    shutil.copytree(archived_source.parent, sources)
    text = archived_source.read_text(encoding="utf-8").replace("49.9万件", "51.2万件")
    (sources / archived_source.name).write_text(text, encoding="utf-8")
    new_text = hashlib.sha256((sources / archived_source.name).read_bytes()).hexdigest()
    workspace.set("sources", archived_source.stem, "sha256", new_text)  # the source re-archived, its new hash recorded
    workspace.replace("observations", "2024,499000,", "2024,512000,")
    workspace.replace("observations", "受理各类事项49.9万件", "受理各类事项51.2万件")
    workspace.replace("observations", "accepted 499,000 cases", "accepted 512,000 cases")
    site = tmp_path / "site"
    result = build_site(site, workspace.datasets, sources, SITE_URL="")  # built without an address: a preview
    assert result.returncode == 0, result.stderr
    assert "这是预览版" in result.stdout and "This is a preview" in result.stdout
    for page in ("index.html", "reshaping/index.html", "departments/huaibei-city/index.html"):
        assert "预览版</strong>" in (site / page).read_text("utf-8") and "Preview</strong>" in (
            site / "en" / page
        ).read_text("utf-8")
        html = (site / page).read_text(encoding="utf-8")
        assert "51.2万件" in html and "49.9万" not in html, page
        english = (site / "en" / page).read_text(encoding="utf-8")
        assert "512,000 cases" in english and "499,000" not in english, page


def test_a_failure_in_the_english_edition_alone_stops_the_build_and_leaves_no_folder_behind(built_site, tmp_path):
    from scripts.bench.project import build_copy, copy_project

    project = copy_project(tmp_path / "project")
    site = tmp_path / "published" / "site"
    shutil.copytree(built_site, site)
    before = digests(site)
    page = project / "docs" / "en" / "methods.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ m.fig('no-such-figure') }}\n", encoding="utf-8")
    result = build_copy(project, site)
    assert result.returncode == 1
    assert "no-such-figure" in result.stderr and "mkdocs.en.yml" in result.stderr and "unchanged" in result.stderr
    assert digests(site) == before
    assert [p.name for p in site.parent.iterdir()] == ["site"], "a staging folder was left behind"


@pytest.mark.parametrize("front", ["title: [unclosed\n", "- a list, not keys\n"])
def test_front_matter_that_is_not_key_value_yaml_stops_the_build_naming_the_page(front):
    from scripts.site.pages.tree import RenderError, front_matter

    assert front_matter("---\ntitle: 方法\n---\n# 正文\n", "docs/methods.md") == ("# 正文\n", {"title": "方法"})
    with pytest.raises(RenderError, match=r"docs/methods\.md: the front matter"):
        front_matter(f"---\n{front}---\n# 正文\n", "docs/methods.md")


def test_a_finished_site_that_fails_its_checks_is_refused_naming_each_problem_and_the_site_stays(
    workspace, built_site, tmp_path, monkeypatch
):
    """Built for publishing, with a preview's link pasted into a note, and one CSV corrupted between its writing and
    the check of the downloads: the build names the files that would carry the link and the download that differs,
    and the published site is left as it was."""
    import scripts.site.build

    site = tmp_path / "published" / "site"
    shutil.copytree(built_site, site)
    before = digests(site)
    check = scripts.site.build.check_downloads

    def corrupt_then_check(staging: Path) -> list[str]:
        data = staging / "downloads" / "huaibei-dakeshi-reform" / "data" / "units.csv"
        data.write_bytes(data.read_bytes() + b"\n")
        return check(staging)

    monkeypatch.setattr(scripts.site.build, "check_downloads", corrupt_then_check)
    workspace.set("observations", "drc-sections-before", "note_en", "See http://127.0.0.1:8000/slimming/.")
    result = build_site(site, workspace.datasets, SITE_URL="https://data.example.org/")
    assert result.returncode == 1
    said = result.stderr
    assert "en/slimming/index.html：含有指向本机的地址 http://127.0.0.1:8000" in said
    assert "holds http://127.0.0.1:8000, an address on the computer that built the site" in said
    assert "observations.xlsx › " in said, "the workbook's cells are read too"
    assert "units.csv, which has sha256" in said
    assert "the data differs from released version" in said and "observations.csv" in said, "an unreleased edit"
    assert "未作改动" in said and "unchanged" in said
    assert digests(site) == before
    assert [p.name for p in site.parent.iterdir()] == ["site"], "a staging folder was left behind"


def test_loopback_addresses_are_found_in_text_files_and_in_zips_and_nowhere_else(tmp_path):
    from scripts.site.outputs.address import is_preview, loopback_addresses

    (tmp_path / "page.html").write_text('<a href="//localhost/x">x</a> 127.0.0.1 http://127.0.0.10.example/ ok')
    (tmp_path / "chart.png").write_bytes(b"http://127.0.0.1/")  # an image: its QR code is decoded elsewhere
    with zipfile.ZipFile(tmp_path / "data.zip", "w") as archive:
        archive.writestr("data.csv", "id,link\na,http://[::1]:8000/a\n")
    assert loopback_addresses(tmp_path) == [("data.zip › data.csv", "http://[::1]:8000"), ("page.html", "//localhost")]
    assert is_preview(None) and is_preview("") and is_preview("http://localhost:8000/")
    assert not is_preview("https://data.example.org/reform/")


def test_the_runs_site_built_for_publishing_holds_no_loopback_address_and_no_preview_notice(built_site, published_url):
    """Read independently of the build's own check: every file, the files inside zips and workbooks too."""
    for path in (p for p in built_site.rglob("*") if p.is_file() and p.suffix != ".map"):  # Material's source maps
        if path.suffix in (".zip", ".xlsx"):
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(member) for member in archive.namelist())
        else:
            data = path.read_bytes()
        assert not re.search(rb"127\.0\.0\.1|//localhost|\[::1\]", data), path
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{published_url}">' in home and "md-banner" not in home
