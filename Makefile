# connectorsmith: `make generate` and `make test` create or reuse .venv themselves.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: generate check test test-fast fuzz goldens lint bench bench-runtime bench-scale bench-corpus corpus clean-venv

$(VENV)/.run-deps: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.test-deps: $(VENV)/.run-deps
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## generate: regenerate generated/ from spec/ (only changed files are written)
# Like any make rule, the run is skipped when nothing it reads changed since the last one: no file
# or folder of spec/, templates/, generator/, pyproject.toml, this Makefile or the venv newer than
# the run's start; generated/ there, and none of it newer than the run's end (a hand edit or a
# deleted file reruns). connectorsmith itself then compares contents (a current spec costs it
# ~0.06 s); `make check` always does.
STAMPS   ?= $(VENV)
STARTED  := $(STAMPS)/.generate-started
FINISHED := $(STAMPS)/.generate-finished
generate: $(VENV)/.run-deps
	@if [ -f $(STARTED) ] && [ -f $(FINISHED) ] && [ -d generated ] \
	  && [ -z "$$(find spec templates generator pyproject.toml Makefile $(VENV)/.run-deps -newer $(STARTED) -print -quit)" ] \
	  && [ -z "$$(find generated -newer $(FINISHED) -print -quit 2>/dev/null)" ]; then \
	  echo "generated/ is up to date: nothing changed since the last make generate"; \
	else \
	  touch $(STARTED).new && $(VENV)/bin/connectorsmith generate && mv $(STARTED).new $(STARTED) && touch $(FINISHED); \
	fi

## check: fail with a diff when generated/ is stale
check: $(VENV)/.run-deps
	$(VENV)/bin/connectorsmith generate --check

## test: the whole suite, golden files included
test: $(VENV)/.test-deps
	$(PY) -m pytest

## test-fast: the suite without the slow tests (mypy, ruff, pip installs, the corpus slice's type check)
test-fast: $(VENV)/.test-deps
	$(PY) -m pytest -m "not slow"

## fuzz: the fuzz targets of tests/test_fuzz.py at length (thousands of examples each, random seeds; `make test`
# runs them bounded and derandomized). FUZZ_EXAMPLES sets the examples per target: 300 took 10 minutes on this
# project's 2-core machine, the default about an hour.
FUZZ_EXAMPLES ?= 2000
fuzz: $(VENV)/.test-deps
	CONNECTORSMITH_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/test_fuzz.py --hypothesis-profile=fuzz -x -q

## goldens: refresh every golden: generated/ from spec/, and each case of tests/cases/ (its expected output tree,
# diagnostics or docs page; see tests/cases/README.md). Review with git diff.
goldens: $(VENV)/.test-deps
	$(PY) tests/regen_goldens.py

## lint: type-check and lint connectorsmith itself
lint: $(VENV)/.test-deps
	$(PY) -m mypy
	$(PY) -m ruff check generator tests bench

## corpus: every certified connector (../shared/corpus/certified, or CORPUS=dir) -> corpus-report/report.md
# (with the test dependencies: the MCP SDK's client lists each connector's MCP server's tools)
CORPUS ?= ../shared/corpus/certified
corpus: $(VENV)/.test-deps
	$(PY) -m connectorsmith.cli.corpus $(CORPUS) --report corpus-report/report.md

## bench: speed and memory of connectorsmith against a peer, side by side; then the scale curve (bench-scale) and
# the run-time section (bench-runtime)
bench: $(VENV)/.run-deps
	$(PY) bench/run.py
	$(PY) bench/scale.py
	$(PY) bench/runtime.py

## bench-scale: cold generation of real documents of growing size (certified connectors from 1 operation to the
# largest, then GitHub, Stripe, Kubernetes): operations and KB against CPU seconds, with a fitted line and how far
# each document is from it -> bench/out/scale.md (BENCH_RUNS processes each, default 3)
bench-scale: $(VENV)/.run-deps
	$(PY) bench/scale.py

## bench-runtime: the generated client's decode, encode, memory, import and HTTP calls beside openapi-python-client,
# pydantic v2 (datamodel-code-generator) and msgspec -> bench/out/runtime.md (BENCH_RUNS processes each, default 7)
bench-runtime: $(VENV)/.run-deps
	$(PY) bench/runtime.py

## bench-corpus: completeness of the peer on every third certified connector (connectorsmith's side: make corpus)
bench-corpus: $(VENV)/.run-deps
	$(PY) bench/peer_corpus.py

clean-venv:
	rm -rf $(VENV)
