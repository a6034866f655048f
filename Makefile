# Two commands for a newcomer: `make run` and `make test`. `make` alone lists the targets.
# The virtual environment is created on first use; requirements are reinstalled only when
# a requirements file is newer than its stamp (so `git pull` with new pins just works).

PORT ?= 8501
VENV ?= .venv
# Empty by default: scripts/find_python.sh then picks the first Python 3.11+ on PATH.
PYTHON ?=
PYTEST_ARGS ?=

VENV_PYTHON := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.stamp-requirements
DEV_STAMP := $(VENV)/.stamp-requirements-dev

.DEFAULT_GOAL := help
.PHONY: help run test lint format bench bench-reports clean distclean i18n

help: ## List the targets
	@echo "ACP-EU Migration Action dashboard"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Variables: PORT=$(PORT) (run), ACPEU_DATA_DIR (data folder), PYTEST_ARGS (test),"
	@echo "           PYTHON (interpreter for the venv; default: first Python 3.11+ on PATH),"
	@echo "           CHROMIUM_PATH (browser for the tests; default /usr/bin/chromium),"
	@echo "           ACPEU_DATA_URL (database instead of a folder; see README)"

$(VENV_PYTHON):
	@python="$$(PYTHON='$(PYTHON)' scripts/find_python.sh)" || exit 1; \
	echo "Creating $(VENV) with $$python ($$($$python --version))"; \
	"$$python" -m venv $(VENV)
	@$(VENV_PYTHON) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(VENV_PYTHON)
	$(VENV_PYTHON) -m pip install --quiet -r requirements.txt
	@touch $@

# requirements-dev.txt includes requirements.txt, so it also depends on it.
$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV_PYTHON)
	$(VENV_PYTHON) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(RUNTIME_STAMP)

run: $(RUNTIME_STAMP) ## Start the dashboard on http://localhost:8501 (other port: make run PORT=8600)
	@scripts/find_pdf_libraries.sh || echo "PDF reports will be unavailable (HTML reports work)." >&2
	$(VENV)/bin/streamlit run dashboard.py --server.port $(PORT)

test: lint ## Run every test: ruff and mypy, then unit, AppTest, database and browser tests
	@scripts/find_pdf_libraries.sh || echo "PDF report tests will fail or be skipped (CI: fail)." >&2
	@chromium="$$(scripts/find_chromium.sh)" || { \
		if [ "$${CI:-}" = "true" ]; then echo "CI: browser tests need Chromium; failing." >&2; exit 1; fi; \
		echo "No Chromium: browser tests will be skipped (see the message above)." >&2; }; \
	scripts/find_postgres.sh >/dev/null || { \
		if [ "$${CI:-}" = "true" ]; then echo "CI: database tests need PostgreSQL; failing." >&2; exit 1; fi; \
		echo "No PostgreSQL: its tests will be skipped (see the message above)." >&2; }; \
	CHROMIUM_PATH="$$chromium" $(VENV_PYTHON) -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP) ## Check the code with ruff (lint rules and formatting), then mypy (types)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(DEV_STAMP) ## Reformat the code with ruff and apply safe fixes
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(DEV_STAMP) ## Measure load, filter and page times on generated data (bench/run.py)
	$(VENV_PYTHON) bench/run.py

bench-reports: $(DEV_STAMP) ## Time PDF and HTML reports at the bundled size (bench/reports.py)
	$(VENV_PYTHON) bench/reports.py

clean: ## Remove caches and generated files (keeps .venv)
	rm -rf .pytest_cache .ruff_cache .hypothesis test-results bench/out
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean ## Also remove the virtual environment
	rm -rf $(VENV)

i18n: $(DEV_STAMP) ## Extract the interface texts, update the fr/pt/es catalogues and compile them
	$(VENV_PYTHON) tools/i18n.py
