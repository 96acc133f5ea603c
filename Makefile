# Mediateka. `make run` serves the demo; `make test` runs the whole suite on SQLite, and on PostgreSQL all
# but the browser journeys.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run demo test test-sqlite test-postgres lint bench bench-postgres migrations-check install worker clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/mediateka demo

run: demo
	@echo "Starting the worker and the web server; stop both with Ctrl-C."
	@trap 'kill 0' INT TERM EXIT; $(BIN)/mediateka worker & $(BIN)/mediateka run --host $(HOST) --port $(PORT)

worker: $(STAMP)
	$(BIN)/mediateka worker

test: test-sqlite test-postgres lint migrations-check

# One test process per core (pytest-xdist); each makes its own session fixtures (one encode, one live site).
test-sqlite: $(STAMP)
	$(BIN)/python -m pytest -n auto

# The browser journeys run once, on SQLite: what they drive on the server (every page, API call and
# form) is tested on both databases by the tests beneath them, and the browser is the slow part.
test-postgres: $(STAMP)
	$(BIN)/python -m tests.pg_cluster $(BIN)/python -m pytest -n auto -m "not e2e"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

migrations-check: $(STAMP)
	MEDIATEKA_DATA_DIR=$$(mktemp -d) $(BIN)/mediateka manage makemigrations --check --dry-run

bench: $(STAMP)
	$(BIN)/python -m bench

# The benchmarks that measure the database, on a throwaway PostgreSQL set up as docs/deploy.md says.
bench-postgres: $(STAMP)
	PG_CLUSTER_SETTINGS="shared_buffers=1GB" \
		$(BIN)/python -m tests.pg_cluster $(BIN)/python -m bench search outreach

clean:
	rm -rf $(VENV) var test-artifacts
