# Drafter: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install install-test install-bench run test test-fast lint system-deps bench clean

#: the share of drafter's lines the suite must run (raise it as tests grow, never lower it)
COVERAGE_FLOOR ?= 96

# Serving the app needs only the app; the tests and the benchmarks add their own extras.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(STAMP)-%: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[$*]"
	touch $@

install: $(STAMP)
install-test: $(STAMP)-test
install-bench: $(STAMP)-bench

## Serve the app on SQLite (instance/drafter.sqlite), loading the demo into an empty database.
run: install
	$(BIN)/drafter db upgrade
	$(BIN)/drafter demo --if-empty
	DRAFTER_SECURE_COOKIES=$${DRAFTER_SECURE_COOKIES:-false} $(BIN)/drafter run --host 127.0.0.1 --port 5000

## System packages the tests drive: Chromium, LibreOffice with its Python bridge, poppler.
system-deps:
	bash scripts/install-system-deps

## Lint and formatting, as the suite's first step.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## The whole suite, on SQLite (or on PostgreSQL when DRAFTER_TEST_DATABASE_URL is set), with the coverage floor.
test: install-test system-deps lint
	$(BIN)/python -m pytest -q --cov=drafter --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)

## The suite without browser and LibreOffice tests.
test-fast: install-test
	$(BIN)/python -m pytest -q -m "not browser and not libreoffice"

## Benchmarks at negotiation scale (PostgreSQL on 127.0.0.1 for the concurrency figures).
bench: install-bench
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache test-output .coverage
