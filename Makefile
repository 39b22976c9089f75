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

.PHONY: all setup apertium demo test lint format bench clean
all: test

setup: $(VENV)/.installed apertium

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

$(VENV)/.installed: pyproject.toml
	@# Java 17 or later for the Spark job (newsgraph spark), from Debian when the machine has none.
	java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])' || { $(SUDO) apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -e '.[test,spark,french]'
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
