"""`make serve`: a saved edit is applied as a full build applies it, to every page that states what changed, and a
broken edit leaves the last good site served."""

import os
import shutil
import socket
import struct
import time

import pytest

from scripts.bench.project import copy_project, fetch, serving
from scripts.data.paths import ROOT
from tests.site_support import build_site, differences, digests

DATA = "datasets/huaibei-dakeshi-reform/data"
PAGE = "en/departments/finance-bureau/"
PORT = 8765
CORRECTED = [  # the figure the report now gives, as the observations state it
    ("2024,499000,", "2024,512000,"),
    ("受理各类事项49.9万件", "受理各类事项51.2万件"),
    ("accepted 499,000 cases", "accepted 512,000 cases"),
]


def preferred_port() -> int:
    """PORT if it is free, else 0 (any free port): the QR codes and share images of its addresses, which a build draws
    in seconds, are then in the build cache from an earlier run."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds it
        try:
            probe.bind(("127.0.0.1", PORT))
        except OSError:
            return 0
    return PORT


@pytest.fixture(scope="module")
def server(tmp_path_factory, archived_source):
    """One server for the module (each test works from the site the one before it left served), started on a report
    re-archived with a corrected figure that the data does not give yet: its first build stops at validation, and the
    first site it serves is the one the data's edit makes."""
    root = tmp_path_factory.mktemp("serve")
    shutil.copytree(archived_source.parent, root / "sources")
    text = archived_source.read_text(encoding="utf-8").replace("49.9万件", "51.2万件")
    (root / "sources" / archived_source.name).write_text(text, encoding="utf-8")
    with serving(copy_project(root / "project"), preferred_port(), SOURCES_DIR=str(root / "sources")) as server:
        server.wait_for_log("unchanged")
        yield server


def edit(server, file: str, changes: list[tuple[str, str]]) -> None:
    """The file saved once with every change made."""
    path = server.project / DATA / file
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, f"{old!r} not in {file}"
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def test_an_edit_changes_every_page_that_states_it_as_a_full_build_would(server, archived_source, tmp_path):
    sources = server.project.parent / "sources"
    name = archived_source.name
    edit(server, "sources.csv", [(digests(archived_source.parent)[name], digests(sources)[name])])  # re-archived
    edit(server, "observations.csv", CORRECTED)
    said = server.wait_for_log("Rebuilt")
    assert "这是预览版" in said and "This is a preview" in said
    assert "512,000 cases" in fetch(server.url + "en/")
    for page in ("", "reshaping/", "departments/huaibei-city/"):
        html, english = ((server.site / edition / page / "index.html").read_text("utf-8") for edition in ("", "en"))
        assert "51.2万件" in html and "49.9万" not in html and "预览版</strong>" in html, page
        assert "512,000 cases" in english and "499,000" not in english and "Preview</strong>" in english, page
    # the full build in this process: the copy's data, and the pages and code the copy holds unchanged
    stamp = os.environ.get("SOURCE_DATE_EPOCH", "0")  # as the server has it (scripts/bench/project.py)
    full = build_site(
        tmp_path / "full", server.project / "datasets", sources, SITE_URL=server.url, SOURCE_DATE_EPOCH=stamp
    )
    assert full.returncode == 0, full.stderr
    assert differences(server.site, tmp_path / "full") == []


def failure(server, start: int, text: str) -> str:
    """What the console said from start on, once a build failed saying text."""
    said = server.wait_for_log(text, after=start)
    server.wait_for_log("the last good site stays served", after=start + said.index(text))
    return server.said(start)


def test_a_broken_edit_leaves_the_last_good_site_served(server):
    before, shown = digests(server.site), fetch(server.url + PAGE)
    assert before and shown, "no good site is served: the test before this one serves it"
    start = len(server.said())
    edit(server, "units.csv", [("finance-bureau,", "Finance Bureau!,")])  # an invalid code
    assert "units.csv, row 4, field “unit_id”" in failure(server, start, "units.csv")
    assert digests(server.site) == before and fetch(server.url + PAGE) == shown

    start = len(server.said())  # a page of the English edition alone that cannot be rendered, and the data mended
    server.edit("docs/en/methods.md", "# Methods", "# Methods\n\n{{ m.fig('no-such-figure') }}\n")
    edit(server, "units.csv", [("Finance Bureau!,", "finance-bureau,")])
    said = failure(server, start, "no-such-figure")
    assert "docs/en/methods.md" in said and "mkdocs.en.yml" in said
    assert digests(server.site) == before
    assert [p.name for p in server.project.iterdir() if p.name.startswith(".site")] == [], "a folder was left behind"


def test_a_browser_that_hangs_up_leaves_the_console_quiet(server):
    """A reader who reloads or leaves a page while it loads is no error: make serve's console shows none."""
    start = len(server.said())
    host, port = server.url.removeprefix("http://").rstrip("/").split(":")
    largest = max(server.site.rglob("*.js"), key=lambda p: p.stat().st_size).relative_to(server.site).as_posix()
    for request in (f"GET /{largest} HTTP/1.1\r\nHost: {host}\r\n\r\n", "GET / HTTP/1.1\r\n"):
        with socket.create_connection((host, int(port))) as client:
            client.sendall(request.encode())
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # hang up: a reset
    assert fetch(server.url + PAGE)  # still serving
    time.sleep(0.5)
    said = server.said(start)
    assert "Traceback" not in said and "Error" not in said, said


class _Saves:
    """An event that the file system sets at the given moments (seconds), on a clock that only waiting moves."""

    def __init__(self, moments: list[float]) -> None:
        self.now, self.moments = 0.0, sorted(moments)

    def clear(self) -> None:
        pass

    def wait(self, timeout: float) -> bool:
        upcoming = [m for m in self.moments if self.now < m <= self.now + timeout]
        self.now = upcoming[0] if upcoming else self.now + timeout
        return bool(upcoming)


# An editor's save in steps: work starts once 0.02 s (quiet) pass after the last; a stream of them holds it up 1 s.
@pytest.mark.parametrize(
    ("moments", "started"), [([0.01, 0.025, 0.04, 0.055, 0.07], 0.09), ([0.01 * n for n in range(1, 1000)], 1.0)]
)
def test_a_save_in_several_steps_is_applied_once_the_files_are_quiet(monkeypatch, moments, started):
    import scripts.site.serve as serve

    saves = _Saves(moments)
    monkeypatch.setattr(serve.time, "monotonic", lambda: saves.now)
    serve.quieted(saves, quiet=0.02, settle=1.0)  # type: ignore[arg-type]
    assert saves.now == pytest.approx(started)


def test_code_and_the_message_catalogue_restart_the_server_data_pages_and_templates_rebuild():
    from scripts.site.serve import restarts

    scripts = ROOT / "scripts"
    assert restarts({scripts / "site" / "build.py"}) and restarts({scripts / "data" / "messages.toml"})
    for rebuilt in (ROOT / "datasets" / "x" / "data" / "units.csv", ROOT / "docs" / "index.md", ROOT / "mkdocs.yml"):
        assert not restarts({rebuilt}), rebuilt
    assert not restarts({scripts / "site" / "pages" / "templates" / "figure.html.j2"})
