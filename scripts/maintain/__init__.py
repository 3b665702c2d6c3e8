"""Maintainers' tools: draft a workbook from a report's text, import it back into the packages.

May import from every stage before it (data, checks, site); nothing imports from it but the command line."""
