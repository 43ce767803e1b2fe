# The two commands of the README, and a few helpers. `make help` lists them.

DEMO_ARGS ?=
CARGO ?= cargo

.PHONY: help demo test lint schema web chart-test

help:
	@echo "make demo    start Touming on SQLite with the 辽宁省 demo data (http://127.0.0.1:8080)"
	@echo "make test    run every test (SQLite; PostgreSQL and Redis too when TOUMING_TEST_* are set)"
	@echo "make lint    cargo fmt --check and clippy -D warnings"
	@echo "make schema  rewrite api/schema.graphql from the code"
	@echo "make web     build the web application into web/dist"
	@echo "make chart-test  render, lint and validate the Helm chart"

demo: web
	$(CARGO) run -p touming --bin touming -- demo $(DEMO_ARGS)

# The web application (web/dist, served by the API at /): installed when the lock file
# changes, rebuilt when a source changes.
WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/codegen.ts api/schema.graphql -type f 2>/dev/null)

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build

web: web/dist/index.html

# The fault tests run `touming work` as a process of its own: build it first.
test: web/node_modules/.package-lock.json chart-test
	$(CARGO) build -p touming --bin touming
	$(CARGO) test --workspace
	cd web && npm test

# The Helm chart rendered, linted and validated against the Kubernetes schemas, with
# Helm from PyPI (helm-python-sdk) in a virtual environment of its own.
CHART_VENV := target/chart-venv
$(CHART_VENV)/bin/python:
	python3 -m venv $(CHART_VENV)
	$(CHART_VENV)/bin/pip install --quiet --disable-pip-version-check \
		helm-python-sdk==0.2.2 kubernetes-validate==1.37.0 pyyaml==6.0.2

chart-test: $(CHART_VENV)/bin/python
	$(CHART_VENV)/bin/python helm/tests/test_chart.py

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

schema:
	$(CARGO) run -q -p touming --bin touming -- schema > api/schema.graphql
