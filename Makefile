# Thin aliases of `python -m scripts …`; `make test` and `make serve` set up everything they need.
SHELL := /bin/bash
SOURCES_DIR ?= ../shared/sources
export SOURCES_DIR
export NO_MKDOCS_2_WARNING := 1
UV_VERSION := 0.13.8
PYTHON := .venv/bin/python
BUILD_APT_PACKAGES := fonts-noto-cjk    # Chinese glyphs in PNG charts
TEST_APT_PACKAGES := chromium libreoffice-calc-nogui zbar-tools  # the browser tests and the bench; the workbook round trip; decoding QR codes (zbarimg)

.PHONY: setup build-deps test-deps node-deps validate sources site serve test lint bench clean draft import release

.venv/.synced: uv.lock pyproject.toml
	@command -v uv >/dev/null || python3 -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	uv sync --frozen --quiet --compile-bytecode  # this environment writes no bytecode at run time (PYTHONDONTWRITEBYTECODE)
	@touch $@

setup: .venv/.synced

# npm tools pinned in package-lock.json: axe-core (browser tests), Lighthouse 12 (bench; a development dependency, about
# 180 MB and 17 s of npm ci, which the tests do without). Installed when missing or when the lock changes; Node and npm
# come from Debian when the machine has none. A full install serves the tests too.
define npm_ci
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then echo "installing Debian packages: nodejs npm"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "run as root: apt-get install -y nodejs npm" >&2; exit 1; fi; }
	npm ci $(1) --no-audit --no-fund --loglevel=error
endef

node_modules/.tests: package.json package-lock.json
	$(call npm_ci,--omit=dev)
	@touch $@

node_modules/.bench: package.json package-lock.json
	$(call npm_ci,)
	@touch $@ node_modules/.tests

node-deps: node_modules/.tests

# Debian packages, installed when missing (needs root): what the build needs, and what only the tests and the bench need.
define apt_install
	@missing=""; for package in $(1); do dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "run as root: apt-get install -y $$missing" >&2; exit 1; fi; \
	fi
endef

build-deps:
	$(call apt_install,$(BUILD_APT_PACKAGES))

test-deps: build-deps
	$(call apt_install,$(TEST_APT_PACKAGES))

validate: setup
	$(PYTHON) -m scripts validate

# Every archived source text is in SOURCES_DIR and is the text its sources row records (sha256); nothing is downloaded.
sources: setup
	$(PYTHON) -m scripts sources

site: setup build-deps
	$(PYTHON) -m scripts build

serve: setup build-deps
	$(PYTHON) -m scripts serve

# Adding a report: make draft SOURCE=<source-id>, fill drafts/<source-id>.xlsx in Excel or WPS, make import DRAFT=…
draft: setup
	@test -n "$(SOURCE)" || { echo "usage: make draft SOURCE=<source-id> (its text is $(SOURCES_DIR)/<source-id>.txt)" >&2; exit 2; }
	$(PYTHON) -m scripts draft "$(SOURCE)"

import: setup
	@test -n "$(DRAFT)" || { echo "usage: make import DRAFT=drafts/<source-id>.xlsx" >&2; exit 2; }
	$(PYTHON) -m scripts import "$(DRAFT)"

# A release: raise version in datapackage.json, note it in CHANGELOG.md, then freeze it here and commit releases/<version>/
release: setup
	$(PYTHON) -m scripts release

lint: setup
	.venv/bin/ruff check scripts tests
	.venv/bin/ruff format --check --quiet scripts tests

# Three workers on two cores (much of a browser test is waiting: a third worker fills it; measured 4:00 against 4:57),
# each taking whole test files (a file's planted site is built once), the longest files first (tests/conftest.py
# orders them); the survey of the built site's pages is made once and shared by the workers. The archived source
# texts are checked first: without them (or with one changed) the run stops at once, saying what to do.
test: setup sources test-deps node-deps lint
	$(PYTHON) -m pytest -n 3 --dist loadfile --no-loadscope-reorder

# Build and serve times against a plain mkdocs build (1×, 10× data), memory, weights, Lighthouse, a Zensical trial.
bench: setup test-deps node_modules/.bench
	$(PYTHON) -m scripts bench

clean:
	rm -rf site .venv .pytest_cache build node_modules
