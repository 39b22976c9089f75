# newsgraph tasks. `make demo` sets up everything on a fresh machine and runs the main job; `make test` runs
# lint and the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= sample.db

# The browser tests drive Debian's chromium (Playwright cannot download its own browsers here).
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all setup browser demo serve test lint format bench screenshots clean
all: test

setup: $(VENV)/.installed browser

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/newsgraph gazetteer build
	touch $@

# Debian's chromium and chromium-driver, installed once with apt (as root, or through sudo).
browser:
	@if [ -x $(CHROMIUM) ]; then echo "chromium: $(CHROMIUM)"; else \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium chromium-driver; fi

demo: setup
	$(BIN)/newsgraph ingest --sample --db $(DB)
	$(BIN)/newsgraph quotes --db $(DB) --limit 40

serve: setup
	$(BIN)/newsgraph ingest --sample --db $(DB)
	$(BIN)/newsgraph serve --db $(DB)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

test: lint
	$(BIN)/pytest -q

format: setup
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: setup
	$(BIN)/python bench/throughput.py

# The README's screenshots, taken by the browser tests.
screenshots: setup
	NEWSGRAPH_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q -m browser tests/serve

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
