# Crossdesk: `make demo` and `make test` are the two commands (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/crossdesk
PYTEST_WORKERS ?= 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lint test-sqlite test-postgres test-browser install install-test translations bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Crossdesk needs Python 3.11 or newer (set PYTHON=python3.x).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-app
	$(BIN)/pip install -q -e ".[test]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 20+) is needed for the front-end libraries."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed-app node_modules/.installed
install-test: $(VENV)/.installed-test node_modules/.installed

## demo: install, migrate the SQLite database, load the demo company, serve on 127.0.0.1:8000
demo: install
	CROSSDESK_MODE=demo $(BIN)/crossdesk demo

## test: lint, the suite on SQLite and on PostgreSQL, then the browser tests
test: install-test lint test-sqlite test-postgres test-browser
	@echo "make test: all stages passed"

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python scripts/check_layers.py

test-sqlite:
	@echo "=== pytest on SQLite ==="
	CROSSDESK_MODE=test $(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) -q

test-postgres:
	@echo "=== pytest on PostgreSQL ==="
	@if $(BIN)/python scripts/require.py postgres "$(POSTGRES_URL)"; then \
		CROSSDESK_MODE=test DATABASE_URL="$(POSTGRES_URL)" $(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) -q; \
	else \
		test "$$CI" != "true" || exit 1; \
	fi

test-browser:
	@echo "=== browser tests (Playwright + /usr/bin/chromium) ==="
	@if $(BIN)/python scripts/require.py chromium; then \
		CROSSDESK_MODE=test $(BIN)/pytest -m browser -q; \
	else \
		test "$$CI" != "true" || exit 1; \
	fi

translations: install
	$(BIN)/crossdesk translations --sync --check

bench: install-test
	CROSSDESK_MODE=test $(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules var
