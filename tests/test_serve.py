"""`make serve`: an edit shows on the served page, the site it serves then is the site a full build makes, and a broken
edit leaves the last good site served."""

import socket
import struct
import time

import pytest

from scripts.bench.project import build_copy, copy_project, fetch, serving
from scripts.data.paths import ROOT
from tests.site_support import differences, digests

UNITS = "datasets/huaibei-dakeshi-reform/data/units.csv"
PAGE = "en/departments/finance-bureau/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module: each test works from whatever site the one before it left served."""
    with serving(copy_project(tmp_path_factory.mktemp("serve") / "project")) as server:
        server.wait_for(PAGE, "Finance Bureau")
        yield server


def test_edits_are_applied_as_a_full_build_would_apply_them(server, tmp_path):
    server.edit(UNITS, ",Huaibei Municipal Finance Bureau,", ",Huaibei Municipal Treasury Bureau,")  # its full name
    server.edit("docs/en/methods.md", "# Methods and sources\n", "# Methods and sources\n\nA new sentence.\n")
    server.wait_for(PAGE, "Treasury Bureau")
    server.wait_for("en/methods/", "A new sentence.")
    server.wait_for_log("Rebuilt")
    result = build_copy(server.project, tmp_path / "full", SITE_URL=server.url)  # serve previews at its own address
    assert result.returncode == 0, result.stderr
    assert differences(server.site, tmp_path / "full") == []


def test_a_broken_edit_leaves_the_last_good_site_served(server):
    before, shown = digests(server.site), fetch(server.url + PAGE)
    start = len(server.log.read_text(encoding="utf-8"))
    server.edit(UNITS, "finance-bureau,", "Finance Bureau!,")  # an invalid code
    said = server.wait_for_log("the last good site stays served", after=start)
    assert "units.csv, row 4, field “unit_id”" in said
    assert digests(server.site) == before and fetch(server.url + PAGE) == shown

    start = len(server.log.read_text(encoding="utf-8"))  # the data mended, and a page that cannot be rendered
    server.edit(UNITS, "Finance Bureau!,", "finance-bureau,")
    server.edit("docs/en/methods.md", "# Methods", "# Methods\n\n{{ m.fig('no-such-figure') }}\n")
    said = server.wait_for_log("the last good site stays served", after=start)
    assert "docs/en/methods.md" in said and "no-such-figure" in said
    assert digests(server.site) == before


def test_a_browser_that_hangs_up_leaves_the_console_quiet(server):
    """A reader who reloads or leaves a page while it loads is no error: make serve's console shows none."""
    start = len(server.log.read_text(encoding="utf-8"))
    host, port = server.url.removeprefix("http://").rstrip("/").split(":")
    largest = max(server.site.rglob("*.js"), key=lambda p: p.stat().st_size).relative_to(server.site).as_posix()
    for request in (f"GET /{largest} HTTP/1.1\r\nHost: {host}\r\n\r\n", "GET / HTTP/1.1\r\n"):
        with socket.create_connection((host, int(port))) as client:
            client.sendall(request.encode())
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # hang up: a reset
    assert fetch(server.url + PAGE)  # still serving
    time.sleep(0.5)
    said = server.log.read_text(encoding="utf-8")[start:]
    assert "Traceback" not in said and "Error" not in said, said


class _Saves:
    """An event that the file system sets at the given moments (seconds), on a clock that only waiting moves."""

    def __init__(self, moments: list[float]) -> None:
        self.now, self.moments = 0.0, sorted(moments)

    def monotonic(self) -> float:
        return self.now

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
    monkeypatch.setattr(serve.time, "monotonic", saves.monotonic)
    serve.quieted(saves, quiet=0.02, settle=1.0)  # type: ignore[arg-type]
    assert saves.now == pytest.approx(started)


def test_code_and_the_message_catalogue_restart_the_server_data_pages_and_templates_rebuild():
    from scripts.site.serve import restarts

    scripts = ROOT / "scripts"
    assert restarts({scripts / "site" / "build.py"}) and restarts({scripts / "data" / "messages.toml"})
    for rebuilt in (ROOT / "datasets" / "x" / "data" / "units.csv", ROOT / "docs" / "index.md", ROOT / "mkdocs.yml"):
        assert not restarts({rebuilt}), rebuilt
    assert not restarts({scripts / "site" / "pages" / "templates" / "figure.html.j2"})
