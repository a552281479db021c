# Two commands: `make run` serves the product, `make test` runs the test suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Parallel test workers (pytest-xdist): each gets its own test database, Redis database and ports.
PYTEST_WORKERS ?= auto

.PHONY: run test lint typecheck bench bench-checks venv migrate worker beat check clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(BIN)/python manage.py migrate --noinput

# Links in emails and feeds point at the address served here, unless SITE_URL says otherwise.
run: migrate
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py load_demo
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py ensure_admin
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The linter and the formatter's check (pyproject.toml): any finding fails.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The type checker over the packages pyproject.toml names ([tool.mypy] files).
typecheck: venv
	$(BIN)/mypy

# The linter, the type checker, then the suite (which checks the import contracts of
# .importlinter in tests/test_architecture.py).
test: lint typecheck
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Benchmarks on the local PostgreSQL and Redis; BENCH_SCALE=small for a quick run.
BENCH_SCALE ?= full
bench: venv
	$(BIN)/python bench/run.py --scale $(BENCH_SCALE)

# The benchmarks that run under pytest and the check of the search reference against the API
# (PostgreSQL, Redis and a worker, as the integration tests): not part of `make test`.
bench-checks: venv
	$(BIN)/python -m pytest bench/checks $(PYTEST_ARGS)

worker: venv
	$(BIN)/celery -A config worker --loglevel=INFO

beat: venv
	$(BIN)/celery -A config beat --loglevel=INFO

check: venv
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache
