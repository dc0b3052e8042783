# casefile — the two commands a newcomer needs: `make run` and `make test`.
#   make run [PORT=8000] [HOST=127.0.0.1]   installs only what running needs, then serves
#   make test                                adds the development tools and runs every check
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
HOST   ?= 127.0.0.1
# --no-compile: modules are byte-compiled when first imported (halves the install time)
PIP    := $(BIN)/pip install -q --no-compile --disable-pip-version-check
RUN_STAMP := $(VENV)/.installed-run
# Byte-compiled once at install (pip's --no-compile and PYTHONDONTWRITEBYTECODE would otherwise
# have every command compile its modules again): casefile and what `casefile` imports at start
# for the runtime install (under a second); the whole environment for development.
COMPILE = $(BIN)/python -m compileall -q -j 0
SITE = $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
START_DEPS = $(SITE)/msgspec $(SITE)/typing_extensions.py
DEV_STAMP := $(VENV)/.installed-dev
LINTED := casefile tests bench setup.py

.PHONY: run test check lint typecheck install install-dev lock bench clean holiday-table

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime: the hashed lock of the runtime dependencies, then casefile itself (no deps resolved).
$(RUN_STAMP): $(BIN)/python pyproject.toml setup.py requirements.lock
	$(PIP) --require-hashes -r requirements.lock
	$(PIP) --no-deps -e .
	$(COMPILE) casefile $(START_DEPS) || echo "some modules not byte-compiled: they compile on use"
	touch $@

# Development: runtime + test, lint and benchmark tools (hashed lock of both groups).
$(DEV_STAMP): $(BIN)/python pyproject.toml setup.py requirements-dev.lock
	$(PIP) --require-hashes -r requirements-dev.lock
	$(PIP) --no-deps -e .
	$(COMPILE) casefile $(SITE) || echo "some modules not byte-compiled: they compile on use"
	touch $(RUN_STAMP) $@

install: $(RUN_STAMP)
install-dev: $(DEV_STAMP)

## make run: create the database, load the demo portfolio, serve on http://$(HOST):$(PORT)
run: $(RUN_STAMP)
	$(BIN)/casefile init
	$(BIN)/casefile demo
	$(BIN)/casefile serve --host $(HOST) --port $(PORT)

## make test: lint, type-check, validate the law data, run the whole test suite
test: lint typecheck
	$(BIN)/casefile check
	$(BIN)/pytest

check: test

lint: $(DEV_STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

## make lock: re-resolve both hashed locks from pyproject.toml (needs the registry)
lock:
	$(PYTHON) -m pip install -q --disable-pip-version-check --target $(VENV)-uv uv
	PYTHONPATH=$(VENV)-uv $(PYTHON) -m uv pip compile pyproject.toml --generate-hashes \
	  --python-version 3.11 --custom-compile-command "make lock" -q -o requirements.lock
	PYTHONPATH=$(VENV)-uv $(PYTHON) -m uv pip compile pyproject.toml --extra dev \
	  --generate-hashes --python-version 3.11 --custom-compile-command "make lock" -q \
	  -o requirements-dev.lock

## make holiday-table: recompute calendars/holidays.json from the installed `holidays` package
holiday-table: $(DEV_STAMP)
	$(BIN)/python -m casefile.law.holiday_table calendars/holidays.json

## make bench: every benchmark, each printing its figures (several minutes; needs PostgreSQL)
bench: $(DEV_STAMP)
	$(BIN)/python bench/deadlines.py
	$(BIN)/python bench/ical.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/portfolio.py
	$(BIN)/python bench/batch.py --rss-cases 1000000
	$(BIN)/python bench/recompute.py --cases 100000 --workers 1 2
	$(BIN)/python bench/law_impact.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/evidence.py --size-mb 256 --repeat 1
	$(BIN)/python bench/einvoice.py
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) $(VENV)-uv var build *.egg-info .pytest_cache .mypy_cache .ruff_cache
