"""The functions a page may call (`m.…` in docs/*.md and scripts/site/pages/templates/*.j2), grouped by what they serve.

- values.py: one value or label in running text (a figure, a date, a period, a source note);
- lists.py: blocks of rows (figures, changes, milestones), summarised when long;
- blocks.py: charts, key figures and other HTML blocks;
- metadata.py: what the package and quality pages state about a package (citations, JSON-LD, validation);
- share.py: citing, sharing and correcting (the chart panel, a row's citation and error report, embed pages).
"""

from scripts.site.pages.macros.base import MacroBase
from scripts.site.pages.macros.blocks import BlockMacros
from scripts.site.pages.macros.lists import ListMacros
from scripts.site.pages.macros.metadata import MetadataMacros
from scripts.site.pages.macros.share import ShareMacros
from scripts.site.pages.macros.values import ValueMacros


class PageMacros(ValueMacros, ListMacros, BlockMacros, MetadataMacros, ShareMacros, MacroBase):
    """Every macro a page may call, each knowing the page it renders for (to build relative links)."""


__all__ = ["PageMacros"]
