"""The build cache: an output is reused only for exactly the inputs it was made from, and lives outside site/."""

import json
import os
import shutil
from types import SimpleNamespace

import jinja2
import pytest
from jinja2 import Environment, FileSystemLoader

import scripts.site.publish as publish
from scripts.data.model import load_package
from scripts.data.paths import DATASETS, SITE
from scripts.site import cache, download_checks, drawing, render, search, share
from scripts.site.charts import build_chart
from scripts.site.downloads import table_downloads
from tests.conftest import PACKAGE


def test_the_key_changes_with_every_part_and_only_with_them():
    base = cache.key("chart-svg", "1.9.0", "fonts-a", '{"mark":"bar"}')
    assert base == cache.key("chart-svg", "1.9.0", "fonts-a", '{"mark":"bar"}')
    for changed in (
        cache.key("chart-png", "1.9.0", "fonts-a", '{"mark":"bar"}'),
        cache.key("chart-svg", "1.9.1", "fonts-a", '{"mark":"bar"}'),
        cache.key("chart-svg", "1.9.0", "fonts-b", '{"mark":"bar"}'),
        cache.key("chart-svg", "1.9.0", "fonts-a", '{"mark":"line"}'),
    ):
        assert changed != base


def test_an_output_is_made_once_per_key_and_stored_whole(tmp_path):
    made = []

    def make(text: str):
        return lambda: made.append(text) or text.encode()

    assert cache.cached("kind", ["a"], make("one"), tmp_path) == b"one"
    assert cache.cached("kind", ["a"], make("two"), tmp_path) == b"one"  # reused, not made again
    assert cache.cached("kind", ["b"], make("three"), tmp_path) == b"three"
    assert made == ["one", "three"]
    assert not [p for p in tmp_path.rglob(".partial-*")]


def test_the_cache_is_outside_the_published_site():
    assert SITE not in cache.cache_dir().parents and cache.cache_dir() != SITE


