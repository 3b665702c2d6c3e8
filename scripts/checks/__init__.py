"""Stage 2, checks: everything `python -m scripts validate` runs; it imports only from scripts.data."""
