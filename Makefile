# newsgraph tasks. `make demo` sets up everything on a fresh machine and runs the main job; `make test` runs
# lint and the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= sample.db

.PHONY: all setup demo test lint format bench clean
all: test

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -e '.[test,accurate]'
	$(BIN)/newsgraph gazetteer build
	touch $@

demo: setup
	$(BIN)/newsgraph ingest --sample --db $(DB)
	$(BIN)/newsgraph quotes --db $(DB) --limit 40

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

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
