"""A throw-away copy of what a build reads, and `make serve` running in it: edits under serve, measured or tested,
never touch the repository (the copy's paths are anchored to it, scripts/data/paths.py)."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scripts.data.paths import ROOT, sources_dir
from scripts.site.outputs.cache import cache_dir

PROJECT = ("scripts", "docs", "overrides", "datasets", "mkdocs.yml", "mkdocs.en.yml")


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(ROOT / name, destination / name)
    return destination


def environment(**extra: str) -> dict[str, str]:
    """A build's environment: the repository's source texts and build cache unless `extra` says otherwise."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "0"))
    env.update(SOURCES_DIR=str(sources_dir()), BUILD_CACHE_DIR=str(cache_dir()))
    env.pop("DATASETS_DIR", None)  # the project's own datasets/
    return env | extra


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


@dataclass
class Server:
    url: str
    project: Path
    site: Path
    log: Path

    def wait_for(self, path: str, text: str, timeout: float = 120.0) -> float:
        return self.until(lambda: text in fetch(self.url + path), f"/{path} did not show {text!r}", timeout, 0.02)

    def wait_for_log(self, text: str, after: int = 0, timeout: float = 120.0) -> str:
        """The server's output from character `after` on, once it holds the text."""
        self.until(lambda: text in self.said(after), f"the server did not say {text!r}", timeout, 0.05)
        return self.said(after)

    def said(self, after: int = 0) -> str:
        return self.log.read_text(encoding="utf-8")[after:]

    def until(self, done: Callable[[], bool], failure: str, timeout: float, every: float) -> float:
        start = time.perf_counter()
        while not done():
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{failure} in {timeout:.0f} s:\n{self.said()[-3000:]}")
            time.sleep(every)
        return time.perf_counter() - start

    def edit(self, relative: str, old: str, new: str) -> None:
        text = (self.project / relative).read_text(encoding="utf-8")
        if old not in text:
            raise ValueError(f"{old!r} is not in {relative}")
        (self.project / relative).write_text(text.replace(old, new, 1), encoding="utf-8")


@contextmanager
def serving(project: Path, port: int = 0, **env: str) -> Iterator[Server]:
    """`python -m scripts serve` in the copy, on the given loopback port (0: a free one), until the block ends."""
    if not port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    site, log = project / "site", project / "serve.log"
    command = [sys.executable, "-m", "scripts", "serve", "--address", f"127.0.0.1:{port}", "--site-dir", str(site)]
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            command, cwd=project, env=environment(**env), stdout=output, stderr=subprocess.STDOUT
        )
        try:
            yield Server(f"http://127.0.0.1:{port}/", project, site, log)
        finally:
            process.terminate()
            process.wait(timeout=30)
