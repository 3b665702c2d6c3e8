"""Stage 1, data: find and read the packages into the in-memory model; numbers, dates, formulas, source texts, paths.

Imports nothing from the other stages."""
