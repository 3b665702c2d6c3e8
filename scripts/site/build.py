"""Build the site atomically, and serve it: a failed build never touches the published site/."""

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scripts.checks.validate import summary, validate_all
from scripts.data.paths import DATASETS, ROOT, SITE, sources_dir
from scripts.site.download_checks import check_downloads

MKDOCS = [sys.executable, "-m", "mkdocs"]
EDITIONS = (("mkdocs.yml", ""), ("mkdocs.en.yml", "en"))  # the default language first: its build cleans the folder


def environment() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore::DeprecationWarning")
    env.setdefault("SOURCE_DATE_EPOCH", _commit_time())
    return env


def _commit_time() -> str:
    result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or "0"


def validate_or_explain() -> bool:
    reports, general = validate_all()
    text, ok = summary(reports, general)
    print(text, file=sys.stdout if ok else sys.stderr)
    return ok


def build(target: Path = SITE) -> int:
    """Validate, build into a temporary folder beside the target, then swap it in whole."""
    if not validate_or_explain():
        print(f"构建已停止；{target.name}/ 未作改动。", file=sys.stderr)
        print(f"The build stopped; {target.name}/ is unchanged.", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    try:
        for config, subfolder in EDITIONS:
            command = [*MKDOCS, "build", "--strict", "--quiet", "-f", config, "--site-dir", str(staging / subfolder)]
            result = subprocess.run(command, cwd=ROOT, env=environment())
            if result.returncode != 0:
                print(f"{config} 构建失败；{target.name}/ 未作改动。", file=sys.stderr)
                print(f"The build of {config} failed; {target.name}/ is unchanged.", file=sys.stderr)
                return result.returncode
        mismatches = check_downloads(staging)
        if mismatches:
            print("\n".join(mismatches), file=sys.stderr)
            print(
                f"下载文件与网站所述不符，构建已停止；{target.name}/ 未作改动。\n"
                f"A download does not match what the site states about it; the build stopped and "
                f"{target.name}/ is unchanged.",
                file=sys.stderr,
            )
            return 1
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"Built {target}")
    return 0


def _swap(staging: Path, target: Path) -> None:
    previous = target.with_name(f".{target.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)


WATCHED = ("docs", "scripts", "overrides", "mkdocs.yml", "mkdocs.en.yml")  # besides the data and sources folders


def serve(address: str = "127.0.0.1:8000", target: Path = SITE, interval: float = 1.0) -> int:
    """Build both editions, serve them, and rebuild whenever a watched file changes (a failed rebuild keeps
    serving the last good site)."""
    if build(target) != 0:
        return 1
    host, _, port = address.rpartition(":")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(target))
    server = ThreadingHTTPServer((host, int(port)), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {target} on http://{address}/ (Chinese) and http://{address}/en/ (English); Ctrl+C stops.")
    seen = _snapshot()
    try:
        while True:
            time.sleep(interval)
            now = _snapshot()
            if now != seen:
                seen = now
                print("Change detected; rebuilding…")
                build(target)
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()


def _snapshot() -> dict[str, float]:
    paths = [DATASETS, sources_dir(), *(ROOT / name for name in WATCHED)]
    files = [p for path in paths if path.exists() for p in (path.rglob("*") if path.is_dir() else [path])]
    return {str(p): p.stat().st_mtime for p in files if p.is_file() and "__pycache__" not in p.parts}
