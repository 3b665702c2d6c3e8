"""The build is the test: an invalid package or a finished site that fails its checks stops it, and the published site
stays as it was (that pages follow the data, and that a failure in one edition stops the build: test_serve.py)."""

import re
import zipfile
from pathlib import Path

import pytest

from tests.site_support import build_site, left_as_it_was, published


def test_invalid_package_stops_the_build_and_leaves_the_site_untouched(workspace, tmp_path):
    site = published(tmp_path)
    workspace.replace("observations", "reform-total,24.1,", "reform-total,25,")
    result = build_site(site, workspace.datasets)
    assert result.returncode != 0
    assert "observations.csv, row 6" in result.stderr and "unchanged" in result.stderr
    assert left_as_it_was(site)


@pytest.mark.parametrize("front", ["title: [unclosed\n", "- a list, not keys\n"])
def test_front_matter_that_is_not_key_value_yaml_stops_the_build_naming_the_page(front):
    from scripts.site.pages.tree import RenderError, front_matter

    assert front_matter("---\ntitle: 方法\n---\n# 正文\n", "docs/methods.md") == ("# 正文\n", {"title": "方法"})
    with pytest.raises(RenderError, match=r"docs/methods\.md: the front matter"):
        front_matter(f"---\n{front}---\n# 正文\n", "docs/methods.md")


def test_a_finished_site_that_fails_its_checks_is_refused_naming_each_problem_and_the_site_stays(
    workspace, tmp_path, monkeypatch
):
    """A preview's link pasted into a note, a CSV corrupted after its writing: both named, the site left as it was."""
    import scripts.site.build

    site = published(tmp_path)
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
    assert left_as_it_was(site)


def test_loopback_addresses_are_found_in_files_and_zips_and_the_runs_published_site_has_none_nor_a_preview_notice(
    tmp_path, built_site, published_url
):
    from scripts.site.outputs.address import is_preview, loopback_addresses

    (tmp_path / "page.html").write_text('<a href="//localhost/x">x</a> 127.0.0.1 http://127.0.0.10.example/ ok')
    (tmp_path / "chart.png").write_bytes(b"http://127.0.0.1/")  # an image: its QR code is decoded elsewhere
    with zipfile.ZipFile(tmp_path / "data.zip", "w") as archive:
        archive.writestr("data.csv", "id,link\na,http://[::1]:8000/a\n")
    assert loopback_addresses(tmp_path) == [("data.zip › data.csv", "http://[::1]:8000"), ("page.html", "//localhost")]
    assert is_preview(None) and is_preview("") and is_preview("http://localhost:8000/")
    assert not is_preview("https://data.example.org/reform/")
    # the run's site, built for publishing, read independently of that check: every file, in zips and workbooks too
    for path in (p for p in built_site.rglob("*") if p.is_file() and p.suffix != ".map"):  # Material's source maps
        if path.suffix in (".zip", ".xlsx"):
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(member) for member in archive.namelist())
        else:
            data = path.read_bytes()
        assert not re.search(rb"127\.0\.0\.1|//localhost|\[::1\]", data), path
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{published_url}">' in home and "md-banner" not in home
