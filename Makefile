# The residuals portal: `make run` for a local portal with demo data, `make test` for the suite.
# Everything but `lock` needs only a Python >= 3.12 with pip; dependencies come from
# requirements.lock, hash-checked.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Touched after a successful install: the venv is re-installed when requirements.lock is newer.
STAMP := $(VENV)/.installed-from-lock
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
UV_VERSION := 0.13.9

.PHONY: help run test check bench lock install clean

help:
	@echo "make run     start the portal on http://$(HOST):$(PORT)/ with a Celery worker and demo data"
	echo "make test    run the whole test suite (extra pytest arguments: make test PYTEST_ARGS='-k demo')"
	echo "make check   lint and format (ruff), types (mypy), import contracts (lint-imports), Django's checks"
	echo "make bench   matching quality on the labelled set, then speed (needs DATABASE_URL to PostgreSQL)"
	echo "make lock    regenerate requirements.lock from pyproject.toml (needs PyPI)"
	echo "make clean   remove the virtualenv and test leftovers (var/, your local data, is kept)"

install: $(STAMP)

# Create .venv with the newest Python >= 3.12 we can find, or re-create it when its Python is
# gone or too old, then install the pinned versions requirements.lock lists (hash-checked).
$(STAMP): requirements.lock
	@is_new_enough() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
	if ! is_new_enough $(PY); then
	  python=""
	  pyenv_root="$$(pyenv root 2>/dev/null || echo "$${PYENV_ROOT:-$$HOME/.pyenv}")"
	  # pyenv's shims on PATH refuse versions that are not selected, so its installs are tried by path too.
	  for candidate in python3.14 python3.13 python3.12 python3 \
	      $$(ls -d "$$pyenv_root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
	    if is_new_enough "$$candidate"; then python="$$candidate"; break; fi
	  done
	  if [ -z "$$python" ]; then
	    echo "The portal needs Python 3.12 or newer, and none was found (tried python3.14, python3.13," >&2
	    echo "python3.12, python3 and pyenv's $$pyenv_root/versions/3.1x). Install one, e.g. 'pyenv install 3.13'." >&2
	    exit 1
	  fi
	  echo "Creating $(VENV) with $$python ($$("$$python" --version))"
	  rm -rf $(VENV)
	  "$$python" -m venv $(VENV)
	fi
	echo "Installing the locked dependencies into $(VENV)"
	$(PY) -m pip install --quiet --disable-pip-version-check --no-input \
	  --require-hashes --no-deps -r requirements.lock
	touch $@

run: $(STAMP)
	@$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	echo
	echo "Starting the portal on http://$(HOST):$(PORT)/ and a Celery worker; Ctrl-C stops both."
	# Job control gives each background job its own process group, so the worker's pool
	# processes are stopped with it and Ctrl-C reaches only this shell, which stops both.
	set -m
	$(PY) -m celery -A portal worker -B -l info --concurrency=2 </dev/null & worker=$$!
	$(PY) manage.py runserver $(HOST):$(PORT) </dev/null & server=$$!
	set +m
	running() { kill -0 -- -$$server 2>/dev/null || kill -0 -- -$$worker 2>/dev/null; }
	stop() {
	  trap - EXIT INT TERM
	  # TERM to the worker's main process is a warm shutdown: it finishes the task at hand.
	  kill -TERM $$server $$worker 2>/dev/null || true
	  for _ in $$(seq 50); do running || break; sleep 0.2; done
	  # Whatever did not stop within 10 seconds (a busy task, a stuck child) is killed with its group.
	  kill -KILL -- -$$server -$$worker 2>/dev/null || true
	  wait 2>/dev/null || true
	}
	trap stop EXIT
	trap 'exit 130' INT TERM
	# When either one stops (say, the port is taken), stop the other and report the failure.
	wait -n || true
	echo "The web server or the worker stopped; stopping the other." >&2
	exit 1

test: $(STAMP)
	@status=0
	$(PY) -m pytest $(PYTEST_ARGS) || status=$$?
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that counts as a failure." >&2; fi
	exit $$status

# Every check runs even when an earlier one fails, so one run lists everything to fix.
check: $(STAMP)
	@status=0
	run() { echo "== $$*"; "$$@" || { status=1; echo "FAILED: $$*" >&2; }; }
	run $(VENV)/bin/ruff check .
	run $(VENV)/bin/ruff format --check .
	run $(VENV)/bin/mypy
	run $(VENV)/bin/lint-imports
	run $(PY) manage.py check --fail-level WARNING
	exit $$status

# Quality first (precision and recall on the labelled evaluation set), then speed: the engine in
# memory, then ingestion, matching and search at full size against PostgreSQL (its own database).
bench: $(STAMP)
	@$(PY) -m tests.claims.discovery.eval_matching
	$(PY) -m tests.claims.discovery.bench_matching
	if [ -z "$${DATABASE_URL:-}" ]; then
	  echo "Set DATABASE_URL to a PostgreSQL server for the full-size benchmark, e.g." >&2
	  echo "  make bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal" >&2
	  exit 1
	fi
	$(PY) -m tests.claims.discovery.bench_discovery
	$(PY) -m tests.claims.residuals.bench_statements
	$(PY) -m tests.claims.residuals.bench_statement_run --members $${BENCH_MEMBERS:-1000}

# uv resolves the universal lock; it is a tool for maintainers, so it is not in the lock itself.
lock: $(STAMP)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile --quiet pyproject.toml --group dev --universal --python-version 3.12 \
	  --generate-hashes -o requirements.lock

clean:
	@rm -rf $(VENV) .pytest_cache test-artifacts
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
	echo "Removed $(VENV), caches and test artifacts. var/ (database, mail, uploads) is kept."
