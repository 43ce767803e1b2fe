# The two commands of the README, and a few helpers. `make help` lists them.

DEMO_ARGS ?=
CARGO ?= cargo

.PHONY: help demo test lint schema

help:
	@echo "make demo    start Touming on SQLite with the 辽宁省 demo data (http://127.0.0.1:8080)"
	@echo "make test    run every test (SQLite; PostgreSQL and Redis too when TOUMING_TEST_* are set)"
	@echo "make lint    cargo fmt --check and clippy -D warnings"
	@echo "make schema  rewrite api/schema.graphql from the code"

demo:
	$(CARGO) run -p touming-api --bin touming -- demo $(DEMO_ARGS)

# The fault tests run `touming work` as a process of its own: build it first.
test:
	$(CARGO) build -p touming-api --bin touming
	$(CARGO) test --workspace

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

schema:
	$(CARGO) run -q -p touming-api --bin touming -- schema > api/schema.graphql
