# newsgraph tasks. `make demo` sets up everything on a fresh machine and runs the main job; `make test` runs
# lint and the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= sample.db
# apt-get runs through sudo unless make runs as root.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# Apertium and its language pairs into English (Debian packages; French goes through Spanish), used to
# translate articles before analysis. Installed with apt-get when missing: directly as root, else with sudo.
APERTIUM_PACKAGES := apertium apertium-eng-spa apertium-eng-cat apertium-en-gl apertium-eu-en \
	apertium-hbs-eng apertium-isl-eng apertium-mkd-eng apertium-fr-es

.PHONY: all setup apertium browser demo serve test lint format bench screenshots fuzz faults clean
all: test

setup: $(VENV)/.installed apertium browser

apertium:
	@missing=$$(for p in $(APERTIUM_PACKAGES); do \
		dpkg-query -W -f '$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "apertium: installed"; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
		echo "apertium: no apt-get here; install Apertium and these pairs to translate: $$missing"; \
	else \
		if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
		$$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

# Debian's chromium and chromium-driver for the browser tests (Playwright cannot download its own browsers
# here), installed with apt-get when missing: directly as root, else with sudo.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then echo "chromium: $(CHROMIUM)"; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
		echo "chromium: no apt-get here; install chromium to run the browser tests"; exit 1; \
	else $(SUDO) apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; fi

$(VENV)/.installed: pyproject.toml
	@# Java 17 or later for the Spark job (newsgraph spark), from Debian when the machine has none.
	java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])' || { $(SUDO) apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -e '.[test,spark,french,accurate]'
	$(BIN)/newsgraph gazetteer build
	touch $@

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

# The README's screenshots, taken by the browser tests.
screenshots: setup
	NEWSGRAPH_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q -m browser tests/serve

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