@pytest.fixture
def drawings(tmp_path, monkeypatch):
    """Chart files drawn into an empty cache, counting every call to vl-convert."""
    monkeypatch.setenv("BUILD_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[str] = []
    for name in ("vegalite_to_svg", "svg_to_png", "vegalite_to_png", "javascript_bundle"):
        real = getattr(drawing.vl_convert, name)
        monkeypatch.setattr(drawing.vl_convert, name, lambda *a, _r=real, _n=name, **k: calls.append(_n) or _r(*a, **k))
    return calls


def made(files: dict) -> dict:
    """Chart files once all made: a PNG is rasterised beside the pages, and read when its content is."""
    assert all(isinstance(f.content, bytes) for f in files.values())
    return files


def test_a_chart_is_drawn_again_when_its_data_vl_convert_or_fonts_change(drawings, monkeypatch):
    package = load_package(DATASETS / PACKAGE)
    spec = build_chart("sections-before-after", package, "zh")
    first = made(publish.chart_files(spec, "zh"))
    assert drawings == ["vegalite_to_svg", "svg_to_png"]
    text = json.dumps(spec.vega_lite(), ensure_ascii=False, sort_keys=True)
    assert first["png"].content == publish.vl_convert.vegalite_to_png(text, scale=publish.PNG_SCALE), (
        "the PNG, rasterised from the SVG, is the picture vl-convert draws of the specification"
    )
    drawings.pop()
    assert made(publish.chart_files(spec, "zh")) == first
    assert len(drawings) == 2, "an unchanged chart was drawn again"

    changed = build_chart("sections-before-after", package, "en")  # other labels: another specification
    assert made(publish.chart_files(changed, "en"))["svg"].content != first["svg"].content
    assert len(drawings) == 4

    monkeypatch.setattr(publish, "VL_CONVERT", "0.0.0-other")
    made(publish.chart_files(spec, "zh"))
    assert len(drawings) == 6, "a chart drawn by another vl-convert was reused"

    monkeypatch.setattr(publish, "font_fingerprint", lambda: "other fonts")
    made(publish.chart_files(spec, "zh"))
    assert len(drawings) == 8, "a chart drawn with other fonts was reused"


def test_the_vega_bundle_is_made_again_for_another_vl_convert(drawings, monkeypatch):
    assert publish.vega_bundle().content == publish.vega_bundle().content
    assert drawings == ["javascript_bundle"]
    monkeypatch.setattr(publish, "VL_CONVERT", "0.0.0-other")
    publish.vega_bundle()
    assert drawings == ["javascript_bundle", "javascript_bundle"]


def test_a_workbook_download_is_written_again_when_its_table_or_code_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("BUILD_CACHE_DIR", str(tmp_path / "cache"))
    import scripts.site.downloads as downloads

    written: list[str] = []
    real = downloads.xlsx
    monkeypatch.setattr(downloads, "xlsx", lambda table: written.append(table.name) or real(table))
    package = load_package(DATASETS / PACKAGE)
    first = downloads.cached_xlsx(package.tables["units"])
    assert downloads.cached_xlsx(package.tables["units"]) == first and written == ["units"]

    copy = tmp_path / "units.csv"
    copy.write_text(package.tables["units"].path.read_text(encoding="utf-8").replace("Finance", "Treasury"), "utf-8")
    changed = load_package(DATASETS / PACKAGE).tables["units"]
    object.__setattr__(changed, "path", copy)  # the same table read from edited bytes
    downloads.cached_xlsx(changed)
    assert written == ["units", "units"], "a workbook of other data was reused"

    monkeypatch.setattr(downloads, "CODE", "other code")
    downloads.cached_xlsx(package.tables["units"])
    assert written == ["units", "units", "units"], "a workbook written by other code was reused"


def test_a_qr_code_is_drawn_again_for_another_address_or_segno(tmp_path, monkeypatch):
    monkeypatch.setenv("BUILD_CACHE_DIR", str(tmp_path / "cache"))
    drawn: list[str] = []
    real = share._drawn
    monkeypatch.setattr(share, "_drawn", lambda address: drawn.append(address) or real(address))

    def qr(address: str) -> str:
        share.qr_svg.cache_clear()  # a new build process
        return share.qr_svg(address, "QR")

    first = qr("https://example.org/a/")
    assert qr("https://example.org/a/") == first and drawn == ["https://example.org/a/"]
    assert qr("https://example.org/b/") != first and len(drawn) == 2
    monkeypatch.setattr(share, "SEGNO", "0.0.0-other")
    assert qr("https://example.org/a/") == first and len(drawn) == 3, "a code drawn by another segno was reused"


@pytest.fixture
def compiled_templates(tmp_path, monkeypatch):
    """The templates' bytecode cache of a process whose build cache is in tmp_path, forgotten afterwards."""
    monkeypatch.setenv("BUILD_CACHE_DIR", str(tmp_path / "cache"))
    render.bytecode_cache.cache_clear()
    yield
    render.bytecode_cache.cache_clear()


def test_a_changed_template_is_compiled_again_never_served_from_the_cache(tmp_path, compiled_templates):
    templates = tmp_path / "templates"
    templates.mkdir()

    def rendered() -> str:  # as a new build process renders it: a new environment, the cache on disk
        env = Environment(loader=FileSystemLoader(templates), bytecode_cache=render.bytecode_cache())
        return env.get_template("page.html").render(value=1)

    (templates / "page.html").write_text("before {{ value }}", encoding="utf-8")
    assert rendered() == "before 1"
    compiled = list((tmp_path / "cache" / "jinja").rglob("*.cache"))
    assert len(compiled) == 1 and compiled[0].parent.name == jinja2.__version__
    assert rendered() == "before 1"
    (templates / "page.html").write_text("after {{ value }}", encoding="utf-8")
    assert rendered() == "after 1"


class FakeIndex:
    """Stands in for the theme's search index: one entry per page, from its address, title and HTML."""

    def __init__(self, made: list[str]) -> None:
        self.entries: list[dict] = []
        self.made = made

    def add_entry_from_context(self, page) -> None:
        self.made.append(page.url)
        self.entries.append({"location": page.url, "title": page.title, "text": page.content})


def test_search_entries_are_made_again_when_the_page_or_the_code_changes_not_for_a_new_nonce(tmp_path, monkeypatch):
    monkeypatch.setenv("BUILD_CACHE_DIR", str(tmp_path / "cache"))
    made: list[str] = []

    def build(content: str) -> list[dict]:
        """A build in a new process: nothing in memory, only the build cache."""
        monkeypatch.setattr(search, "_entries", {})
        index = FakeIndex(made)
        search.remembering(index)
        blocks = render.Blocks()
        token = blocks.add("<table>rows</table>", deferred=True).strip()  # a token with this build's nonce
        index.add_entry_from_context(SimpleNamespace(url="a/", title="A", meta={}, toc=[], content=content + token))
        return index.entries

    first = build("<p>one</p>")
    assert build("<p>one</p>") == first and made == ["a/"], "only the block token's nonce changed: reused"
    build("<p>two</p>")
    assert made == ["a/", "a/"]
    monkeypatch.setattr(search, "_code", lambda: ["mkdocs-material 0", "jieba 0"])
    build("<p>two</p>")
    assert made == ["a/", "a/", "a/"], "another search plugin or jieba makes the entries again"


def test_what_a_page_states_about_downloads_is_read_again_when_the_page_or_the_parser_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("BUILD_CACHE_DIR", str(tmp_path / "cache"))
    parsed: list[str] = []
    real = download_checks._parsed_page
    monkeypatch.setattr(download_checks, "_parsed_page", lambda html: parsed.append(html) or real(html))

    def read(html: str) -> download_checks.PageDownloads:
        """As a new build process reads the page: nothing in memory, only the build cache."""
        monkeypatch.setattr(download_checks, "_parsed", {})
        return download_checks.read_page(html)

    def page(sha: str) -> str:
        return (
            '<ul class="downloads"><li><a href="../a.csv" download>a.csv</a> '
            f'<span class="download__meta">1.2 KiB · sha256 <code class="sha256">{sha}</code></span></li></ul>'
            '<script type="application/ld+json">{"contentUrl": "https://example.org/a.csv"}</script>'
        )

    first = read(page("1" * 64))
    assert first.links == ["../a.csv"] and first.jsonld == ['{"contentUrl": "https://example.org/a.csv"}']
    assert [(s.href, s.size, s.sha256) for s in first.statements] == [("../a.csv", "1.2 KiB", "1" * 64)]
    again = read(page("1" * 64))
    assert (again.links, again.statements, again.jsonld) == (first.links, first.statements, first.jsonld)
    assert len(parsed) == 1, "the same page is not parsed again"
    assert read(page("2" * 64)).statements[0].sha256 == "2" * 64 and len(parsed) == 2
    monkeypatch.setattr(download_checks, "PARSER", ["other parser", "other Python"])
    assert read(page("2" * 64)).statements[0].sha256 == "2" * 64
    assert len(parsed) == 3, "a page read by another parser is parsed again"


def test_a_site_made_again_keeps_only_the_chart_files_of_an_unchanged_chart(workspace):
    """`make serve` makes every chart again after a data edit: a chart made from the same data keeps the files made
    before in the process; one whose data changed, or in another language or for another address, gets its own."""
    from scripts.site.prepare import prepared

    shared = prepared()

    def site(package, lang: str, address: str) -> publish.Site:
        return publish.build_site([package], package, lang, shared.data_files, {}, address, shared.history)

    def files(made: publish.Site, chart: str) -> list:
        return [made.downloads[path] for path in made.chart_files[chart].values()]

    real = shared.packages[0]
    first = site(real, "en", "http://127.0.0.1:1/")
    workspace.replace("units", ",Finance Bureau,", ",Treasury Bureau,")
    edited = site(load_package(workspace.package), "en", "http://127.0.0.1:1/")
    assert files(edited, "sections-before-after") == files(first, "sections-before-after")
    assert "Treasury Bureau" in edited.downloads[edited.chart_files["milestones"]["svg"]].content.decode()
    assert "Treasury Bureau" not in first.downloads[first.chart_files["milestones"]["svg"]].content.decode()
    elsewhere = site(real, "en", "http://127.0.0.1:2/")
    qr = first.chart_files["milestones"]["qr"]
    assert elsewhere.downloads[qr].content != first.downloads[qr].content  # the address of the chart's embed page
    chinese = site(real, "zh", "http://127.0.0.1:1/")
    assert chinese.narrow_svgs["milestones"] != first.narrow_svgs["milestones"]


def test_a_tables_downloads_are_made_again_when_its_bytes_or_its_schema_change_whatever_its_size_and_time(tmp_path):
    """`make serve` makes the downloads again after each data edit and is given those of an unchanged table as they
    were; an edit that keeps the file's size and modification time, or a changed field type, makes them anew."""
    folder = tmp_path / "package"
    shutil.copytree(DATASETS / PACKAGE, folder)
    units = folder / "data" / "units.csv"

    def downloads(table: str) -> dict[str, bytes]:
        package = load_package(folder)
        return {d.format: d.content for d in table_downloads(package, package.table(table))}

    first = downloads("units")
    assert downloads("units") == first
    stat = units.stat()
    units.write_bytes(units.read_bytes().replace(b",Finance Bureau,", b",Fiscal  Bureau,"))  # the same size
    os.utime(units, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    edited = downloads("units")
    assert all(b"Fiscal  Bureau" in edited[kind] and edited[kind] != first[kind] for kind in ("CSV", "JSON"))
    assert edited["XLSX"] != first["XLSX"]

    before = json.loads(downloads("observations")["JSON"])
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "observations")
    next(f for f in resource["schema"]["fields"] if f["name"] == "locator")["type"] = "string"
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    after = json.loads(downloads("observations")["JSON"])
    assert [row["locator"] for row in before] == [int(row["locator"]) for row in after]
    assert all(isinstance(row["locator"], str) for row in after)
