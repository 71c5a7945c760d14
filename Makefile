# Every target runs in the virtualenv $(VENV), created with Python 3.11 on first use and
# refreshed when the pinned requirements or setup.py change. `make demo` installs only
# requirements/demo.txt, which needs nothing but Python (no compiler, no system library). The
# targets installing requirements/test.txt (`make test`...) first run scripts/system_packages.sh:
# as root it installs the Debian packages they need (chromium, gettext, and what builds
# mysqlclient); otherwise it stops, naming the `apt-get install` line to run.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
BOOTSTRAP_PYTHON ?= python3.11
PYTHON := $(VENV)/bin/python
PIP := $(PYTHON) -m pip --disable-pip-version-check
VAR_DIR ?= var
DEMO_ADDRESS ?= 127.0.0.1:8000
PYTEST_ARGS ?=
LOADTEST_ARGS ?=
PIP_COMPILE_ARGS ?=

SOURCES := portfolio_xblock competency_plugin demo scripts setup.py
DEMO_INSTALLED := $(VENV)/.installed-demo
INSTALLED := $(VENV)/.installed-test
QUALITY_INSTALLED := $(VENV)/.installed-quality
PIP_TOOLS_INSTALLED := $(VENV)/.installed-pip-tools
BENCH_INSTALLED := $(VENV)/.installed-bench
NODE_INSTALLED := tests/browser/node_modules/.installed
# The benchmark runs in a virtualenv of its own: ORA2, which it installs, breaks the workbench's
# scenario list (its wheel lacks the files its scenarios read) and brings an LMS plugin (edx-toggles).
BENCH_VENV ?= .venv-bench
BENCH_ARGS ?=
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
QUALITY_CHECKS := pycodestyle pylint pydocstyle isort imports

.PHONY: help demo test test-mysql system-packages bench bench-in-venv quality $(addprefix quality-,$(QUALITY_CHECKS)) requirements upgrade \
	compile_translations extract_translations check_translations wheel clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-22s %s\n", $$1, $$2}'

# --- virtualenv -------------------------------------------------------------------------

