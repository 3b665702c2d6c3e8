"""Stage 3, site: the static site made from the validated packages, in folders by job.

outputs/ (downloads, metadata, citations, sharing, releases, the build cache) ← charts/ (one module per chart) and
finish/ (the built folder: head mends, Content-Security-Policy, sitemaps, download checks) ← pages/ (which pages, their
templates, macros, rendering, and the folder each edition is rendered into) ← glue/ (mkdocs) ← build.py (the atomic
build) ← serve.py (`make serve`). Imports only from scripts.data and scripts.checks; tests/test_layout.py holds the
order."""
