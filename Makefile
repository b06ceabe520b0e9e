# p0gate — the two quick-start commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
P0GATE := $(BIN)/p0gate
LC := evidence/examples/lifecycle
NOGO := evidence/examples/no-go
LEDGER := sqlite:///reports/demo-ledger.db

.PHONY: demo test test-oldest lint typecheck unit bench bench-scale test-spark fuzz system-deps examples clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# System packages some tests need (Chromium, poppler-utils, PostgreSQL); idempotent.
system-deps:
	@bash scripts/system-deps.sh

# One release (p0-cloud-sync 1.6.0) through every gate against a fresh ledger: GO in order,
# one evaluation too early for `after:`, monitoring OK at 50%, a ROLLBACK at 100%, the
# post-rollback gate; then the NO-GO examples, the reports and their signature; then status.
demo: $(STAMP)
	$(P0GATE) validate policies
	$(P0GATE) test policies
	@mkdir -p reports && rm -f reports/demo-ledger.db
	$(P0GATE) evaluate -q --evidence $(LC)/01-pre-release --gate beta --now 2025-09-20T00:00:00Z \
	  --ledger $(LEDGER) --report json=reports/01-beta.json; test $$? -eq 0
	$(P0GATE) evaluate -q --evidence $(LC)/02-beta --gate staging --baseline $(LC)/01-pre-release \
	  --now 2025-09-28T00:00:00Z --ledger $(LEDGER) --report json=reports/02-staging.json; \
	  test $$? -eq 0
	$(P0GATE) evaluate -q --evidence $(LC)/03-staging --gate production-25 --baseline $(LC)/02-beta \
	  --now 2025-10-13T00:00:00Z --ledger $(LEDGER) --report json=reports/03-production-25.json; \
	  test $$? -eq 0
	$(P0GATE) evaluate -q --evidence $(LC)/04-production-25 --gate production-50 \
	  --baseline $(LC)/02-beta --now 2025-10-21T00:00:00Z --ledger $(LEDGER) \
	  --report json=reports/04-production-50.json; test $$? -eq 0
	@echo "demo: production-75 evaluated 6.75 days after the production-50 GO: NO-GO for after:"
	$(P0GATE) evaluate --evidence $(LC)/05-production-50 --gate production-75 \
	  --baseline $(LC)/02-beta --now 2025-10-27T18:00:00Z --ledger $(LEDGER) \
	  | grep -E "^(after|NO-GO)"; test $${PIPESTATUS[0]} -eq 1
	$(P0GATE) monitor --evidence $(LC)/05m-production-50-monitor --baseline $(LC)/02-beta \
	  --now 2025-10-27T18:25:00Z --ledger $(LEDGER); test $$? -eq 0
	$(P0GATE) evaluate -q --evidence $(LC)/05-production-50 --gate production-75 \
	  --baseline $(LC)/02-beta --now 2025-10-28T00:00:00Z --ledger $(LEDGER) \
	  --report json=reports/05-production-75.json; test $$? -eq 0
	$(P0GATE) evaluate -q --evidence $(LC)/06-production-75 --gate production-100 \
	  --baseline $(LC)/02-beta --now 2025-11-04T00:00:00Z --ledger $(LEDGER) \
	  --report json=reports/06-production-100.json; test $$? -eq 0
	$(P0GATE) evaluate -q --evidence $(LC)/07-production-100 --gate complete \
	  --baseline $(LC)/02-beta --now 2025-11-11T00:00:00Z --ledger $(LEDGER) \
	  --report json=reports/07-complete.json; test $$? -eq 0
	$(P0GATE) monitor --evidence $(LC)/08-production-100-incident --baseline $(LC)/02-beta \
	  --now 2025-11-14T08:05:00Z --ledger $(LEDGER) --report json=reports/08-monitor.json \
	  --report markdown=reports/08-monitor.md --report junit=reports/08-monitor.junit.xml; \
	  test $$? -eq 5
	$(P0GATE) evaluate -q --evidence $(LC)/09-post-rollback --gate post-rollback \
	  --now 2025-11-15T12:00:00Z --ledger $(LEDGER) --report json=reports/09-post-rollback.json; \
	  test $$? -eq 0
	$(P0GATE) evaluate -q --evidence $(NOGO)/beta --gate beta --now 2025-09-20T00:00:00Z \
	  --waivers evidence/examples/waivers.yaml --report json=reports/no-go-beta.json; \
	  test $$? -eq 1
	$(P0GATE) evaluate -q --evidence $(NOGO)/production-25 --gate production-25 \
	  --baseline $(LC)/02-beta --now 2025-10-13T00:00:00Z --ledger $(LEDGER) \
	  --report json=reports/no-go-production-25.json; test $$? -eq 1
	$(BIN)/python scripts/demo_cert.py reports/demo-pki --password demo
	P0GATE_PKCS12_PASSWORD=demo $(P0GATE) report reports/01-beta.json \
	  --pkcs12 reports/demo-pki/demo-signer.p12 --report pdf=reports/01-beta.pdf \
	  --report html=reports/01-beta.html --report markdown=reports/01-beta.md \
	  --report junit=reports/01-beta.junit.xml --report sarif=reports/01-beta.sarif \
	  --report oscal=reports/01-beta.oscal.json
	$(P0GATE) report reports/no-go-beta.json --key reports/demo-pki/demo-signer.key.pem \
	  --cert reports/demo-pki/demo-signer.pem --report pdf=reports/no-go-beta.pdf \
	  --report html=reports/no-go-beta.html --report markdown=reports/no-go-beta.md \
	  --report junit=reports/no-go-beta.junit.xml --report sarif=reports/no-go-beta.sarif \
	  --report oscal=reports/no-go-beta.oscal.json
	$(P0GATE) verify reports/01-beta.pdf --trust-cert reports/demo-pki/demo-ca.pem \
	  --evidence $(LC)/01-pre-release --policies policies
	$(P0GATE) status --ledger $(LEDGER) --json > reports/status.json
	$(P0GATE) status --ledger $(LEDGER) --html reports/status.html
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
	$(BIN)/python examples/payments-api/make_evidence.py

clean:
	rm -rf $(VENV) $(OLDEST_VENV) .pytest_cache .mypy_cache .ruff_cache
