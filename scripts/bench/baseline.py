"""The yardstick of `make bench`: a plain mkdocs-material build of the same pages' text, with no hooks.

From a built site it takes every page's article (the text and tables a reader sees, as HTML, which Markdown passes
through) and writes it as a Markdown page of a bare project: one per page, in each edition, with the same theme,
language, search setup and nav-less layout, and no hooks, data, charts or downloads. Building that project with
`python -m mkdocs build`, once per edition as any mkdocs user would, is what the site's full build is compared with.
"""

import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

from scripts.data.paths import ROOT

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
        docs = folder / f"docs-{lang}"
        edition = site / subfolder if subfolder else site
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
        path = folder / f"mkdocs.{lang}.yml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        configs.append(path)
    return configs


def baseline_seconds(site: Path, folder: Path, env: dict[str, str]) -> tuple[float, int]:
    """Wall-clock seconds of the plain build of both editions, and how many pages it built."""
    configs = write_project(site, folder)
    start = time.perf_counter()
    for config in configs:
        command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config)]
        subprocess.run(command, cwd=folder, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    return seconds, sum(1 for _ in (folder / "site").rglob("index.html"))


if __name__ == "__main__":  # a quick look: python -m scripts.bench.baseline SITE_DIR
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        seconds, pages = baseline_seconds(Path(sys.argv[1]), Path(tmp), dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        print(f"{pages} pages in {seconds:.1f} s (root {ROOT})")
