"""Paths anchored to the repository root, never to the working directory."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATASETS = Path(os.environ.get("DATASETS_DIR") or ROOT / "datasets").resolve()
DOCS = ROOT / "docs"
SITE = ROOT / "site"
TEMPLATES = ROOT / "scripts" / "site" / "pages" / "templates"
MESSAGES = ROOT / "scripts" / "data" / "messages.toml"  # every text a maintainer reads, in Chinese and English


def sources_dir() -> Path:
    """Folder of archived source texts, from SOURCES_DIR (default: ../shared/sources beside the repo)."""
    configured = os.environ.get("SOURCES_DIR")
    path = Path(configured) if configured else ROOT.parent / "shared" / "sources"
    return path if path.is_absolute() else (ROOT / path).resolve()


def display(path: Path) -> str:
    """A path as maintainers see it: relative to the repo root when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
