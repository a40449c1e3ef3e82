# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup lock run test lint types contracts pytest fuzz bench mutants sandbox clean

setup: $(STAMP)

# Installs exactly the versions (and files, by hash) locked in requirements-dev.txt.
$(STAMP): pyproject.toml requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Re-resolve the locks to the newest versions pyproject.toml allows (then `make setup`).
LOCK := $(BIN)/pip-compile --quiet --upgrade --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links

lock: setup
	$(BIN)/python -m pip install --quiet pip-tools
	$(LOCK) --output-file requirements.txt pyproject.toml
	$(LOCK) --extra dev --output-file requirements-dev.txt pyproject.toml

run: setup
	$(BIN)/ledgerlink up

sandbox: setup
	$(BIN)/xero-sandbox --host 127.0.0.1 --port 8400

lint: setup
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/ruff check src tests bench scripts

types: setup
	$(BIN)/mypy

contracts: setup
	$(BIN)/lint-imports --no-cache

# The tests run in two processes (pytest-xdist), each taking whole files so that a
# file's shared fixtures start once: most tests wait on sockets and subprocesses, not on
# the CPU. PYTEST_WORKERS=0 runs them in this one process.
PYTEST_WORKERS ?= 2

pytest: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

test: lint types contracts pytest

# A longer, random-seeded run of the OpenAPI fuzzing and the property tests that
# `make test` runs with a fixed seed and a smaller budget (`make fuzz FUZZ_EXAMPLES=1000`
# for more). The OpenAPI fuzzing runs again on PostgreSQL when
# LEDGERLINK_TEST_POSTGRES_URL is set.
FUZZ_EXAMPLES ?= 200

fuzz: setup
	LEDGERLINK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) LEDGERLINK_PROPERTY_EXAMPLES=500 LEDGERLINK_FUZZ_RANDOM=1 \
		$(BIN)/pytest -q tests/integration/api/test_fuzz_openapi.py \
		tests/unit/domain/test_totals_properties.py \
		tests/sandbox/accounting/test_totals_properties.py \
		tests/client/sandbox/test_billing_totals.py
	if [ -n "$$LEDGERLINK_TEST_POSTGRES_URL" ]; then \
		LEDGERLINK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) LEDGERLINK_FUZZ_RANDOM=1 LEDGERLINK_FUZZ_DATABASE=postgres \
		$(BIN)/pytest -q tests/integration/api/test_fuzz_openapi.py; fi

bench: setup
	$(BIN)/python -m bench

# Deliberate bugs in the exactly-once safeguards; fails if the tests miss any of them.
mutants: setup
	$(BIN)/python scripts/mutants.py

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
