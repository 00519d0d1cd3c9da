# Two entry points for a fresh machine with Python 3.11+: `make run` and `make test`.
# `make run` installs only what the app needs; `make test` adds the test extra (pytest, Playwright, linters, ...).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= $(or $(CONVSCOPE_HOST),127.0.0.1)
PORT ?= $(or $(CONVSCOPE_PORT),8000)

.PHONY: run test test-fast bench lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The app and its runtime dependencies, pinned by constraints.txt.
$(VENV)/.runtime: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

# Everything the tests, benchmarks and linters need on top.
$(VENV)/.installed: $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

run: $(VENV)/.runtime
	$(BIN)/convscope serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m pytest

# The inner loop: everything but the browser and system tests (containers, replicas, load); `make test` runs all.
test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -m "not browser and not system"

bench: $(VENV)/.installed
	$(BIN)/python bench/bench.py

lint: $(VENV)/.installed
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format .
