"""Stage 2, checks: everything `python -m scripts validate` runs, each problem said in Chinese and English.

Imports only from scripts.data."""
