# Two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test bench migrate seed clean

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
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo

# Starts the web server, a Celery worker and Celery beat; Ctrl-C stops all three.
run: seed
	@export DJANGO_DEBUG=1; \
	trap 'kill $$web $$worker $$beat 2>/dev/null; wait; echo "Stopped."' INT TERM EXIT; \
	$(BIN)/celery -A portal worker --loglevel=INFO --concurrency=2 & worker=$$!; \
	$(BIN)/celery -A portal beat --loglevel=INFO & beat=$$!; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT) & web=$$!; \
	echo ""; \
	echo "  Reseller Support Portal: http://$(HOST):$(PORT)/"; \
	echo "  Care admin:              http://$(HOST):$(PORT)/admin/"; \
	echo "  Demo logins (password demo-pass-2026):"; \
	echo "    alice, bob   Designated Contacts of Northwind Telecom; carol reads only"; \
	echo "    dana, erik   Designated Contacts of Blue Yonder Networks; fay reads only"; \
	echo "    care         Customer Care staff (admin)"; \
	echo "  Press Ctrl-C to stop."; \
	echo ""; \
	wait $$web

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench.bench_businesstime

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles
