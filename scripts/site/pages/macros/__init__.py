"""The functions a page may call (`m.…` in docs/*.md and scripts/site/pages/templates/*.j2), one module for each kind
of thing they serve (values and links, blocks, metadata, sharing, record pages)."""

from scripts.site.pages.macros.base import MacroBase
from scripts.site.pages.macros.blocks import BlockMacros
from scripts.site.pages.macros.figure import FigureMacros
from scripts.site.pages.macros.metadata import MetadataMacros
from scripts.site.pages.macros.share import ShareMacros


class PageMacros(FigureMacros, BlockMacros, MetadataMacros, ShareMacros, MacroBase):
    """Every macro a page may call, each knowing the page it renders for (to build relative links)."""


__all__ = ["PageMacros"]
