# Two entry points for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= $(or $(CONVSCOPE_HOST),127.0.0.1)
PORT ?= $(or $(CONVSCOPE_PORT),8000)

.PHONY: run test bench lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/convscope serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python bench/bench.py

lint: $(VENV)/.installed
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format .
