# Two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint bench migrate seed clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput

seed: migrate
	DJANGO_DEBUG=1 PORTAL_BASE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py seed_demo

# The Procfile's web (gunicorn), worker and beat under honcho, as in production but on the embedded
# defaults; Ctrl-C reaches honcho, which stops all three. Debug serves static files from the finders.
run: seed
	DJANGO_DEBUG=1 $(BIN)/python manage.py runbanner --host $(HOST) --port $(PORT)
	PATH="$(abspath $(BIN)):$$PATH" DJANGO_DEBUG=1 PORTAL_BASE_URL=http://$(HOST):$(PORT) WEB_HOST=$(HOST) \
	  GUNICORN_WORKERS=2 GUNICORN_RELOAD=1 CELERY_WORKER_CONCURRENCY=2 \
	  $(BIN)/honcho start --procfile Procfile --port $(PORT) web worker beat

# Lint, types and import contracts first: each fails the build on any finding.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Speed goals as ratios against named alternatives: businesstimedelta, and a naive full-scan sweep.
bench: install
	$(BIN)/python -m bench.bench_businesstime
	$(BIN)/python -m bench.bench_sweep
	$(BIN)/python -m bench.bench_pages

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles
