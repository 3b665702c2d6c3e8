"""Outside tools `make bench` runs: Lighthouse (from node_modules) and a trial of Zensical on the rendered pages.

Zensical is a trial, not a dependency: it stays out of the lock file, in a virtual environment of its own under
.cache/ that the bench makes only when it is missing; when it cannot be installed, or fails to build, the bench says
so and goes on.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

from scripts.data.paths import ROOT
from scripts.site.pages.blocks import EXTENSION

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"  # else a `lighthouse` on PATH
LIGHTHOUSE_CHROME = "/usr/lib/chromium/chromium"  # the binary itself: Debian's /usr/bin/chromium is a wrapper script
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
ZENSICAL = ROOT / ".cache" / "zensical"


def lighthouse_program() -> str | None:
    return str(LIGHTHOUSE) if LIGHTHOUSE.exists() else shutil.which("lighthouse")


def lighthouse(url: str, runs: int = 3) -> dict[str, int]:
    """Lighthouse's mobile scores (0-100) of a page: the median of three runs, as Lighthouse's docs advise."""
    found: list[dict[str, float]] = []
    for _ in range(runs):
        command = [lighthouse_program() or "lighthouse", url, "--quiet", "--output=json", "--output-path=stdout"]
        command += [f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
        env = dict(os.environ, CHROME_PATH=LIGHTHOUSE_CHROME)
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"lighthouse {url} failed:\n{result.stderr[-2000:]}")
        report = json.loads(result.stdout)
        found.append({c: report["categories"][c]["score"] for c in CATEGORIES})
    return {c: round(100 * statistics.median(run[c] for run in found)) for c in CATEGORIES}


def first_error(output: str) -> str:
    """The line of a tool's output that best says what went wrong: an exception's, else the first naming an error."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    raised = [line for line in lines if re.match(r"[\w.]*(Error|Exception)\b", line)]
    said = [line for line in lines if "error" in line.lower()]
    return (raised or said or lines[-1:] or ["(no output)"])[0]


def _run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[bool, str]:
    try:
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, str(error)
    return result.returncode == 0, result.stdout + "\n" + result.stderr


def zensical_configs(project: Path, pages: Path) -> list[Path]:
    """Each edition's configuration, written beside a copy of the project and pointed at the edition's pages as
    `python -m scripts build --pages-dir PAGES` renders them (INHERIT resolved, as Zensical may not)."""
    configs = []
    for lang, file in (("zh", "mkdocs.yml"), ("en", "mkdocs.en.yml")):
        with (project / file).open("rb") as opened:
            config = yaml_load(opened)  # as mkdocs reads it: !ENV resolved, INHERIT merged in
        if lang != "zh":
            config["site_url"] = config["site_url"].rstrip("/") + f"/{lang}/"
        # a relative docs_dir: Zensical 0.0.73 stops on an absolute one (a panic naming the root folder)
        docs = os.path.relpath(pages / lang, project)
        config |= {"docs_dir": docs, "site_dir": f"zensical-site/{lang}", "exclude_docs": ""}
        config["markdown_extensions"] = [
            _with_blocks(entry, pages / f"{lang}.blocks") for entry in config.get("markdown_extensions", [])
        ]
        configs.append(project / f"zensical.{lang}.yml")
        configs[-1].write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return configs


def _with_blocks(entry: object, folder: Path) -> object:
    """The blocks' extension set as the build sets it: their folder, and the nonce their files' names carry."""
    if entry != EXTENSION:
        return entry
    nonce = next((path.name[2:18] for path in sorted(folder.glob("zz*.html"))), "")
    return {EXTENSION: {"folder": str(folder), "nonce": nonce}}


def zensical(configs: list[Path], env: dict[str, str], venv: Path = ZENSICAL) -> str:
    """What Zensical does with the rendered pages of each edition, in one sentence."""
    program = venv / "bin" / "zensical"
    if not program.exists():
        installed, output = _run([sys.executable, "-m", "venv", "--clear", str(venv)])
        if installed:
            installed, output = _run([str(venv / "bin" / "pip"), "install", "--quiet", "zensical"])
        if not installed:
            return f"not tried: it could not be installed into {venv} ({first_error(output)})"
    _, version = _run([str(program), "--version"])
    start = time.perf_counter()
    for config in configs:
        found = {**env, "PYTHONPATH": str(config.parent)}  # the project's Markdown extension, from its copy
        built, output = _run([str(program), "build", "-f", config.name], cwd=config.parent, env=found)
        if not built:
            seconds = time.perf_counter() - start
            return f"version {version.strip()} failed on {config.name} after {seconds:.1f} s: `{first_error(output)}`"
    seconds = time.perf_counter() - start
    return f"version {version.strip()} built both editions' rendered pages in {seconds:.1f} s (what differs: above)."
