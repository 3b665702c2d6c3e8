"""What `make bench` measures the build against: a plain build, and a trial of Zensical on the rendered pages.

The plain build takes every page's article from a built site and writes it as a Markdown page of a bare project, in
each edition, with the site's theme, language, menu and search setup and no hooks, data, charts or downloads. (Without
the site's menu, mkdocs-material would list every page in every page's menu: a build quadratic in the pages.)"""

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

from scripts.data.paths import ROOT
from scripts.site.outputs.address import PREVIEW_ADDRESS
from scripts.site.pages.blocks import EXTENSION

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(?P<body>.*?)</article>', re.S)
SEARCH = {"separator": r"[\s\u200b\u3000\-、。，．？！；]+", "pipeline": ["stopWordFilter"]}
EDITIONS = (("zh", "", "mkdocs.yml"), ("en", "en", "mkdocs.en.yml"))  # language, folder in the site, configuration
ZENSICAL = ROOT / ".cache" / "zensical"


def write_configs(project: Path, name: str, change: Callable[[str, str, dict], dict], into: Path) -> list[Path]:
    """Each edition's configuration as mkdocs reads it (!ENV resolved, INHERIT merged in), changed, written into
    `into` as NAME.LANG.yml."""
    configs = []
    for lang, subfolder, file in EDITIONS:
        with (project / file).open("rb") as opened:
            config = change(lang, subfolder, yaml_load(opened))
        configs.append(into / f"{name}.{lang}.yml")
        configs[-1].write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return configs


def moved(item: object) -> object:
    """A menu with each page where the plain project keeps it: course.md is course/index.md there."""
    if isinstance(item, list):
        return [moved(entry) for entry in item]
    if isinstance(item, dict):
        return {title: moved(value) for title, value in item.items()}
    page = str(item)
    return page if Path(page).name == "index.md" or "://" in page else page.removesuffix(".md") + "/index.md"


def write_project(site: Path, folder: Path) -> list[Path]:
    """The plain project's docs and one configuration per edition; returns the configuration files."""

    def plain_config(lang: str, subfolder: str, config: dict) -> dict:
        docs, edition = folder / f"docs-{lang}", site / subfolder
        for html in sorted(edition.rglob("index.html")):
            relative = html.parent.relative_to(edition)
            if lang == "zh" and relative.parts[:1] == ("en",):
                continue
            target = docs / relative / "index.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(ARTICLE.search(html.read_text(encoding="utf-8"))["body"].strip() + "\n", encoding="utf-8")
        return {
            "site_name": "baseline",
            "site_url": PREVIEW_ADDRESS + (f"{subfolder}/" if subfolder else ""),
            "docs_dir": docs.name,
            "site_dir": f"site/{subfolder}",
            "theme": {"name": "material", "language": lang, "font": False},
            "nav": moved(config.get("nav") or []),
            "plugins": [{"search": SEARCH}],
            "markdown_extensions": ["attr_list", "md_in_html", "admonition", "tables", {"toc": {"permalink": True}}],
        }

    return write_configs(ROOT, "mkdocs", plain_config, folder)


def plain_seconds(configs: list[Path]) -> float:
    """Wall-clock seconds of the plain build of both editions, one after the other as any mkdocs user would."""
    start = time.perf_counter()
    for config in configs:
        command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config)]
        subprocess.run(command, cwd=config.parent, check=True, capture_output=True)
    return time.perf_counter() - start


def zensical_configs(project: Path) -> list[Path]:
    """Each edition's configuration, written into a copy of the project and pointed at the edition's pages as
    `python -m scripts build --pages-dir PAGES` renders them into its folder `pages` (INHERIT resolved, as Zensical
    may not)."""

    def rendered(lang: str, subfolder: str, config: dict) -> dict:
        config["site_url"] = (config["site_url"] or PREVIEW_ADDRESS) + (f"{subfolder}/" if subfolder else "")
        # a relative docs_dir: Zensical 0.0.73 stops on an absolute one (a panic naming the root folder)
        config |= {"docs_dir": f"pages/{lang}", "site_dir": f"zensical-site/{lang}", "exclude_docs": ""}
        blocks = project / "pages" / f"{lang}.blocks"  # the blocks' extension set as the build sets it
        nonce = next((path.name[2:18] for path in sorted(blocks.glob("zz*.html"))), "")
        options = {"folder": str(blocks), "nonce": nonce}
        config["markdown_extensions"] = [{e: options} if e == EXTENSION else e for e in config["markdown_extensions"]]
        return config

    return write_configs(project, "zensical", rendered, project)


def first_error(output: str) -> str:
    """The line of a tool's output that best says what went wrong: an exception's, else the first naming an error."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    raised = [line for line in lines if re.match(r"[\w.]*(Error|Exception)\b", line)]
    said = [line for line in lines if "error" in line.lower()]
    return (raised or said or lines[-1:] or ["(no output)"])[0]


def zensical(project: Path, venv: Path = ZENSICAL) -> str:
    """What Zensical does with the rendered pages of each edition, in one sentence. It is installed into a virtual
    environment of its own when missing, never as a dependency of the project."""
    program = str(venv / "bin" / "zensical")
    install = [[sys.executable, "-m", "venv", "--clear", str(venv)], [str(venv / "bin" / "pip"), "install", "zensical"]]
    for command in [] if Path(program).exists() else install:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            return f"not tried: it could not be installed into {venv} ({first_error(done.stdout + done.stderr)})"
    version = subprocess.run([program, "--version"], capture_output=True, text=True).stdout.strip()
    env = dict(os.environ, PYTHONPATH=str(project))  # the project's Markdown extension, from its copy
    start = time.perf_counter()
    for config in zensical_configs(project):
        command = [program, "build", "-f", config.name]
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        if done.returncode:
            seconds, said = time.perf_counter() - start, first_error(done.stdout + "\n" + done.stderr)
            return f"version {version} failed on {config.name} after {seconds:.1f} s: `{said}`"
    seconds = time.perf_counter() - start
    return f"version {version} built both editions' rendered pages in {seconds:.1f} s (what differs: above)."
