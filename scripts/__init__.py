"""Build pipeline of the Huaibei “big section” reform open-data site."""
