# Quartier: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system
# Python keeps its compiled modules (__pycache__, ignored by git) even where the environment
# says not to (PYTHONDONTWRITEBYTECODE=1 in some containers): otherwise every process the
# suite starts compiles Django and the app again, some 7 s of CPU each (xdist workers,
# servers and commands started by tests, makemigrations).
export PYTHONDONTWRITEBYTECODE :=

# Use uv from PATH; otherwise install it once with pip into .tools/.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
HOST ?= 127.0.0.1
# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
# --dist loadgroup: test by test, except the modules tests/conftest.py keeps on one worker
# (ONE_WORKER: the demo is seeded once per module).
TEST_WORKERS ?= 2
PORT ?= 8000

.PHONY: run test lint bench setup demo clean

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

.venv: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --quiet
	@touch .venv

setup: .venv

demo: .venv
	$(UV) run quartier migrate --no-input
	$(UV) run quartier import postcodes
	$(UV) run quartier demo

# As in production: gunicorn (deploy/gunicorn.conf.py) and the task worker under supervisord
# (deploy/supervisord.conf), which restarts either when it dies; DEBUG off, static files
# collected and served by the app. Ctrl-C stops both.
# Static files are collected while the postcodes are imported and the demo is seeded (each
# one process: a second core does it meanwhile); after migrate, which writes var/ first.
run: .venv
	$(UV) run quartier migrate --no-input
	@$(UV) run quartier collectstatic --no-input --verbosity 0 & static=$$!; \
	$(UV) run quartier import postcodes && $(UV) run quartier demo && wait $$static
	@echo "Quartier on http://$(HOST):$(PORT)/  (API docs: /api/v1/docs, back office: /admin/)"
	DEBUG=0 QUARTIER_BIND=$(HOST):$(PORT) $(UV) run supervisord -c deploy/supervisord.conf

test: .venv
	$(UV) run quartier makemigrations --check --dry-run
	$(UV) run pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: .venv
	$(UV) run ruff format --check src tests bench deploy
	$(UV) run ruff check src tests bench deploy
	$(UV) run mypy src
	$(UV) run lint-imports

bench: .venv
	$(UV) run python -m bench

clean:
	rm -rf .venv .tools var .pytest_cache .mypy_cache .ruff_cache
