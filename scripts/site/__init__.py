"""Stage 3, site: the mkdocs hooks, pages, macros, charts, downloads, metadata and the atomic build and server.

Imports only from scripts.data and scripts.checks."""