$(PYTHON):
	@command -v $(BOOTSTRAP_PYTHON) >/dev/null || { echo "$(BOOTSTRAP_PYTHON) not found: install Python 3.11 or pass BOOTSTRAP_PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(BOOTSTRAP_PYTHON) -m venv $(VENV)

# The demo's set, a subset of the test set with the same pins (requirements/demo.in).
$(DEMO_INSTALLED): requirements/demo.txt requirements/base.in setup.py | $(PYTHON)
	$(PIP) install -r requirements/demo.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	$(PIP) check
	@touch $@

# axe-core, which the browser tests inject into every page, from the npm registry at the version
# of tests/browser/package-lock.json (npm comes with the Debian packages; `make demo` needs none).
$(NODE_INSTALLED): tests/browser/package.json tests/browser/package-lock.json | system-packages
	npm ci --prefix tests/browser --no-audit --no-fund
	@touch $@

# The test set builds mysqlclient: the Debian packages come first.
$(INSTALLED): requirements/test.txt requirements/base.in setup.py | system-packages $(PYTHON)
	$(PIP) install -r requirements/test.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	$(PIP) check
	@touch $@

system-packages: ## install the Debian packages the tests need (as root), or name them
	@BOOTSTRAP_PYTHON=$(BOOTSTRAP_PYTHON) scripts/system_packages.sh

$(QUALITY_INSTALLED): requirements/quality.txt $(INSTALLED)
	$(PIP) install -r requirements/quality.txt
	@touch $@

$(PIP_TOOLS_INSTALLED): requirements/pip-tools.txt | $(PYTHON)
	$(PIP) install -r requirements/pip-tools.txt
	@touch $@

# Compiled catalogs are rebuilt when a .po is newer than its .mo and its translations differ
# (polib, in pure Python: requirements/demo.txt has it); the committed .mo files serve a fresh
# clone as they are.
ifneq ($(MO_FILES),)
$(MO_FILES) &: $(PO_FILES) | $(PYTHON)
	$(PYTHON) scripts/i18n.py compile --stale-only
endif

# --- running ----------------------------------------------------------------------------

demo: $(DEMO_INSTALLED) $(MO_FILES) ## run the workbench with the portfolio scenarios at http://127.0.0.1:8000/
	mkdir -p $(VAR_DIR)
	PORTFOLIO_VAR_DIR=$(abspath $(VAR_DIR)) $(PYTHON) -m django migrate --run-syncdb --settings=demo.settings
	PORTFOLIO_VAR_DIR=$(abspath $(VAR_DIR)) $(PYTHON) -m django load_builtin_frameworks --settings=demo.settings
	test -f $(VAR_DIR)/credential-keys/demo.pem || PORTFOLIO_VAR_DIR=$(abspath $(VAR_DIR)) $(PYTHON) -m django create_credential_key demo --settings=demo.settings
	DEMO_ADDRESS=$(DEMO_ADDRESS) PORTFOLIO_VAR_DIR=$(abspath $(VAR_DIR)) $(PYTHON) -m django runserver $(DEMO_ADDRESS) --settings=demo.settings

test: $(INSTALLED) $(NODE_INSTALLED) $(MO_FILES) ## the whole suite on SQLite: browser (Debian chromium) and wheel tests included
	$(PYTHON) -m pytest -r fEs $(PYTEST_ARGS)

# The README's screenshots, taken by the browser tests (PORTFOLIO_SCREENSHOTS names where they go).
.PHONY: screenshots
screenshots: $(INSTALLED) $(NODE_INSTALLED) $(MO_FILES) ## rewrite docs/screenshots/*.png with the browser tests
	PORTFOLIO_SCREENSHOTS=$(abspath docs/screenshots) $(PYTHON) -m pytest -q -p no:randomly -m browser tests/browser/test_right_to_left.py

test-mysql: $(INSTALLED) $(NODE_INSTALLED) $(MO_FILES) ## the suite on MariaDB/MySQL at 127.0.0.1:3306 (root, no password)
	COMPETENCY_TEST_DB=mysql $(PYTHON) -m pytest -r fEs -m "not wheel and not loadtest" $(PYTEST_ARGS)

# Not part of the suites (their short run, tests/test_loadtest_short.py, is): a fresh MariaDB
# database (cp_loadtest), the demo under gunicorn, then the check that nothing was lost.
.PHONY: loadtest
loadtest: $(INSTALLED) $(MO_FILES) ## 50 learners and 5 staff against the demo under gunicorn on MariaDB; LOADTEST_ARGS=--help
	$(PYTHON) scripts/loadtest.py $(LOADTEST_ARGS)

bench: ## the benchmark, side by side with ORA2 (SQLite, then MariaDB), in $(BENCH_VENV); see bench/README.md
	@$(MAKE) --no-print-directory VENV=$(BENCH_VENV) bench-in-venv

$(BENCH_INSTALLED): $(INSTALLED)
	$(PIP) install --no-build-isolation -e '.[bench]'
	$(PIP) check
	@touch $@

bench-in-venv: $(BENCH_INSTALLED) $(NODE_INSTALLED) $(MO_FILES)
	$(PYTHON) -m bench $(BENCH_ARGS)

# --- quality ----------------------------------------------------------------------------

quality: $(QUALITY_INSTALLED) ## every linter (all run, then the target fails if one did)
	@$(MAKE) --no-print-directory --keep-going $(addprefix quality-,$(QUALITY_CHECKS))

quality-pycodestyle: $(QUALITY_INSTALLED)
	$(PYTHON) -m pycodestyle $(SOURCES) tests

# Tests get pytest's idioms: fixtures as arguments (redefined-outer-name, unused-argument).
quality-pylint: $(QUALITY_INSTALLED)
	status=0; \
	$(PYTHON) -m pylint $(SOURCES) || status=1; \
	$(PYTHON) -m pylint --disable=redefined-outer-name,unused-argument,protected-access tests || status=1; \
	exit $$status

quality-pydocstyle: $(QUALITY_INSTALLED)
	$(PYTHON) -m pydocstyle $(SOURCES) tests

quality-isort: $(QUALITY_INSTALLED)
	$(PYTHON) -m isort --check-only --diff $(SOURCES) tests

quality-imports: $(QUALITY_INSTALLED) ## the import contracts of .importlinter
	$(VENV)/bin/lint-imports

# --- requirements, translations, packaging -----------------------------------------------

requirements: $(PIP_TOOLS_INSTALLED) ## recompile the pins of requirements/*.txt from the .in files
	set -e; for name in base test demo quality pip-tools ci dev; do \
		CUSTOM_COMPILE_COMMAND="make requirements" $(VENV)/bin/pip-compile --quiet --allow-unsafe --strip-extras \
			--no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(PIP_COMPILE_ARGS) \
			--output-file requirements/$$name.txt requirements/$$name.in; \
	done

upgrade: PIP_COMPILE_ARGS += --upgrade
upgrade: requirements ## recompile the pins with the newest versions the constraints allow

compile_translations: $(INSTALLED) ## locale/*/LC_MESSAGES/*.po -> .mo (polib)
	$(PYTHON) scripts/i18n.py compile

# Django's makemessages, hence GNU gettext (xgettext, msgmerge), which `make test` installs.
extract_translations: $(INSTALLED) ## the sources' strings -> locale/*/LC_MESSAGES/*.po (makemessages)
	$(PYTHON) scripts/i18n.py extract

check_translations: $(INSTALLED) ## fail if a string is unextracted, untranslated, fuzzy, badly typed or uncompiled
	$(PYTHON) scripts/i18n.py check

.PHONY: openapi
openapi: $(INSTALLED) ## regenerate competency_plugin/rest_api/v1/openapi.yaml from the REST views and serializers
	DJANGO_SETTINGS_MODULE=tests.settings $(PYTHON) -m competency_plugin.rest_api.v1.openapi_generator --write

wheel: $(INSTALLED) $(MO_FILES) ## build the sdist, then the wheel from it, into dist/
	$(PYTHON) -m build --no-isolation --outdir dist .

clean: ## remove build artefacts, caches and the demo's data (var/); keeps $(VENV)
	rm -rf build dist *.egg-info .pytest_cache .coverage htmlcov .tox $(VAR_DIR)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
