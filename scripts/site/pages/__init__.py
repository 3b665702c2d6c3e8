"""The pages: which are generated from the data (generated.py), the edition they are rendered from (edition.py),
their Jinja rendering (render.py), the macros a page may call (macros/) and the templates (templates/)."""
