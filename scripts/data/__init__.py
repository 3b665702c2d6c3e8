"""Stage 1, data (imports no other stage): read the packages into the model; numbers, dates, formulas, texts, paths."""
