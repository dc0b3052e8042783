# casefile — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check lint typecheck install bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: create the database, load the demo portfolio, serve on http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/casefile init
	$(BIN)/casefile demo
	$(BIN)/casefile serve

## make test: lint, type-check, validate the law data, run the whole test suite
test: $(STAMP) lint typecheck
	$(BIN)/casefile check
	$(BIN)/pytest

check: test

lint: $(STAMP)
	$(BIN)/ruff check casefile tests bench
	$(BIN)/ruff format --check casefile tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

## make bench: every benchmark, each printing its figures (several minutes; needs PostgreSQL)
bench: $(STAMP)
	$(BIN)/python bench/deadlines.py
	$(BIN)/python bench/ical.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/portfolio.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/evidence.py --size-mb 256 --repeat 1

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
