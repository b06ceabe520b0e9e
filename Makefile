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
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) system-deps
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

examples: $(STAMP)
	$(BIN)/python scripts/make_examples.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
