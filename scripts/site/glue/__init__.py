"""The mkdocs glue: the plugin that adds an edition's pages and files to its mkdocs build through the documented
events, and the sitemap it writes. The only package of the project that imports mkdocs."""
