"""What the site publishes besides its pages, as plain functions of the data: table and package downloads,
machine metadata (DCAT, Atom, robots), citations, sharing and corrections, releases, and the build cache."""
