# One command to set up and run the demo, one to run the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint migrate

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	HEARTH_ENV=$${HEARTH_ENV:-development} $(BIN)/hearth db upgrade

demo: migrate
	HEARTH_ENV=$${HEARTH_ENV:-development} $(BIN)/hearth demo

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check service tests bench
	$(BIN)/ruff format --check service tests bench
