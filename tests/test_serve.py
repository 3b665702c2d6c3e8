"""`make serve`: an edit shows on the served page within a fraction of a full build, the site it serves then is the
site a full build makes, and a broken edit leaves the last good site served."""

import hashlib
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts.bench.project import build_copy, copy_project, fetch, serving
from scripts.data.paths import ROOT
from scripts.site.helpers import HELPERS

UNITS = "datasets/huaibei-dakeshi-reform/data/units.csv"
PAGE = "en/departments/finance-bureau/"


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def same_as_a_full_build(project: Path, served: Path, tmp_path: Path, name: str) -> None:
    full = tmp_path / name
    result = build_copy(project, full)
    assert result.returncode == 0, result.stderr
    got, expected = digests(served), digests(full)
    assert sorted(got.keys() ^ expected.keys()) == []
    assert [path for path in expected if got[path] != expected[path]] == []


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module: each test works from whatever site the one before it left served."""
    with serving(copy_project(tmp_path_factory.mktemp("serve") / "project")) as server:
        server.wait_for(PAGE, "Finance Bureau")
        yield server


def test_edits_are_applied_as_a_full_build_would_apply_them(server, tmp_path):
    server.edit(UNITS, ",Finance Bureau,", ",Treasury Bureau,")
    server.wait_for(PAGE, "Treasury Bureau")
    said = server.wait_for_log("Updated", timeout=10)
    assert "rebuilding both editions" not in said, "the data edit was not applied incrementally"
    same_as_a_full_build(server.project, server.site, tmp_path, "after-data-edit")

    server.edit("docs/en/methods.md", "# Methods and sources\n", "# Methods and sources\n\nA new sentence.\n")
    server.wait_for("en/methods/", "A new sentence.")
    same_as_a_full_build(server.project, server.site, tmp_path, "after-page-edit")

    # a chart shown on a page before the one that showed it first: its embed page now links back to this one
    server.edit("docs/en/course.md", "## Milestones\n", "{{ m.chart('central-soe-cooperation') }}\n\n## Milestones\n")
    server.wait_for("en/course/", 'id="chart-central-soe-cooperation"')
    same_as_a_full_build(server.project, server.site, tmp_path, "after-chart-moved")


def test_a_broken_edit_leaves_the_last_good_site_served(server):
    before, shown = digests(server.site), fetch(server.url + PAGE)
    start = len(server.log.read_text(encoding="utf-8"))
    server.edit(UNITS, "finance-bureau,", "Finance Bureau!,")  # an invalid code
    said = server.wait_for_log("The data is invalid", after=start)
    assert "units.csv, row 4, field “unit_id”" in said
    assert digests(server.site) == before and fetch(server.url + PAGE) == shown
    server.edit(UNITS, "Finance Bureau!,", "finance-bureau,")
    server.wait_for_log("Updated", after=start)

    # a name that validation refuses, which the pages show as typed: they are updated before the verdict, then put
    # back as they were, so that undoing the edit changes no page
    for old, new, outcome in (
        ("Treasury Bureau", "=Treasury Bureau", "The data is invalid"),
        ("=Treasury", "Treasury", "Updated"),
    ):
        start = len(server.log.read_text(encoding="utf-8"))
        server.edit(UNITS, f",{old}", f",{new}")
        said = server.wait_for_log(outcome, after=start)
        assert digests(server.site) == before and fetch(server.url + PAGE) == shown
    assert "Updated 0 page(s)" in said

    start = len(server.log.read_text(encoding="utf-8"))
    server.edit("docs/en/methods.md", "# Methods and sources\n", "# Methods\n\n{{ m.fig('no-such-figure') }}\n")
    said = server.wait_for_log("could not be updated", after=start)
    assert "no-such-figure" in said
    assert digests(server.site) == before, "a page that failed to render replaced the good one"


def test_a_browser_that_hangs_up_leaves_the_console_quiet(server):
    """A reader who reloads or leaves a page while it loads is no error: make serve's console shows none (it showed a
    traceback for each, burying the messages a maintainer needs)."""
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


def test_what_is_built_while_the_data_is_validated_is_kept_only_if_validation_saw_the_same_valid_files(workspace):
    # `make serve` validates a data edit in a process of its own while it builds from the edited files
    from scripts.data.paths import sources_dir
    from scripts.site.prepare import InvalidData, accept, prepare_alongside, prepared, validation

    sources = sources_dir()
    workspace.replace("units", ",Finance Bureau,", ",Treasury Bureau,")
    stamp, unchecked = prepare_alongside(workspace.datasets, sources)
    checked = validation(workspace.datasets, sources)
    accepted = accept(stamp, unchecked, checked)
    assert accepted.reports == checked[1] and "no errors" in accepted.report_text
    assert prepared(workspace.datasets, sources) is accepted  # not validated again

    workspace.replace("units", ",Treasury Bureau,", ",Finance Bureau,")  # saved after the build read the files
    with pytest.raises(ValueError, match="changed while it was validated"):
        accept(stamp, unchecked, validation(workspace.datasets, sources))

    workspace.replace("units", "finance-bureau,", "Finance Bureau!,")  # an invalid code
    stamp, unchecked = prepare_alongside(workspace.datasets, sources)
    with pytest.raises(InvalidData, match="unit_id"):
        accept(stamp, unchecked, validation(workspace.datasets, sources))


HELPED = """
import sys, time
from scripts.site import drawing, helpers
helpers.start_helpers([drawing.warm])
assert helpers.in_helper(drawing.svg, '{"mark": "point"}').startswith(b"<svg")
print("ready", flush=True)
time.sleep(120)
"""


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(child) for child in path.read_text().split()} if path.exists() else set()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_the_helper_processes_end_when_a_killed_server_leaves_them_behind():
    # the server's helpers (drawing and indexing, validation's checker) would otherwise live on after a kill -9
    server = subprocess.Popen([sys.executable, "-c", HELPED], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        helpers = {pid for pid in _children(server.pid) if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()}
        assert len(helpers) == HELPERS
    finally:
        server.kill()
        server.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in helpers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "a helper process outlived its server"


HELPERS_KILLED = """
import os, signal, time
from pathlib import Path
from scripts.site import drawing, helpers
helpers.start_helpers([drawing.warm])
helpers.in_helper(int)
me = os.getpid()
for pid in Path(f"/proc/{me}/task/{me}/children").read_text().split():
    if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text():
        os.kill(int(pid), signal.SIGKILL)
time.sleep(0.5)
print(helpers.in_helper(drawing.svg, '{"mark": "point"}')[:4].decode())
"""


def test_when_a_helper_is_killed_the_server_does_its_work_itself():
    result = subprocess.run([sys.executable, "-c", HELPERS_KILLED], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "<svg"


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


def test_a_save_in_several_steps_is_applied_once_the_files_are_quiet(monkeypatch):
    """An editor may write a file in steps: the server starts work only when nothing more has been written for a
    moment (not a fixed delay after the first step), and a stream of writes holds it up no longer than `settle`."""
    import scripts.site.serve as serve

    steps = _Saves([0.01, 0.025, 0.04, 0.055, 0.07])
    monkeypatch.setattr(serve.time, "monotonic", steps.monotonic)
    serve._quieted(steps, quiet=0.02, settle=1.0)  # type: ignore[arg-type]
    assert steps.now == pytest.approx(0.09)  # the last step, then 0.02 s of quiet
    stream = _Saves([0.01 * n for n in range(1, 1000)])
    monkeypatch.setattr(serve.time, "monotonic", stream.monotonic)
    serve._quieted(stream, quiet=0.02, settle=1.0)  # type: ignore[arg-type]
    assert stream.now == pytest.approx(1.0)
