# newsgraph tasks. `make demo` sets up everything on a fresh machine and runs the main job; `make test` runs
# lint and the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= sample.db

.PHONY: all setup demo test lint format bench fuzz faults clean
all: test

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -e '.[test]'
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

# The fuzzing campaign at length (tests/fuzz; `make test` runs it briefly), a fresh random seed each run,
# figures per target at the end: READER_EXAMPLES inputs for each of the 8 reader targets (HTML, fetched
# pages, feeds, WARC, JSONL, text, URL lists, folders: the slow ones) and STORE_EXAMPLES for each of the
# 12 codec and query-filter targets, 10,200 in all. The fault campaign has its own target, `make faults`.
READER_EXAMPLES ?= 150
STORE_EXAMPLES ?= 750
fuzz: setup
	NEWSGRAPH_FUZZ_EXAMPLES=$(READER_EXAMPLES) $(BIN)/pytest -q -p no:cacheprovider tests/fuzz/test_fuzz_readers.py
	NEWSGRAPH_FUZZ_EXAMPLES=$(STORE_EXAMPLES) $(BIN)/pytest -q -p no:cacheprovider tests/fuzz/test_fuzz_store.py

# The fault campaign: ingest and watch killed at 50 random points (SIGKILL, SIGTERM, a full disk), each
# followed by integrity_check, an orphan check and a resume that must store exactly a clean run's rows.
FAULT_POINTS ?= 50
faults: setup
	$(BIN)/python tests/fuzz/faults.py --points $(FAULT_POINTS)

format: setup
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: setup
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
