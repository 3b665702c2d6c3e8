"""The yardstick of `make bench`: a plain mkdocs-material build of the same pages' text, with no hooks.

From a built site it takes every page's article (the text and tables a reader sees, as HTML, which Markdown passes
through) and writes it as a Markdown page of a bare project, in each edition, with the same theme, language, menu and
search setup and no hooks, data, charts or downloads; `python -m mkdocs build` of each edition is the plain build.
(Without the site's menu, mkdocs-material would list every page in every page's menu: a build quadratic in the pages.)
"""

import re
import subprocess
import sys
import time
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

from scripts.data.paths import ROOT

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(?P<body>.*?)</article>', re.S)
SEARCH = {"separator": r"[\s\u200b\u3000\-、。，．？！；]+", "pipeline": ["stopWordFilter"]}


def _moved(item: object) -> object:
    """A menu with each page where the plain project keeps it: course.md is course/index.md there."""
    if isinstance(item, list):
        return [_moved(entry) for entry in item]
    if isinstance(item, dict):
        return {title: _moved(value) for title, value in item.items()}
    page = str(item)
    return page if Path(page).name == "index.md" or "://" in page else page.removesuffix(".md") + "/index.md"


def write_project(site: Path, folder: Path) -> list[Path]:
    """The plain project's docs and one configuration per edition; returns the configuration files."""
    configs = []
    for lang, subfolder, site_config in (("zh", "", "mkdocs.yml"), ("en", "en", "mkdocs.en.yml")):
        docs, edition = folder / f"docs-{lang}", site / subfolder
        for html in sorted(edition.rglob("index.html")):
            relative = html.parent.relative_to(edition)
            if lang == "zh" and relative.parts[:1] == ("en",):
                continue
            target = docs / relative / "index.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            match = ARTICLE.search(html.read_text(encoding="utf-8"))
            if match is None:
                raise ValueError(f"{html} has no article")
            target.write_text(match["body"].strip() + "\n", encoding="utf-8")
        with (ROOT / site_config).open("rb") as opened:
            nav = _moved(yaml_load(opened).get("nav") or [])
        config = {
            "site_name": "baseline",
            "site_url": "http://127.0.0.1:8000/" + (f"{subfolder}/" if subfolder else ""),
            "docs_dir": docs.name,
            "site_dir": f"site/{subfolder}",
            "theme": {"name": "material", "language": lang, "font": False},
            "nav": nav,
            "plugins": [{"search": SEARCH}],
            "markdown_extensions": ["attr_list", "md_in_html", "admonition", "tables", {"toc": {"permalink": True}}],
        }
        configs.append(folder / f"mkdocs.{lang}.yml")
        configs[-1].write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return configs


def plain_seconds(configs: list[Path], env: dict[str, str]) -> float:
    """Wall-clock seconds of the plain build of both editions, one after the other as any mkdocs user would."""
    start = time.perf_counter()
    for config in configs:
        command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config)]
        subprocess.run(command, cwd=config.parent, env=env, check=True, capture_output=True)
    return time.perf_counter() - start
