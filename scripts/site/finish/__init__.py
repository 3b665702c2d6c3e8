"""What is done to the built folder before it replaces the published site: the theme's markup mended, each page's
Content-Security-Policy, and the check of every download against what the pages state about it."""
