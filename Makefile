# Supervisione: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Test workers (pytest-xdist): one per core of the 2-core machines this runs on. Each worker starts with half of
# the tests and, once done, takes half of what the other still has to run (worksteal): with the default
# distribution a worker sat idle at the end while the other ran its last batch (26 s of a 373 s run, under load).
WORKERS ?= 2
XDIST := -n $(WORKERS) --dist worksteal
# The test runs keep Python's compiled modules, and pytest's rewritten test files, in __pycache__ folders (ignored
# by git) even where the environment says not to write them (PYTHONDONTWRITEBYTECODE): otherwise each worker, and
# each process a test starts, compiles the project and rewrites every test file again, seconds of every run.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest

help:
	@echo "make run    - install, migrate, load the demo and serve on http://$(HOST):$(PORT) (with worker and scheduler)"
	@echo "make test   - lint, type check and the test suite on SQLite and on PostgreSQL, and once more 400 days on"
	@echo "make lint   - ruff (format and rules), mypy --strict, migrations check, no import cycle between apps"
	@echo "make bench  - benchmarks (print figures, never fail on time; BENCH_ARGS=\"--sizes 6 --db sqlite\")"
	@echo "make e2e    - browser tests in headless Chromium"

# The virtual environment, re-installed whenever pyproject.toml or constraints.txt change.
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Debian libraries (WeasyPrint's), checked at every run and installed only when missing.
system:
	./scripts/install-system-packages.sh

venv: system $(STAMP)

# The benchmarks' extra (locust), installed on top of the venv when `make bench` first runs or the pins change.
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	touch $(BENCH_STAMP)

assets: package.json package-lock.json
	./scripts/vendor-assets.sh

run: venv assets
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo
	@echo
	@echo "Supervisione: http://$(HOST):$(PORT)  (Ctrl+C per fermare)"
	@# The worker that reads uploaded census files runs beside the server, in its own session so that it
	@# (and the child its auto-reload starts) stops with the server however the server ends.
	@# DEBUG off, as the browser journeys run it: a wrong address shows the product's Italian 404, not Django's
	@# technical page; --insecure lets runserver serve the static files without DEBUG.
	@# The scheduler runs the day's jobs (alerts digest, reminders) beside them, as on every server.
	DEBUG=0 setsid $(BIN)/python manage.py db_worker & worker=$$!; \
	DEBUG=0 setsid $(BIN)/python manage.py run_scheduled --continuo & scheduler=$$!; \
	trap 'kill -- -$$worker -$$scheduler 2>/dev/null || true' EXIT; \
	DEBUG=0 $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

# The last step: imports go one way (docs/ARCHITECTURE.md, Layers), no cycle in the app-level import graph.
lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -q supervisione/tests/test_import_graph.py

test-sqlite: venv assets
	$(PYTEST) $(XDIST)

# On PostgreSQL the suite runs as several servers would: with a Redis (scripts/with-redis.sh) as the shared cache.
# The tests' PostgreSQL joins tables in the order each query names them: planning, its search for the best order
# to join the ORM's tables, took more of the server's time than running the queries over tables of a few rows
# (9 s against 7.5 s in a run, by pg_stat_statements; 6.4 s with this). Plans change, never results.
TEST_POSTGRES_OPTIONS := -c join_collapse_limit=1 -c from_collapse_limit=1
test-postgres: venv assets
	WITH_POSTGRES_OPTIONS="$(TEST_POSTGRES_OPTIONS) $${WITH_POSTGRES_OPTIONS:-}" ./scripts/with-redis.sh \
		./scripts/with-postgres.sh $(PYTEST) $(XDIST)

# The suite again with the clock 400 days ahead (time-machine, conftest.py): a test or a fixture that depends
# on the day it runs fails today, not next year. Any other day: make test-later LATER=2028-02-29
LATER ?= +400d
test-later: venv assets
	SUPERVISIONE_TEST_NOW=$(LATER) $(PYTEST) $(XDIST)

test: lint test-sqlite test-postgres test-later

# Benchmarks (docs/PERFORMANCE.md): e.g. make bench BENCH_ARGS="--sizes 6 --db sqlite" for a quick run.
BENCH_ARGS ?=
bench: venv assets $(BENCH_STAMP)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# Browser journeys against a live server with the demo, in Debian's Chromium, with axe-core on every page.
# Screenshots of every step (and the server's log) are left in e2e-artifacts/.
e2e: venv assets
	./scripts/install-browser.sh
	./scripts/install-office.sh
	$(BIN)/pytest -m e2e supervisione

.PHONY: help system venv assets run lint test test-sqlite test-postgres test-later bench e2e
