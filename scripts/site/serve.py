"""`make serve`: serve site/ on loopback and run the atomic full build of `python -m scripts build` after each saved
change, so that an invalid edit leaves the last good site served. A change of Python code or of the message catalogue
under scripts/ restarts the server with it, serving the old site until the new one is built."""

import os
import sys
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from scripts.data.messages import Text
from scripts.data.paths import DATASETS, ROOT, SITE, sources_dir
from scripts.site import loopback
from scripts.site.build import build

WATCHED = ("docs", "scripts", "overrides", "mkdocs.yml", "mkdocs.en.yml")  # besides the data and sources folders
CODE = (".py", ".toml")  # Python, and the message catalogue, which a process reads once


def watched() -> list[Path]:
    return [DATASETS, sources_dir(), *(ROOT / name for name in WATCHED)]


def snapshot() -> dict[str, int]:
    files = [p for path in watched() if path.exists() for p in (path.rglob("*") if path.is_dir() else [path])]
    return {str(p): p.stat().st_mtime_ns for p in files if p.is_file() and "__pycache__" not in p.parts}


def restarts(paths: set[Path]) -> bool:
    """Whether a change needs a new process: code, or the message catalogue."""
    return any(path.suffix in CODE and ROOT / "scripts" in path.parents for path in paths)


class Wakeup(FileSystemEventHandler):
    """Set when the file system reports a change under a watched folder (inotify on Linux): no polling delay."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.event.set()


def quieted(event: threading.Event, quiet: float, settle: float) -> None:
    """Return once the event has not been set for `quiet` seconds, or after `settle` seconds in any case."""
    deadline = time.monotonic() + settle
    while True:
        event.clear()
        left = deadline - time.monotonic()
        if left <= 0 or not event.wait(min(quiet, left)):
            return


def serve(address: str = "127.0.0.1:8000", target: Path = SITE, quiet: float = 0.05, settle: float = 1.0) -> int:
    """Serve the last good site and rebuild on every change: once woken, wait until the files are quiet for `quiet`
    seconds (an editor may save in several steps), `settle` at most; then the watched files' modification times alone
    decide whether anything changed (the file system also reports files being read)."""
    host, _, port = address.rpartition(":")
    os.environ["SITE_URL"] = f"http://{address}/"  # a preview: the pages' addresses are where it is served
    target.mkdir(parents=True, exist_ok=True)
    server = loopback.start(target, host, int(port))
    print(f"Serving {target} on http://{address}/ (Chinese) and http://{address}/en/ (English); Ctrl+C stops.")
    wakeup, observer = Wakeup(), Observer()
    for path in watched():
        if path.is_dir():
            observer.schedule(wakeup, str(path), recursive=True)
    observer.schedule(wakeup, str(ROOT), recursive=False)  # the mkdocs configurations
    observer.start()
    seen = snapshot()
    build(target)
    try:
        while True:
            wakeup.event.wait()
            quieted(wakeup.event, quiet, settle)
            now = snapshot()
            paths = {Path(p) for p in seen.keys() | now.keys() if seen.get(p) != now.get(p)}
            seen = now
            if restarts(paths):
                break
            if paths:
                started = time.perf_counter()
                print("Change detected; building both editions …", flush=True)
                if build(target) == 0:
                    print(f"Rebuilt in {time.perf_counter() - started:.2f} s", flush=True)
                else:
                    print(*Text("report.serve-kept").lines(), sep="\n", flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        observer.stop()
        server.shutdown()
        server.server_close()
    print("Code changed; restarting the server with it …", flush=True)
    command = ["-m", "scripts", "serve", "--address", address, "--site-dir", str(target)]
    os.execv(sys.executable, [sys.executable, *command])
