"""Build the site atomically, both editions in this one process: a failed build never touches the published site/.

Validation, the model and the data downloads are made once and shared by both editions (scripts/site/prepare.py);
charts and the Vega bundle come from the build cache when their inputs have not changed (scripts/site/cache.py).
"""

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
import warnings
from pathlib import Path

import jieba
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException

from scripts.data.model import Package
from scripts.data.paths import ROOT, SITE
from scripts.site.download_checks import check_downloads
from scripts.site.editions import editions
from scripts.site.prepare import InvalidData, prepared, prepared_forking
from scripts.site.render import retention

EDITIONS = (("mkdocs.yml", ""), ("mkdocs.en.yml", "en"))  # the default language first: its build cleans the folder
# Each edition's build holds all its pages in memory: above this many data rows (about 300× the real data) the two
# are built one after the other, so that 1000× the data still builds within 2 GiB (make bench measures it).
PARALLEL_MAX_ROWS = 40_000


def _commit_time() -> str:
    result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or "0"


def _quiet_mkdocs() -> None:
    """mkdocs' warnings and errors on stderr, as `mkdocs build --quiet` prints them; nothing else."""
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    if not any(getattr(h, "name", "") == "scripts" for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.name = "scripts"
        handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
        logger.addHandler(handler)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    jieba.setLogLevel(logging.WARNING)  # the search plugin's segmenter: no note on loading its dictionary


def build_edition(config_file: str, site_dir: Path) -> MkDocsConfig:
    """One edition, as `mkdocs build --strict` builds it, in this process; raises on any error or warning."""
    config = load_config(str(ROOT / config_file), site_dir=str(site_dir), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    return config


def build_into(staging: Path, parallel: bool = False, one_shot: bool = False) -> list[str]:
    """Both editions into an empty folder; the problems that stop the build (empty when it succeeded).

    In parallel, the English edition is built by a forked copy of this process (which shares the validated model)
    into a folder beside the staging one, moved into it when both succeeded: the Chinese build empties its folder
    first, and a machine with two cores builds both at once. Otherwise they are built in turn, in this process:
    `make serve` then holds both editions for its incremental updates, and a one-shot build lets each go once built
    (render.retention)."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", _commit_time())
    _quiet_mkdocs()
    retention.incremental = not (parallel or one_shot)
    if not retention.incremental:
        editions.clear()  # what an earlier build in this process kept: nothing is updated from it now
    (first, _), *others = EDITIONS
    if not parallel:
        for config_file, subfolder in EDITIONS:
            if problem := _edition(config_file, staging / subfolder):
                return problem
            if one_shot:
                editions.clear()
        return check_downloads(staging)
    children = [
        (_fork(config_file, staging.with_name(f"{staging.name}.{sub}")), config_file, sub)
        for config_file, sub in others
    ]
    problems = _edition(first, staging)
    for pid, config_file, subfolder in children:
        _, status = os.waitpid(pid, 0)
        folder = staging.with_name(f"{staging.name}.{subfolder}")
        if os.waitstatus_to_exitcode(status) != 0:
            problems += [f"{config_file} 构建失败。", f"The build of {config_file} failed."]
        if problems:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            folder.rename(staging / subfolder)
    return problems or check_downloads(staging)


def _edition(config_file: str, site_dir: Path) -> list[str]:
    try:
        build_edition(config_file, site_dir)
    except (MkDocsException, Abort) as error:
        return [str(error), f"{config_file} 构建失败。", f"The build of {config_file} failed."]
    return []


def _fork(config_file: str, site_dir: Path) -> int:
    """A child process that builds one edition and exits 0 when it succeeded."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        problems = _edition(config_file, site_dir)
        print("\n".join(problems), file=sys.stderr)
        code = 1 if problems else 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _rows(packages: list[Package]) -> int:
    return sum(len(table.frame) for package in packages for table in package.tables.values())


def build(target: Path = SITE, one_shot: bool = False) -> int:
    """Validate, build into a temporary folder beside the target, then swap it in whole. A one-shot build (not
    `make serve`'s) keeps nothing for later updates, so it may build the editions in parallel."""
    try:
        ready = prepared_forking(max_rows=PARALLEL_MAX_ROWS) if one_shot else prepared()
        print(ready.report_text)
    except InvalidData as error:
        print(error, file=sys.stderr)
        print(f"构建已停止；{target.name}/ 未作改动。", file=sys.stderr)
        print(f"The build stopped; {target.name}/ is unchanged.", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    try:
        problems = build_into(staging, one_shot and _rows(ready.packages) <= PARALLEL_MAX_ROWS, one_shot)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            print(
                f"构建未完成或下载文件与网站所述不符，构建已停止；{target.name}/ 未作改动。\n"
                f"The build failed or a download does not match what the site states about it; the build stopped "
                f"and {target.name}/ is unchanged.",
                file=sys.stderr,
            )
            return 1
        swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"Built {target}")
    return 0


def swap(staging: Path, target: Path) -> None:
    previous = target.with_name(f".{target.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
