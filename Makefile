# Thin aliases of `python -m scripts …`; `make test` and `make serve` set up everything they need.
SHELL := /bin/bash
SOURCES_DIR ?= ../shared/sources
export SOURCES_DIR
export NO_MKDOCS_2_WARNING := 1
UV_VERSION := 0.13.8
PYTHON := .venv/bin/python
APT_PACKAGES := chromium fonts-noto-cjk

.PHONY: setup system-deps node-deps validate site serve test lint bench clean

.venv/.synced: uv.lock pyproject.toml
	@command -v uv >/dev/null || python3 -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	uv sync --frozen --quiet
	@touch $@

setup: .venv/.synced

# npm tools pinned in package-lock.json: axe-core (browser tests), Lighthouse 12 (bench). Installed when missing or
# when the lock changes; Node and npm come from Debian when the machine has none.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then echo "installing Debian packages: nodejs npm"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "run as root: apt-get install -y nodejs npm" >&2; exit 1; fi; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node-deps: node_modules/.installed

# Debian packages the browser tests and PNG charts need (Chinese fonts, headless Chromium).
system-deps:
	@missing=""; command -v chromium >/dev/null || missing="chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "run as root: apt-get install -y $$missing" >&2; exit 1; fi; \
	fi

validate: setup
	$(PYTHON) -m scripts validate

site: setup system-deps
	$(PYTHON) -m scripts build

serve: setup system-deps
	$(PYTHON) -m scripts serve

lint: setup
	.venv/bin/ruff check scripts tests
	.venv/bin/ruff format --check --quiet scripts tests

test: setup system-deps node-deps lint
	$(PYTHON) -m pytest

# Page weights, Lighthouse scores, build time and memory at 1×, 10× and 100× the data; writes them into README.md.
bench: setup system-deps node-deps
	$(PYTHON) -m scripts bench

clean:
	rm -rf site .venv .pytest_cache build node_modules
