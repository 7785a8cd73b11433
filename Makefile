# inkstream: `make test` and `make run` each set up .venv first when needed.
# `make run` installs only what the app needs; the other targets add the test and dev extras.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
STAMP := $(VENV)/.installed

.PHONY: test run dev lint format bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(APP_STAMP)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP) $(APP_STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q

run: $(APP_STAMP)
	$(BIN)/inkstream $(ARGS)

dev: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" textual run --dev tui.app:ChatApp

bench: $(STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
