# Two commands for a newcomer: `make demo` and `make test`. Both build .venv from the lock file.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

CATALOGUES := $(wildcard src/amtstermin/locale/*/LC_MESSAGES/django.po)

.PHONY: demo test lint messages bench bench-http bench-scale bench-rush lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m amtstermin.catalogues --force
	touch $(STAMP)

# The compiled catalogues (.mo) are built, never committed: pure Python (babel), no gettext needed.
messages: $(STAMP) $(CATALOGUES)
	$(BIN)/python -m amtstermin.catalogues

demo: messages
	AMTSTERMIN_HTTPS=0 $(BIN)/amtstermin demo

lint: messages
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/amtstermin makemigrations --check --dry-run

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_slot_engine.py

# Re-pin every dependency after a change to pyproject.toml (needs the network).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --no-header -o requirements.lock

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .mypy_cache .ruff_cache

# API throughput next to /healthz (needs wrk: apt-get install wrk).
bench-http: $(STAMP)
	$(BIN)/python benchmarks/bench_http.py

# Proof at scale (docs/benchmarks.md). SQLite always; PostgreSQL too when DATABASE_URL names a
# database to create (and REDIS_URL a Redis for the rush), e.g.
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/amtstermin_scale make bench-scale
bench-scale: $(STAMP)
	env -u DATABASE_URL $(BIN)/python benchmarks/bench_scale.py --offices 2 --counters 60 --appointments 200000
	test -z "$$DATABASE_URL" || $(BIN)/python benchmarks/bench_scale.py

bench-rush: $(STAMP)
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python benchmarks/bench_rush.py
	test -z "$$DATABASE_URL" || $(BIN)/python benchmarks/bench_rush.py
