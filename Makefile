# ictdash: two commands matter. `make run` builds the warehouse from data/reports/ (the seeds) and the
# real corpus reports in data/corpus/*/reports/ (new parts are picked up by the glob) and serves the
# dashboard; `make test` runs the whole test suite (lint, unit, AppTest, real-browser end to end).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
DB      ?= data/ictdash.duckdb
PORT    ?= 8501
STAMP   := $(VENV)/.installed
# the reports a first run loads: the seeds and every corpus part's reports/ (not its gold or scripts)
REPORTS ?= data/reports $(sort $(wildcard data/corpus/*/reports))

.PHONY: run etl dashboard review test lint unit e2e bench bench-quick clean chromium

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $(STAMP)

run: $(STAMP) etl dashboard

etl: $(STAMP)
	$(BIN)/ictdash etl $(REPORTS) --db $(DB)

dashboard: $(STAMP)
	env -u ICTDASH_REVIEWER ICTDASH_DB=$(DB) $(BIN)/streamlit run dashboard.py --server.port $(PORT)  # read-only

# Review mode (issue 13): the same dashboard with a reviewer's name; every confirm / reject / correct / add
# is one line appended to data/curation.csv and the warehouse is refreshed at once (no report re-read).
# `make run` stays read-only.
review: $(STAMP) etl
	@test -n "$(REVIEWER)" || { echo 'usage: make review REVIEWER="Tên người duyệt"' >&2; exit 2; }
	$(BIN)/ictdash review --reviewer "$(REVIEWER)" --db $(DB) --port $(PORT)

# Debian's chromium for the real-browser tests (Playwright drives it; no browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "WARNING: could not install chromium; browser tests will fail"; }

lint: $(STAMP)
	$(BIN)/ruff check .

unit: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e" -n 2

e2e: $(STAMP) chromium
	$(BIN)/python -m pytest -m e2e

test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

bench-quick: $(STAMP)
	$(BIN)/python -m bench.run_all --quick

clean:
	rm -rf $(VENV) build *.egg-info test-output bench/out $(DB) $(DB).state.json
