# Entry points: `make run` (demo on SQLite), `make serve` (production: your database, Redis, workers) and
# `make test` (the whole suite). See README.md.
SHELL := /bin/bash
PORT ?= 3000
# Backend workers of `make serve`: 0 = one without Redis (AG_REDIS_URL), one per CPU core with it.
WORKERS ?= 0
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PYTHON ?= python3

export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export PATH := $(BIN):$(PATH)

.PHONY: run serve test install install-test lint clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## Install everything, migrate and seed the SQLite demo city, build and serve on http://localhost:$(PORT)
## in demo mode (AG_DEMO_MODE=true: the SMS codes are shown on /outbox).
run: export AG_DEMO_MODE := true
# Local load tests (ag-app bench http) log many phones in from this machine.
run: export AG_OTP_EXEMPT_CLIENTS ?= 127.0.0.1,::1
run: install
	$(BIN)/ag-app migrate
	$(BIN)/ag-app seed
	$(BIN)/ag-app banner --port $(PORT)
	$(BIN)/ag-app serve --port $(PORT) --workers 1

## Migrate the database of AG_DATABASE_URL and serve the production build on $(PORT) with $(WORKERS)
## backend workers (several need AG_REDIS_URL); a killed worker is respawned, SIGTERM stops within 10 s.
serve: install
	$(BIN)/ag-app migrate
	$(BIN)/ag-app serve --port $(PORT) --workers $(WORKERS)

## Install everything the tests need (apt: chromium, postgresql, redis) and run lint, contracts, unit,
## integration (SQLite + PostgreSQL) and browser tests.
test: install-test
	bash scripts/test.sh

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf .web data/ag.db data/ag.db-wal data/ag.db-shm
