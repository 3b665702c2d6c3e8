"""Build the site atomically: validate and prepare, render each edition's pages into a folder, let mkdocs assemble
each folder with its theme, finish the built folder, and only then replace the target folder."""

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import jieba
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException

from scripts.data.messages import Text
from scripts.data.paths import DATASETS, ROOT, SITE, sources_dir
from scripts.site.charts.files import EMBED
from scripts.site.finish import head
from scripts.site.finish.csp import apply_policy, template_scripts
from scripts.site.finish.downloads import check_downloads
from scripts.site.finish.marks import mark_languages
from scripts.site.finish.sitemap import write_sitemaps
from scripts.site.glue.configuration import configure, edition_for
from scripts.site.outputs.address import loopback_addresses
from scripts.site.outputs.languages import language_of, language_prefix
from scripts.site.pages.blocks import EXTENSION
from scripts.site.pages.tree import RenderError, write_tree
from scripts.site.prepare import InvalidData, Prepared, prepare

EDITIONS = (("mkdocs.yml", ""), ("mkdocs.en.yml", "en"))  # the default language first: its build cleans the folder


def _quiet_mkdocs() -> None:
    """mkdocs' warnings and errors on stderr, as `mkdocs build --quiet` prints them; nothing else."""
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    for old in [h for h in logger.handlers if h.name == "scripts"]:  # bound to the stderr of an earlier build
        logger.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.name = "scripts"
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger.addHandler(handler)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    jieba.setLogLevel(logging.WARNING)  # the search plugin's segmenter: no note on loading its dictionary


def render_edition(config: MkDocsConfig, pages: Path, shared: Prepared, descriptions: dict[str, str]) -> None:
    """One edition rendered into the folder pages (its data blocks beside it), its configuration set to build that
    folder; descriptions: each edition's site_description, by language (for the catalogue)."""
    lang, root_url = configure(config)
    site = edition_for(config, lang, root_url, shared, descriptions)
    write_tree(site, pages)
    blocks = pages.with_name(f"{pages.name}.blocks")
    site.blocks.write(blocks)
    config.docs_dir = str(pages)
    config.mdx_configs[EXTENSION] = {"folder": str(blocks), "nonce": site.blocks.nonce}


def build_into(staging: Path, pages: Path, shared: Prepared) -> list[str]:
    """Every edition rendered (so that a page that cannot be rendered stops the build before mkdocs runs), then each
    assembled by mkdocs as `mkdocs build --strict` would, then finished; the problems that stop the build."""
    commit_time = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", commit_time.stdout.strip() or "0")
    _quiet_mkdocs()
    configs: dict[str, MkDocsConfig] = {}
    try:
        for config_file, subfolder in EDITIONS:
            configs[config_file] = load_config(str(ROOT / config_file), site_dir=str(staging / subfolder), strict=True)
        descriptions = {str(c.theme["language"]): c.site_description for c in configs.values() if c.site_description}
        for config_file, subfolder in EDITIONS:
            render_edition(configs[config_file], pages / (subfolder or "zh"), shared, descriptions)
        for config_file in configs:  # named in the message if it fails
            config = configs[config_file]
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(config)
            finally:
                config.plugins.on_shutdown()
    except (RenderError, MkDocsException, Abort) as error:
        return [str(error), *Text("report.edition-failed", {"config": config_file}).lines()]
    site_url = config.extra["editions"][0]["url"]  # the first edition's address is the site's root
    write_sitemaps(staging, site_url)
    problems = finish(staging, [Path(folder) for folder in config.theme.dirs], len(config.extra["alternate"]))
    if config.extra["preview"]:  # a preview may show data not released yet; it says so
        lines = Text("report.preview", {"site": site_url}).lines()
        for package, why in shared.unreleased.items():
            version = why[0].params["version"]
            lines += Text("report.preview-unreleased", {"package": package, "version": version}).lines()
        print(*lines, sep="\n")
        return problems
    loopback = [
        line
        for file, address in loopback_addresses(staging)
        for line in Text("report.loopback-address", {"file": file, "address": address, "site": site_url}).lines()
    ]
    return problems + loopback + [str(problem) for why in shared.unreleased.values() for problem in why]


def finish(site: Path, theme: list[Path], alternates: int) -> list[str]:
    """The built folder made ready to publish: each page's head mended, its text in the other language marked, its
    Content-Security-Policy set; then every download checked against what the pages state. The problems found."""
    allowed = template_scripts(theme)
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        html = path.read_text(encoding="utf-8")
        lang = language_of(relative)
        try:
            if path.name == "index.html":
                embed = relative.removeprefix(language_prefix(lang)).startswith(EMBED)
                html = head.mend(html, lang, alternates, embed)
            path.write_text(apply_policy(mark_languages(html, lang), allowed), encoding="utf-8")
        except ValueError as error:
            return [f"{relative}: {error}"]
    return check_downloads(site)


def build(
    target: Path = SITE, pages: Path | None = None, datasets: Path = DATASETS, sources: Path | None = None
) -> int:
    """Validate, build into a temporary folder beside the target, then swap it in whole; 0 when it succeeded. The
    rendered pages go into that temporary folder too, or into pages/zh/ and pages/en/ if given."""
    try:
        shared = prepare(datasets, sources or sources_dir())
        print(shared.report_text)
    except InvalidData as error:
        print(error, *Text("report.build-stopped", {"folder": target.name}).lines(), sep="\n", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{target.name}-building-", dir=target.parent) as scratch:
        staging, previous = Path(scratch) / "site", Path(scratch) / "previous"
        if pages:
            shutil.rmtree(pages, ignore_errors=True)
        if problems := build_into(staging, pages or Path(scratch) / "pages", shared):
            unfinished = Text("report.build-unfinished", {"folder": target.name}).lines()
            print(*problems, *unfinished, sep="\n", file=sys.stderr)
            return 1
        if target.exists():
            target.rename(previous)
        staging.rename(target)
    print(f"Built {target}")
    return 0
