# Sahel Conflict Wiki — the two commands a fresh machine needs are `make serve` and `make test`.
# Every target creates the virtual environment from the pinned requirements when it is missing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP     := $(VENV)/.dev-installed
NODE_STAMP    := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1
# The archived source texts for the quote check (see README).
WIKI_ARCHIVE ?= ../shared/sources
export WIKI_ARCHIVE

.PHONY: serve build offline check test lint bench new-event new-source schema clean

$(RUNTIME_STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# axe-core for the accessibility tests (npm registry); skipped where npm is missing.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch $@; \
	 else echo "notice: npm not found; accessibility tests will be skipped"; fi

## serve: build and serve the site on http://127.0.0.1:8000 with live reload (data/ is watched)
serve: $(RUNTIME_STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --dirty

## build: strict build into site/ (any warning fails)
build: $(RUNTIME_STAMP)
	$(BIN)/mkdocs build --strict

## offline: the offline edition, dist/sahel-wiki-offline.zip: the site built to read from a folder (file://),
##          with its own small search index; a later `make build` publishes it on the downloads page
offline: $(RUNTIME_STAMP)
	$(BIN)/python -m macros.offline

## check: validate the data and the quotes, print errors as path:line
check: $(RUNTIME_STAMP)
	$(BIN)/python -m macros.check --coverage

## test: the whole test suite (unit, golden, end-to-end build, browser when Chromium is installed)
test: $(DEV_STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

## lint: ruff and mypy
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## new-event / new-source: scaffold a record (make new-event ID=my-event-2015 DATE=2015-08 SOURCE=some-source)
new-event: $(RUNTIME_STAMP)
	@test -n "$(ID)" || { echo "usage: make new-event ID=<id> DATE=<date> SOURCE=<source id>"; exit 2; }
	$(BIN)/python -m macros.new event --id "$(ID)" --date "$(DATE)" --source "$(or $(SOURCE),change-me)"

new-source: $(RUNTIME_STAMP)
	@test -n "$(ID)" || { echo "usage: make new-source ID=<id> DATE=<publication date>"; exit 2; }
	$(BIN)/python -m macros.new source --id "$(ID)" --date "$(DATE)"

## schema: regenerate schema/*.schema.json from the models
schema: $(RUNTIME_STAMP)
	$(BIN)/python -m macros.schema

clean:
	rm -rf site dist $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache

## bench: build time, memory and page sizes at 300 to 10,000 synthetic events (slow; see bench/README.md)
##        e.g. make bench BENCH_ARGS="--sizes 300,1000 --no-serve"
bench: $(RUNTIME_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
