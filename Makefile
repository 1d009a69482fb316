# Two commands for a newcomer: `make figures` and `make test`.
# Both create .venv with the system python3 when it is missing and reuse it afterwards.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
FIGURES_DIR ?= docs/figures
TABLES_DIR ?= data/processed
FORMATS ?= png,svg,pdf
REPORT_DIR ?= docs/report

.DEFAULT_GOAL := figures
.PHONY: figures test lab clean install report

install: $(INSTALLED)

# Re-install only when the project's metadata changes.
$(INSTALLED): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --quiet -e ".[test]"
	@touch $(INSTALLED)

figures: $(INSTALLED)
	$(PY) -m analysis figures --out $(FIGURES_DIR) --tables $(TABLES_DIR) --formats $(FORMATS)

# The offline report of the bundled corpus: open $(REPORT_DIR)/index.html in a browser.
report: $(INSTALLED)
	$(PY) -m analysis report --out $(REPORT_DIR)

test: $(INSTALLED)
	$(PY) -m pytest

# Outputs never reach git: nbstripout strips them from notebooks as they are staged (a git
# filter, set up in this clone's .git/config and .git/info/attributes). Containers run as
# root, where JupyterLab wants --allow-root.
lab: $(INSTALLED)
	@if git rev-parse --git-dir >/dev/null 2>&1; then $(VENV)/bin/nbstripout --install; fi
	$(PY) -m jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

clean:
	rm -rf $(VENV) $(FIGURES_DIR) build *.egg-info .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find $(TABLES_DIR) -type f ! -name README.md ! -name .gitkeep -delete 2>/dev/null || true
