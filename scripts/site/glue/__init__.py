"""The mkdocs glue: an edition's mkdocs configuration, read for what its pages are rendered from and set for its
language and address. mkdocs runs none of the project's code but a Python-Markdown extension (pages/blocks.py)."""
