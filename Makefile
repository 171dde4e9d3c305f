# hzgreen developer commands (GNU make).
#
#   make test    create .venv, run make check, fetch the Hazelcast member jar, run the integration suite
#   make check   fast gate (about a minute): ruff lint and format, generated-code drift, mypy --strict on all of
#                hzgreen/ (pyproject.toml), unit and simulation tests with the runtime's coverage
#   make demo    run examples/demo.py (threading, then gevent) against a real member
#   make docs    build the documentation site (docs/, Sphinx) into docs/_build/html; warnings are errors
#   make jar     fetch the member jar only
#   make clean   remove the venv and build output

BOOT_PYTHON := $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV        := .venv
PY          := $(VENV)/bin/python
STAMP       := $(VENV)/.hzgreen-installed
PYTEST_ARGS ?=
TIMEOUT     ?= 300

.PHONY: all venv jar test check demo clean

all: test

# The interpreter; rebuilt only when the venv is missing.
$(PY):
	$(BOOT_PYTHON) -m venv $(VENV)

# The install; redone only when the packaging metadata changes.
$(STAMP): $(PY) setup.cfg pyproject.toml
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[gevent,test]'
	touch $(STAMP)

$(VENV): $(STAMP)

venv: $(STAMP)

jar: $(STAMP)
	$(PY) -m hzgreen.testing fetch

test: check jar
	$(PY) -m pytest -p no:cacheprovider --timeout=$(TIMEOUT) tests/integration $(PYTEST_ARGS)
	$(MAKE) docs

check: $(STAMP)
	$(VENV)/bin/ruff check hzgreen tests benchmarks examples tools
	$(VENV)/bin/ruff format --check hzgreen tests benchmarks examples tools
	$(PY) tools/gen_codecs.py --check
	$(PY) tools/gen_errors.py --check
	$(VENV)/bin/mypy hzgreen
	$(PY) -m coverage run --source=hzgreen/runtime -m pytest -p no:cacheprovider --timeout=120 -q tests/unit tests/simulation
	$(PY) -m coverage report --fail-under=90

demo: $(STAMP) jar
	$(PY) -m hzgreen.testing run -- sh -c 'python examples/demo.py threading && python examples/demo.py gevent'

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache docs/_build
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# --- benchmarks: benchmarks/, docs/performance.rst ------------------------------------
#   make bench        5 interleaved rounds, 5 s measured per run (~55 min); benchmarks/results/
#   make bench-quick  1 round, 2 s per run (smoke); benchmarks/results/quick/
#   BENCH_ARGS="--scenarios seq_get --contenders hzgreen-gevent,official" narrows a run.
BENCH_STAMP := $(VENV)/.hzgreen-bench-installed
BENCH_ARGS  ?=

.PHONY: bench bench-quick

$(BENCH_STAMP): $(PY) setup.cfg pyproject.toml
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[gevent,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) jar
	$(PY) -m benchmarks $(BENCH_ARGS)

bench-quick: $(BENCH_STAMP) jar
	$(PY) -m benchmarks --quick --out benchmarks/results/quick $(BENCH_ARGS)

# --- documentation: docs/ (Sphinx, furo), docs/_build/html ------------------------------
DOCS_STAMP := $(VENV)/.hzgreen-docs-installed

.PHONY: docs

$(DOCS_STAMP): $(PY) setup.cfg pyproject.toml
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[docs]'
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	$(VENV)/bin/sphinx-build -W --keep-going -b html docs docs/_build/html
