# One command to set up and run the demo, one to run the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

VENDOR := web/static/vendor

.PHONY: setup demo test lint audit migrate messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# Front-end packages come from npm (package-lock.json) and are served by Hearth itself.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/socket.io.esm.min.js: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js $@

setup: $(STAMP) $(VENDOR)/socket.io.esm.min.js

migrate: setup
	HEARTH_ENV=$${HEARTH_ENV:-development} $(BIN)/hearth db upgrade

demo: migrate
	HEARTH_ENV=$${HEARTH_ENV:-development} $(BIN)/hearth demo

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check service tests bench
	$(BIN)/ruff format --check service tests bench
	$(BIN)/bandit --quiet --recursive service --severity-level medium

# Known vulnerabilities of the installed packages, from PyPI's per-release JSON API. Strict: a
# package it could not look up fails the run. Not part of CI: see docs/security.md.
audit: setup
	$(BIN)/pip-audit --strict --progress-spinner off

# The pages' message catalogues (docs/architecture.md, "Languages"): extract every marked message
# into service/translations/messages.pot, merge it into each language's .po, and compile the .mo
# files the service reads (committed; tests/test_translations.py holds them to the .po files).
TRANSLATIONS := service/translations
messages: setup
	$(BIN)/pybabel --quiet extract -F babel.cfg -k N_ -k _l -c TRANSLATORS: --no-location \
		--sort-output --omit-header -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel --quiet update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --ignore-obsolete \
		--ignore-pot-creation-date
	$(BIN)/pybabel --quiet compile -d $(TRANSLATIONS) --statistics
