"""The yardstick of `make bench`: a plain mkdocs-material build of the same pages' text, with no hooks.

From a built site it takes every page's article (the text and tables a reader sees, as HTML, which Markdown passes
through) and writes it as a Markdown page of a bare project, in each edition, with the same theme, language and search
setup and no hooks, data, charts or downloads; `python -m mkdocs build` of each edition is the plain build.
"""

import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(?P<body>.*?)</article>', re.S)
SEARCH = {"separator": r"[\s\u200b\u3000\-、。，．？！；]+", "pipeline": ["stopWordFilter"]}


def page_text(html: str) -> str:
    match = ARTICLE.search(html)
    if match is None:
        raise ValueError("the page has no article")
    return match["body"].strip() + "\n"


def write_project(site: Path, folder: Path) -> list[Path]:
    """The plain project's docs and one configuration per edition; returns the configuration files."""
    configs = []
    for lang, subfolder in (("zh", ""), ("en", "en")):
        docs, edition = folder / f"docs-{lang}", site / subfolder
        for html in sorted(edition.rglob("index.html")):
            relative = html.parent.relative_to(edition)
            if lang == "zh" and relative.parts[:1] == ("en",):
                continue
            target = docs / relative / "index.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page_text(html.read_text(encoding="utf-8")), encoding="utf-8")
        config = {
            "site_name": "baseline",
            "site_url": "http://127.0.0.1:8000/" + (f"{subfolder}/" if subfolder else ""),
            "docs_dir": docs.name,
            "site_dir": f"site/{subfolder}",
            "theme": {"name": "material", "language": lang, "font": False},
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
