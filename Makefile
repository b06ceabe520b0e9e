# p0gate — the two quick-start commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
P0GATE := $(BIN)/p0gate
NOW := 2025-09-28T12:00:00Z

.PHONY: demo test lint typecheck unit bench fuzz system-deps examples clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# System packages some tests need (Chromium, poppler-utils, PostgreSQL); idempotent.
system-deps:
	@bash scripts/system-deps.sh

demo: $(STAMP)
	$(P0GATE) validate policies
	$(P0GATE) test policies
	@mkdir -p reports
	$(P0GATE) evaluate --evidence evidence/examples/beta-go --phase beta --now $(NOW) \
	  --report json=reports/beta-go.json; test $$? -eq 0
	$(P0GATE) evaluate --evidence evidence/examples/beta-no-go --phase beta --now $(NOW) \
	  --report json=reports/beta-no-go.json; test $$? -eq 1
	@echo "demo: reports written under reports/"

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

# A throwaway PostgreSQL on loopback serves the ledger tests (skipped when none can run).
unit: $(STAMP) system-deps
	@eval "$$(bash scripts/start-postgres.sh start)"; \
	trap 'bash scripts/start-postgres.sh stop "$${P0GATE_PG_DIR:-}"' EXIT; \
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The fuzz targets of tests/fuzz at length (make test runs them briefly).
fuzz: $(STAMP)
	P0GATE_FUZZ=long $(BIN)/pytest tests/fuzz -p no:cacheprovider

examples: $(STAMP)
	$(BIN)/python scripts/make_examples.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
