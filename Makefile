# `make run` and `make test` work on a fresh clone: they create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export JIXIAO_INSTANCE ?= $(CURDIR)/instance
export DATABASE_URL ?= sqlite:///$(JIXIAO_INSTANCE)/jixiao.db
# The tests run in one process per core (pytest-xdist); `make test PYTEST_ARGS=…` to choose.
PYTEST_ARGS ?= -n auto --maxschedchunk 2

.PHONY: run test lint format clean system-deps test-system-deps

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

system-deps:
	@scripts/system-deps

test-system-deps:
	@scripts/system-deps test

run: $(VENV)/.installed system-deps
	$(BIN)/jixiao init-db
	$(BIN)/jixiao demo
	@echo "打开 http://127.0.0.1:5000 ，用上面的演示账号登录（提醒邮件在「邮件发件箱」页面可见）"
	$(BIN)/jixiao scheduler & scheduler=$$!; trap 'kill $$scheduler' EXIT INT TERM; \
		$(BIN)/jixiao serve --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-dev test-system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance .pytest_cache

# Benchmarks as ratios to a bare Flask + SQLAlchemy page (bench/run.py; PostgreSQL at
# 127.0.0.1:5432). `make bench BENCH_ARGS='--requests 100'` to pass options.
.PHONY: bench bench-scale
BENCH_ARGS ?=

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@ $(VENV)/.installed

bench: $(VENV)/.installed-bench system-deps
	$(BIN)/python -m bench.run $(BENCH_ARGS)

bench-scale: $(VENV)/.installed-bench system-deps
	$(BIN)/python -m bench.run --scale $(BENCH_ARGS)
