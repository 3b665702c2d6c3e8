"""Measurement: `python -m scripts bench`, synthetic data to grow the packages, and the browser harness the tests use.

May import from every stage (data, checks, site); nothing imports from it but the command line and the tests."""
