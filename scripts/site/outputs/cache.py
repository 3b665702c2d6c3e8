"""A cache of expensive build outputs on disk, outside site/ (BUILD_CACHE_DIR moves it; deleting it is always safe).

An output is stored under the SHA-256 of everything it depends on: its kind, its inputs (a chart's full Vega-Lite
specification, say), the versions of the code that makes it and any other fact (the fonts a PNG is drawn with). A
changed input misses the cache and makes a new output: a stale entry can only be unused, never served.
"""

import contextlib
import functools
import hashlib
import json
import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scripts.data.paths import ROOT

FORMAT = 1  # raise when the layout of the cache or of a key changes


def cache_dir() -> Path:
    configured = os.environ.get("BUILD_CACHE_DIR")
    return Path(configured).resolve() if configured else ROOT / ".cache" / "build"


def key(kind: str, *parts: Any) -> str:
    text = json.dumps([FORMAT, kind, *parts], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached(kind: str, parts: list[Any], make: Callable[[], bytes], folder: Path | None = None) -> bytes:
    """The output for these parts: read from the cache, or made, stored (atomically) and returned."""
    path = (folder or cache_dir()) / kind / key(kind, *parts)
    with contextlib.suppress(FileNotFoundError):
        return path.read_bytes()
    content = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    os.replace(temporary, path)
    return content


@functools.cache
def font_fingerprint() -> str:
    """Which font files fontconfig offers (path, size, modification time): a PNG's text depends on them."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return "no fontconfig"
    files = [Path(name) for name in sorted(set(listing.splitlines())) if Path(name).is_file()]
    stats = [f"{file}:{file.stat().st_size}:{file.stat().st_mtime_ns}" for file in files]
    return hashlib.sha256("\n".join(stats).encode()).hexdigest()
