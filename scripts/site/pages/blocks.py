"""A Python-Markdown extension that puts the data blocks (render.py, Blocks) back into a page once Markdown has run,
from the folder the configuration names; a token of the build's nonce without its file stops the build."""

import re
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

TOKEN = r"zz{nonce}x[0-9a-f]{{16}}[bi]zz"
EXTENSION = __name__  # as the configuration names it: scripts.site.pages.blocks


class BlocksPostprocessor(Postprocessor):
    def __init__(self, md: Markdown, folder: Path, nonce: str) -> None:
        super().__init__(md)
        token = TOKEN.format(nonce=nonce)
        self.folder, self.pattern = folder, re.compile(rf"<p>(?P<block>{token})</p>|(?P<inline>{token})")

    def run(self, text: str) -> str:
        def html(match: re.Match[str]) -> str:
            path = self.folder / f"{match['block'] or match['inline']}.html"
            try:
                return path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise ValueError(
                    f"a data block is missing: {path} (build the site with `python -m scripts build`)"
                ) from None

        return self.pattern.sub(html, text)


class BlocksExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "folder": ["", "the folder of the build's data blocks, one file a token"],
            "nonce": ["", "the build's nonce, which every token of its blocks carries"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        folder, nonce = self.getConfig("folder"), self.getConfig("nonce") or "[0-9a-f]{16}"
        # last of all: after the raw HTML and the table of contents are in place, as a page's finished content
        md.postprocessors.register(BlocksPostprocessor(md, Path(folder or "/nonexistent"), nonce), "data-blocks", 1)


def makeExtension(**kwargs: Any) -> BlocksExtension:
    return BlocksExtension(**kwargs)
