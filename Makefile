# khaldun — two commands on a fresh machine: `make demo`, then `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DB ?= khaldun.duckdb
SHARED ?= $(if $(KHALDUN_SHARED),$(KHALDUN_SHARED),../shared)
SEED := $(SHARED)/seed/idlib.txt

.PHONY: install demo serve test lint bench loadtest clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Codes the bundled samples (and the seed article from ../shared when present) into $(DB),
# then prints the stored events and the situation they describe.
demo: $(STAMP)
	$(VENV)/bin/khaldun code samples --db $(DB)
	@if [ -f "$(SEED)" ]; then \
		$(VENV)/bin/khaldun code "$(SEED)" --published 2020-05-04 --db $(DB); \
	else echo "(no $(SEED): the seed article is read from ../shared and is not bundled)"; fi
	$(VENV)/bin/khaldun events --db $(DB)
	$(VENV)/bin/khaldun situation --db $(DB)
	@echo "Stored in $(DB). Try: $(VENV)/bin/khaldun events --db $(DB) --actor HTS --format json"
	@echo "                      $(VENV)/bin/khaldun export --db $(DB) --format acled --out events.csv"
	@echo "                      $(VENV)/bin/khaldun eval seed"
	@echo ""
	@echo "Open the workbench (map, timeline, network, evidence, review), offline:"
	@echo "    make serve        # = $(VENV)/bin/khaldun serve --db $(DB), then open http://127.0.0.1:8000/"

serve: $(STAMP)
	$(VENV)/bin/khaldun serve --db $(DB)

# pytest exits 5 when it collects no test; that is reported, not mistaken for a crash.
test: $(STAMP)
	@$(VENV)/bin/pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$status

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench tools
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) bench/bench_coding.py

# 60 s of event-list requests against the workbench on 127.0.0.1: requests/s and p95 latency.
loadtest: $(STAMP)
	$(PY) bench/load_api.py --seconds 60

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB) bench/out
