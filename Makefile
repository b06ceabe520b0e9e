# p0gate — the two quick-start commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
P0GATE := $(BIN)/p0gate
NOW := 2025-09-28T12:00:00Z
STAGING_NOW := 2025-10-13T12:00:00Z

.PHONY: demo test test-oldest lint typecheck unit bench bench-scale test-spark fuzz system-deps examples clean

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
	  --waivers evidence/examples/waivers.yaml \
	  --report json=reports/beta-no-go.json; test $$? -eq 1
	$(P0GATE) evaluate --evidence evidence/examples/staging-go --phase staging --now $(STAGING_NOW) \
	  --baseline evidence/examples/beta-go --report json=reports/staging-go.json; test $$? -eq 0
	$(P0GATE) evaluate --evidence evidence/examples/staging-no-go --phase staging \
	  --now $(STAGING_NOW) --baseline evidence/examples/beta-go \
	  --report json=reports/staging-no-go.json; test $$? -eq 1
	$(BIN)/python scripts/demo_cert.py reports/demo-pki --password demo
	P0GATE_PKCS12_PASSWORD=demo $(P0GATE) report reports/beta-go.json \
	  --pkcs12 reports/demo-pki/demo-signer.p12 --report pdf=reports/beta-go.pdf \
	  --report html=reports/beta-go.html --report markdown=reports/beta-go.md \
	  --report junit=reports/beta-go.junit.xml --report sarif=reports/beta-go.sarif \
	  --report oscal=reports/beta-go.oscal.json
	$(P0GATE) report reports/beta-no-go.json --key reports/demo-pki/demo-signer.key.pem \
	  --cert reports/demo-pki/demo-signer.pem --report pdf=reports/beta-no-go.pdf \
	  --report html=reports/beta-no-go.html --report markdown=reports/beta-no-go.md \
	  --report junit=reports/beta-no-go.junit.xml --report sarif=reports/beta-no-go.sarif \
	  --report oscal=reports/beta-no-go.oscal.json
	$(P0GATE) verify reports/beta-go.pdf --trust-cert reports/demo-pki/demo-ca.pem \
	  --evidence evidence/examples/beta-go --policies policies
	@echo "demo: reports written under reports/ (PDFs signed by a DEMO certificate)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# A throwaway PostgreSQL on loopback serves the ledger tests. A test whose service (PostgreSQL,
# Chromium, poppler, npm) is missing is skipped, or fails with CI=true (tests/services.py).
# axe-core and puppeteer-core for the accessibility test of the HTML report.
tools/axe/node_modules: tools/axe/package-lock.json
	-command -v npm >/dev/null && npm ci --silent --prefix tools/axe

# A throwaway Prometheus scraping tests/collect/exporter.py serves the collect tests.
unit: $(STAMP) system-deps tools/axe/node_modules
	@eval "$$(bash scripts/start-postgres.sh start)"; \
	eval "$$(PYTHON=$(BIN)/python bash scripts/start-prometheus.sh start)"; \
	trap 'bash scripts/start-postgres.sh stop "$${P0GATE_PG_DIR:-}"; \
	  bash scripts/start-prometheus.sh stop "$${P0GATE_PROM_DIR:-}"' EXIT; \
	$(BIN)/pytest

test: lint typecheck unit

# The suite again on the oldest supported Python found on this machine (Debian 12's
# /usr/bin/python3, 3.11.2), in its own virtualenv; .ci/run runs it after `make test`.
OLDEST_VENV ?= .venv-oldest
test-oldest: system-deps
	@oldest=$$(bash scripts/oldest-python.sh) && \
	echo "test-oldest: $$oldest ($$($$oldest --version 2>&1)) in $(OLDEST_VENV)" && \
	$(MAKE) --no-print-directory unit PYTHON="$$oldest" VENV=$(OLDEST_VENV)

bench: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python benchmarks/run.py

# Evidence at scale: `p0gate evaluate` on a Parquet dataset of SCALE_SAMPLES latencies (default
# 100M; the target is 1e9, about 5 GB under benchmarks/.data/) against DuckDB's one query.
SCALE_SAMPLES ?= 100000000
bench-scale: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE P0GATE_SCALE_SAMPLES=$(SCALE_SAMPLES) $(BIN)/python benchmarks/scale.py

# The one collect query on Spark SQL in local mode (pyspark, Java 17); not part of make test.
test-spark: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	P0GATE_TEST_SPARK=local[2] $(BIN)/pytest tests/collect/test_spark.py -p no:cacheprovider

# The fuzz targets of tests/fuzz and the metamorphic relations of tests/metamorphic at length
# (make test runs them briefly).
fuzz: $(STAMP)
	P0GATE_FUZZ=long $(BIN)/pytest tests/fuzz tests/metamorphic -p no:cacheprovider

examples: $(STAMP)
	$(BIN)/python scripts/make_examples.py

clean:
	rm -rf $(VENV) $(OLDEST_VENV) .pytest_cache .mypy_cache .ruff_cache
