"""Measurement: `python -m scripts bench`, synthetic data, and the browser harness the tests use too."""
