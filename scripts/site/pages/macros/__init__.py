"""The functions a page may call (`m.…` in docs/*.md and scripts/site/pages/templates/*.j2): values, links, blocks and
metadata (base.py), and what is said about a row, its citation and its sharing (figure.py)."""

from scripts.site.pages.macros.figure import PageMacros

__all__ = ["PageMacros"]
