"""Maintainers' tools: draft and import workbooks, freeze releases, check archived texts (README: code layout)."""
