"""Stage 3, site: the static site made from the validated packages, in folders by job (README, "How the code is laid
out"; tests/test_layout.py holds the order of their imports)."""
